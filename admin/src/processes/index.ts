import AccountTreeIcon from '@mui/icons-material/AccountTree';
import { lazyPage } from '../lazyPage';
const ProcessList = lazyPage(() => import('./ProcessList'), 'ProcessList');
const ProcessShow = lazyPage(() => import('./ProcessShow'), 'ProcessShow');
const ProcessStart = lazyPage(() => import('./ProcessStart'), 'ProcessStart');

export default {
  list: ProcessList,
  show: ProcessShow,
  create: ProcessStart,
  icon: AccountTreeIcon,
  recordRepresentation: (r: { title?: string; subject?: string }) => r.title ?? r.subject ?? '',
};
