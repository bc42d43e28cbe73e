/** The console's first page: the dashboard for supervisors and town officers, the inbox for everyone else. */
import { Inbox } from '../inbox/Inbox';
import { useActor } from '../common/useActor';
import { Dashboard } from './Dashboard';

/** Who opens on the dashboard: the district's supervision and the towns. */
export const DASHBOARD_ROLES = ['district_supervisor', 'town_officer'];

export const opensOnDashboard = (roles: readonly string[] = []) => roles.some((r) => DASHBOARD_ROLES.includes(r));

export function Home() {
  const actor = useActor();
  return opensOnDashboard(actor?.roles) ? <Dashboard /> : <Inbox />;
}
