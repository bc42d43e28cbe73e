import MarkEmailUnreadIcon from '@mui/icons-material/MarkEmailUnread';
import { DeadLetterList } from './DeadLetterList';
import { DeadLetterShow } from './DeadLetterShow';

export default {
  list: DeadLetterList,
  show: DeadLetterShow,
  icon: MarkEmailUnreadIcon,
  recordRepresentation: 'id',
};
