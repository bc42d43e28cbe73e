import ChecklistIcon from '@mui/icons-material/Checklist';
import { StepList } from './StepList';

export default {
  list: StepList,
  icon: ChecklistIcon,
};
