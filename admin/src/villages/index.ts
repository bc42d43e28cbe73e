import LocationCityIcon from '@mui/icons-material/LocationCity';
import { VillageCreate } from './VillageCreate';
import { VillageList } from './VillageList';

export default {
  list: VillageList,
  create: VillageCreate,
  icon: LocationCityIcon,
  recordRepresentation: 'name',
};
