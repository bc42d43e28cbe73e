import CompareArrowsIcon from '@mui/icons-material/CompareArrows';
import { BatchList } from './BatchList';
import { BatchShow } from './BatchShow';
import { BatchUpload } from './BatchUpload';

export default {
  list: BatchList,
  show: BatchShow,
  create: BatchUpload,
  icon: CompareArrowsIcon,
  recordRepresentation: 'kind',
};
