/**
 * The side menu (a drawer on phones): the home page first (the dashboard and the inbox, or the inbox), then cases, start, steps, overdue, households; then
 * the administration pages, each shown only to the roles contracts/authz.ts lets use it.
 */
import { Menu as RaMenu } from 'react-admin';
import InboxIcon from '@mui/icons-material/Inbox';
import AddCircleIcon from '@mui/icons-material/AddCircleOutline';
import AlarmIcon from '@mui/icons-material/AlarmOn';
import InsightsIcon from '@mui/icons-material/Insights';
import EventIcon from '@mui/icons-material/Event';
import GavelIcon from '@mui/icons-material/Gavel';
import FactCheckIcon from '@mui/icons-material/FactCheck';
import { may, mayDo } from '../../../contracts/authz';
import { useActor } from '../common/useActor';
import { opensOnDashboard } from '../dashboard/Home';

/** Who watches overdue steps: supervisors, admins and the officers of towns and departments (scoped by the API). */
export const SUPERVISING_ROLES = ['district_supervisor', 'admin', 'town_officer', 'department_officer'];

export function Menu() {
  const actor = useActor();
  const mayStart = !!actor && mayDo(actor, 'start');
  const supervises = !!actor && actor.roles.some((r) => SUPERVISING_ROLES.includes(r));
  const allowed = (p: Parameters<typeof may>[1]) => !!actor && may(actor, p);
  return (
    <RaMenu>
      {/* The home page: the dashboard for supervisors and town officers (then the inbox next), else the inbox. */}
      {actor && opensOnDashboard(actor.roles) ? (
        [
          <RaMenu.DashboardItem key="home" primaryText="fangfan.menu.dashboard" leftIcon={<InsightsIcon />} />,
          <RaMenu.Item key="inbox" to="/inbox" primaryText="fangfan.menu.inbox" leftIcon={<InboxIcon />} />,
        ]
      ) : (
        <RaMenu.DashboardItem primaryText="fangfan.menu.inbox" leftIcon={<InboxIcon />} />
      )}
      <RaMenu.ResourceItem name="processes" />
      {mayStart && <RaMenu.Item to="/processes/create" primaryText="fangfan.menu.start" leftIcon={<AddCircleIcon />} />}
      <RaMenu.ResourceItem name="steps" />
      {supervises && <RaMenu.Item to="/overdue" primaryText="fangfan.menu.overdue" leftIcon={<AlarmIcon />} />}
      {supervises && <RaMenu.Item to="/campaign" primaryText="fangfan.menu.campaign" leftIcon={<FactCheckIcon />} />}
      {allowed('supervision.records') && <RaMenu.Item to="/supervision" primaryText="fangfan.menu.supervision" leftIcon={<GavelIcon />} />}
      <RaMenu.ResourceItem name="households" />
      {allowed('exchange.read') && <RaMenu.ResourceItem name="data-exchange-batches" />}
      {allowed('audit.read') && <RaMenu.ResourceItem name="audit" />}
      {allowed('policy.versions') && <RaMenu.ResourceItem name="policy-versions" />}
      <RaMenu.Item to="/calendar" primaryText="fangfan.menu.calendar" leftIcon={<EventIcon />} />
      {allowed('users.manage') && <RaMenu.ResourceItem name="users" />}
      {allowed('directory.manage') && <RaMenu.ResourceItem name="villages" />}
      {allowed('apiKeys.manage') && <RaMenu.ResourceItem name="api-keys" />}
      {allowed('deadLetters.manage') && <RaMenu.ResourceItem name="dead-letters" />}
      {/* 流程设计: administrators model processes (the API refuses anyone else). */}
      {actor?.roles.includes('admin') && <RaMenu.ResourceItem name="process-definitions" />}
    </RaMenu>
  );
}
