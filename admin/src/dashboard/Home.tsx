/** The console's first page: the dashboard for supervisors and town officers, the inbox for everyone else. */
import { useActor } from '../common/useActor';
import { lazyPage } from '../lazyPage';

// Loaded with the first screen, not the login page (lazyPage.ts): the dashboard brings the charts.
const Inbox = lazyPage(() => import('../inbox/Inbox'), 'Inbox');
const Dashboard = lazyPage(() => import('./Dashboard'), 'Dashboard');

/** Who opens on the dashboard: the district's supervision and the towns. */
export const DASHBOARD_ROLES = ['district_supervisor', 'town_officer'];

export const opensOnDashboard = (roles: readonly string[] = []) => roles.some((r) => DASHBOARD_ROLES.includes(r));

export function Home() {
  const actor = useActor();
  return opensOnDashboard(actor?.roles) ? <Dashboard /> : <Inbox />;
}
