import VpnKeyIcon from '@mui/icons-material/VpnKey';
import { lazyPage } from '../lazyPage';
const ApiKeyCreate = lazyPage(() => import('./ApiKeyCreate'), 'ApiKeyCreate');
const ApiKeyList = lazyPage(() => import('./ApiKeyList'), 'ApiKeyList');

export default {
  list: ApiKeyList,
  create: ApiKeyCreate,
  icon: VpnKeyIcon,
  recordRepresentation: 'name',
};
