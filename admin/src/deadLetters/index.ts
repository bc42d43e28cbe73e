import MarkEmailUnreadIcon from '@mui/icons-material/MarkEmailUnread';
import { lazyPage } from '../lazyPage';
const DeadLetterList = lazyPage(() => import('./DeadLetterList'), 'DeadLetterList');
const DeadLetterShow = lazyPage(() => import('./DeadLetterShow'), 'DeadLetterShow');

export default {
  list: DeadLetterList,
  show: DeadLetterShow,
  icon: MarkEmailUnreadIcon,
  recordRepresentation: 'id',
};
