import PolicyIcon from '@mui/icons-material/Policy';
import { lazyPage } from '../lazyPage';
const AuditList = lazyPage(() => import('./AuditList'), 'AuditList');

export default {
  list: AuditList,
  icon: PolicyIcon,
};
