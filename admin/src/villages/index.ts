import LocationCityIcon from '@mui/icons-material/LocationCity';
import { lazyPage } from '../lazyPage';
const VillageCreate = lazyPage(() => import('./VillageCreate'), 'VillageCreate');
const VillageList = lazyPage(() => import('./VillageList'), 'VillageList');

export default {
  list: VillageList,
  create: VillageCreate,
  icon: LocationCityIcon,
  recordRepresentation: 'name',
};
