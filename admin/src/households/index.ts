import HomeIcon from '@mui/icons-material/Home';
import { HouseholdCreate } from './HouseholdCreate';
import { HouseholdEdit } from './HouseholdEdit';
import { HouseholdList } from './HouseholdList';
import { HouseholdShow } from './HouseholdShow';

export default {
  list: HouseholdList,
  show: HouseholdShow,
  create: HouseholdCreate,
  edit: HouseholdEdit,
  icon: HomeIcon,
  recordRepresentation: (h: { headName?: string; id?: string }) => `${h.headName ?? ''}（${h.id ?? ''}）`,
};
