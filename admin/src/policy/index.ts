import GavelIcon from '@mui/icons-material/Gavel';
import { lazyPage } from '../lazyPage';
const PolicyVersionList = lazyPage(() => import('./PolicyVersionList'), 'PolicyVersionList');
const PolicyVersionShow = lazyPage(() => import('./PolicyVersionShow'), 'PolicyVersionShow');
const PolicyVersionCreate = lazyPage(() => import('./PolicyVersionCreate'), 'PolicyVersionCreate');

export default {
  list: PolicyVersionList,
  show: PolicyVersionShow,
  create: PolicyVersionCreate,
  icon: GavelIcon,
  recordRepresentation: 'name',
};
