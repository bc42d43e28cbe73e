import AccountTreeIcon from '@mui/icons-material/AccountTree';
import { DesignerList } from './DesignerList';
import { DesignerCreate, DesignerShow } from './DesignerPage';

/** The `process-definitions` resource: 流程设计 (administrators). */
export default {
  list: DesignerList,
  create: DesignerCreate,
  show: DesignerShow,
  icon: AccountTreeIcon,
  recordRepresentation: 'key',
};
