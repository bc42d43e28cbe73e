import HomeIcon from '@mui/icons-material/Home';
import { lazyPage } from '../lazyPage';
const HouseholdCreate = lazyPage(() => import('./HouseholdCreate'), 'HouseholdCreate');
const HouseholdEdit = lazyPage(() => import('./HouseholdEdit'), 'HouseholdEdit');
const HouseholdList = lazyPage(() => import('./HouseholdList'), 'HouseholdList');
const HouseholdShow = lazyPage(() => import('./HouseholdShow'), 'HouseholdShow');

export default {
  list: HouseholdList,
  show: HouseholdShow,
  create: HouseholdCreate,
  edit: HouseholdEdit,
  icon: HomeIcon,
  recordRepresentation: (h: { headName?: string; id?: string }) => `${h.headName ?? ''}（${h.id ?? ''}）`,
};
