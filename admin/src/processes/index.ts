import AccountTreeIcon from '@mui/icons-material/AccountTree';
import { ProcessList } from './ProcessList';
import { ProcessShow } from './ProcessShow';
import { ProcessStart } from './ProcessStart';

export default {
  list: ProcessList,
  show: ProcessShow,
  create: ProcessStart,
  icon: AccountTreeIcon,
  recordRepresentation: (r: { title?: string; subject?: string }) => r.title ?? r.subject ?? '',
};
