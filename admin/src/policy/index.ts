import GavelIcon from '@mui/icons-material/Gavel';
import { PolicyVersionList } from './PolicyVersionList';
import { PolicyVersionShow } from './PolicyVersionShow';

export default {
  list: PolicyVersionList,
  show: PolicyVersionShow,
  icon: GavelIcon,
  recordRepresentation: 'name',
};
