import GavelIcon from '@mui/icons-material/Gavel';
import { PolicyVersionList } from './PolicyVersionList';
import { PolicyVersionShow } from './PolicyVersionShow';
import { PolicyVersionCreate } from './PolicyVersionCreate';

export default {
  list: PolicyVersionList,
  show: PolicyVersionShow,
  create: PolicyVersionCreate,
  icon: GavelIcon,
  recordRepresentation: 'name',
};
