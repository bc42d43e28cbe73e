import ChecklistIcon from '@mui/icons-material/Checklist';
import { lazyPage } from '../lazyPage';
const StepList = lazyPage(() => import('./StepList'), 'StepList');

export default {
  list: StepList,
  icon: ChecklistIcon,
};
