/**
 * Who may act on what: the one authorization table the workflows (as a second line of defence),
 * the API and the UI all use.
 */
import { DEPARTMENTS, ROLES, coversPlace, type Actor, type Place, type Role } from './roles';
import { t, type Text } from './i18n';
import type { StepInstance } from './steps';

/** May this actor complete this step of a case at this place? */
export function mayCompleteStep(actor: Actor, step: Pick<StepInstance, 'role' | 'scope' | 'department' | 'assignee'> & { context?: Record<string, unknown> }, place: Place): boolean {
  if (actor.kind !== 'user') return false;
  if (actor.roles.includes('admin')) return true;
  if (step.scope === 'assignee') return (!!step.assignee && step.assignee.id === actor.id) || teamOf(step).includes(actor.id);
  if (!actor.roles.includes(step.role)) return false;
  switch (step.scope) {
    case 'village':
      return actor.town === place.town && actor.village === place.village;
    case 'town':
      return actor.town === place.town;
    case 'department':
      return actor.department === step.department;
    case 'district':
      return true;
    default:
      return false;
  }
}

/** A step for a team (P5 visits: scope `assignee`, `context.team` lists both members): its members' ids. */
function teamOf(step: { context?: Record<string, unknown> }): string[] {
  const team = step.context?.team;
  return Array.isArray(team) ? team.map((m) => (m && typeof m === 'object' ? String((m as { id?: unknown }).id) : '')).filter(Boolean) : [];
}

/** May this actor see a case at this place? Department officers see cases their department has steps in. */
export function maySeeCase(actor: Actor, place: Place, departments: string[] = []): boolean {
  if (coversPlace(actor, place)) return true;
  return actor.roles.includes('department_officer') && !!actor.department && departments.includes(actor.department);
}

export function mayDo(actor: Pick<Actor, 'roles'>, action: keyof typeof CASE_ACTIONS): boolean {
  return actor.roles.some((r) => CASE_ACTIONS[action].includes(r));
}

/**
 * Integration scopes: an API key may do exactly what it lists. `start:<type>` starts a process,
 * `signal:<type>.<signal>` sends one signal, other words name integration endpoints (`alert`, …).
 */
export function integrationAllows(actor: Pick<Actor, 'kind' | 'scopes'>, scope: string): boolean {
  return actor.kind === 'integration' && !!actor.scopes?.includes(scope);
}

/**
 * May this actor follow a case into the Temporal Web UI? It shows every payload unmasked and the
 * engine's internals, so only the district's supervision (admins, the district supervisor) gets the link.
 */
export const mayOpenTemporalUi = (actor: Pick<Actor, 'kind' | 'roles'>) => actor.kind === 'user' && (actor.roles.includes('admin') || actor.roles.includes('district_supervisor'));

/** The scope prefix binding an API key to a department it speaks for (`department:区医保局`). */
export const DEPARTMENT_SCOPE = 'department:';

/**
 * May this actor raise an alert in this department's name? The alerting department becomes involved
 * with the household and sees its ID number and phone (server/privacy.ts), so it is the caller's own:
 * an officer's department, or one an admin bound the API key to (`department:<部门>` scope). Admins
 * (and the system acting for a case, e.g. P3's alert as 区医保局) may name any: they already grant
 * users and keys their departments.
 */
export function speaksFor(actor: Pick<Actor, 'kind' | 'roles' | 'department' | 'scopes'>, department: string): boolean {
  if (actor.kind === 'integration') return integrationAllows(actor, `${DEPARTMENT_SCOPE}${department}`);
  return actor.roles.includes('admin') || actor.department === department;
}

// ---------------------------------------------------------------- the authorization matrix

/**
 * How far a role's permission reaches. `district`: the whole district; `town` / `village`: the
 * caller's own (coversPlace); `department`: cases the caller's department works on or raised
 * (maySeeCase); `step`: decided per step by the step's own role and scope (mayCompleteStep);
 * `self`: the caller's own session. Row-level rules are the functions above; server/scope.ts turns
 * them into queries.
 */
export type Reach = 'district' | 'town' | 'village' | 'department' | 'step' | 'self';

/**
 * Scopes an API key may hold besides `start:<type>` and `signal:<type>.<signal>`: one word per
 * integration endpoint. Append a line when adding an integration endpoint. The Chinese title is what an
 * admin reads in the console (no paths); the English one names the endpoint for integrators.
 */
export const ENDPOINT_SCOPES: Record<string, Text> = {
  alert: t('部门筛查预警推送', 'Department screening alerts (POST /api/alerts)'),
  settlement: t('医保结算推送', 'Medical insurance settlements (POST /api/integrations/medical-settlements)'),
  exchange: t('部门数据比对报送与反馈（须同时绑定部门）', 'Department data exchange and feedback (/api/data-exchange, with a department binding)'),
};

export interface PermissionRule {
  title: Text;
  /** Roles holding the permission, each with its reach. A role not listed is refused (403). */
  roles: Partial<Record<Role, Reach>>;
  /**
   * Which API keys may use it: `any` every key, `start` / `signal` a key holding some `start:` /
   * `signal:` scope (the handler then checks the exact one), or an endpoint scope (`alert`).
   * Absent: no key ever.
   */
  integration?: 'any' | 'start' | 'signal' | keyof typeof ENDPOINT_SCOPES;
  /** The audit action recorded when a request for it is refused. */
  audit: string;
}

const EVERYONE: Partial<Record<Role, Reach>> = { information_officer: 'district', village_cadre: 'district', town_officer: 'district', department_officer: 'district', district_supervisor: 'district', admin: 'district' };
const OWN_AREA: Partial<Record<Role, Reach>> = { village_cadre: 'village', town_officer: 'town', department_officer: 'department', district_supervisor: 'district', admin: 'district' };
const SELF: Partial<Record<Role, Reach>> = { information_officer: 'self', village_cadre: 'self', town_officer: 'self', department_officer: 'self', district_supervisor: 'self', admin: 'self' };
const SUPERVISION: Partial<Record<Role, Reach>> = { district_supervisor: 'district', admin: 'district' };
const ADMIN: Partial<Record<Role, Reach>> = { admin: 'district' };

/** Who may do what, on which scope. The API enforces it (server/authorization.ts); the UI shows actions by it. */
export const PERMISSIONS = {
  session: { title: t('登录会话', 'Own session'), roles: SELF, audit: 'session' },
  whoami: { title: t('当前身份', 'Who am I'), roles: SELF, integration: 'any', audit: 'session' },
  'catalogue.read': { title: t('流程目录', 'Process catalogue'), roles: EVERYONE, integration: 'any', audit: 'read' },
  'calendar.read': { title: t('工作日历', 'Working calendar'), roles: EVERYONE, audit: 'read' },
  'calendar.reload': { title: t('重新加载节假日', 'Reload the holiday file'), roles: ADMIN, audit: 'calendar_reload' },
  'calendar.enter': { title: t('录入年度节假日安排', "Enter a year's official holidays"), roles: ADMIN, audit: 'calendar_year_entered' },
  'directory.read': {
    title: t('村镇与用户', 'Villages and users'),
    roles: { village_cadre: 'town', town_officer: 'town', department_officer: 'department', district_supervisor: 'district', admin: 'district' },
    audit: 'read',
  },
  'cases.read': { title: t('查看流程与环节', 'Read cases and steps'), roles: OWN_AREA, audit: 'read' },
  'stats.read': {
    title: t('统计监测数据', 'Monitoring statistics'),
    // Counted over what the caller's lists show: households by householdScope (a department reads the
    // whole register), steps by stepScope (its own department's).
    roles: { village_cadre: 'village', town_officer: 'town', department_officer: 'department', district_supervisor: 'district', admin: 'district' },
    audit: 'read',
  },
  'supervision.records': {
    title: t('约谈、问责记录', 'Talks and accountability records'),
    // Supervisors read every record; a town's or a department's officers those concerning them (server/supervision/records.ts).
    roles: { ...SUPERVISION, town_officer: 'town', department_officer: 'department' },
    audit: 'read',
  },
  'supervision.record': { title: t('记录约谈、问责', 'Record a talk or accountability'), roles: SUPERVISION, audit: 'accountability_record' },
  'supervision.scores': {
    title: t('镇、部门年度考核得分', "Towns' and departments' scores"),
    // Supervisors read every town's and department's; a town officer its town's, a department officer its department's.
    roles: { ...SUPERVISION, town_officer: 'town', department_officer: 'department' },
    audit: 'read',
  },
  // Supervisors read every secretary's 遍访 coverage; a town officer their town's secretaries' (server/stats/secretary-visits.ts).
  'supervision.secretaryVisits': { title: t('书记遍访情况', "Secretaries' annual visits"), roles: { ...SUPERVISION, town_officer: 'town' }, audit: 'read' },
  'cases.export': { title: t('导出流程与环节台账', 'Export case and step ledgers'), roles: OWN_AREA, audit: 'export' },
  'cases.start': {
    title: t('发起流程', 'Start a case'),
    // Department officers start identifications through the department-alert channel, for any household;
    // information officers through their own channel, in the area they report for (contracts/roles.ts reportsFor).
    roles: { information_officer: 'village', village_cadre: 'village', town_officer: 'town', department_officer: 'district', district_supervisor: 'district', admin: 'district' },
    integration: 'start',
    audit: 'start',
  },
  'cases.signal': { title: t('发送信号（异议、预警、进度…）', 'Send a signal'), roles: OWN_AREA, integration: 'signal', audit: 'signal' },
  'steps.complete': {
    title: t('办理环节', 'Complete a step'),
    roles: { village_cadre: 'step', town_officer: 'step', department_officer: 'step', district_supervisor: 'step', admin: 'district' },
    audit: 'step',
  },
  'files.upload': {
    title: t('上传佐证材料', 'Upload evidence'),
    roles: { village_cadre: 'step', town_officer: 'step', department_officer: 'step', district_supervisor: 'step', admin: 'district' },
    audit: 'file_upload',
  },
  // Per file: its uploader while no step uses it, then whoever may see a case that used it (server/commands/files.ts).
  'files.read': { title: t('查看佐证材料', 'Read evidence'), roles: OWN_AREA, audit: 'file_download' },
  'cases.cancel': { title: t('撤销流程', 'Cancel a case'), roles: SUPERVISION, audit: 'cancel' },
  'alerts.send': {
    title: t('推送部门预警', 'Send a department alert'),
    roles: { department_officer: 'district', district_supervisor: 'district', admin: 'district' },
    integration: 'alert',
    audit: 'alert',
  },
  'settlements.send': {
    title: t('推送医保结算', 'Send a medical insurance settlement'),
    // The settlement system's key only: no person posts settlements, not even an admin.
    roles: {},
    integration: 'settlement',
    audit: 'settlement',
  },
  'exchange.send': {
    title: t('报送部门比对数据', 'Send department data for comparison'),
    // Each its own department's data (server/data-exchange/intake.ts); an admin may send for any.
    roles: { department_officer: 'department', admin: 'district' },
    integration: 'exchange',
    audit: 'exchange_batch',
  },
  'exchange.read': {
    title: t('查看比对批次与反馈', 'Read data batches and their feedback'),
    // A department reads its own batches; the district's supervision reads every one.
    roles: { department_officer: 'department', district_supervisor: 'district', admin: 'district' },
    integration: 'exchange',
    audit: 'read',
  },
  'households.read': {
    title: t('查看农户台账', 'Read the household register'),
    // Department officers read the whole register, information officers their area's, personal data masked (server/privacy.ts).
    roles: { information_officer: 'village', village_cadre: 'village', town_officer: 'town', department_officer: 'district', district_supervisor: 'district', admin: 'district' },
    audit: 'read',
  },
  'households.export': {
    title: t('导出农户台账', 'Export the household register'),
    roles: { village_cadre: 'village', town_officer: 'town', department_officer: 'district', district_supervisor: 'district', admin: 'district' },
    audit: 'export',
  },
  'households.write': {
    title: t('登记、修改、导入农户', 'Register, change and import households'),
    roles: { village_cadre: 'village', town_officer: 'town', district_supervisor: 'district', admin: 'district' },
    audit: 'household_write',
  },
  'households.contactCadre': {
    title: t('确定、调整包户干部', 'Name or change a contact cadre'),
    roles: { town_officer: 'town', district_supervisor: 'district', admin: 'district' },
    audit: 'contact_cadre',
  },
  'directory.manage': { title: t('登记村镇', 'Register towns and villages'), roles: ADMIN, audit: 'village_create' },
  'users.manage': { title: t('用户角色与停用', 'User roles and deactivation'), roles: ADMIN, audit: 'role_change' },
  'policy.read': { title: t('查看政策参数', 'Read the policy in force'), roles: EVERYONE, audit: 'read' },
  'policy.versions': { title: t('政策版本', 'Policy versions'), roles: SUPERVISION, audit: 'read' },
  'policy.draft': { title: t('起草政策版本', 'Draft a policy version'), roles: ADMIN, audit: 'policy_draft' },
  // Four-eyes: another administrator or a supervisor confirms a draft, never its drafter (server/policy-versions.ts).
  'policy.activate': { title: t('启用政策版本', 'Activate a policy version'), roles: SUPERVISION, audit: 'policy_activate' },
  'definitions.manage': { title: t('设计流程（BPMN）', 'Design processes (BPMN)'), roles: ADMIN, audit: 'definition' },
  'apiKeys.manage': { title: t('接口密钥', 'API keys'), roles: ADMIN, audit: 'api_key' },
  'deadLetters.manage': { title: t('死信（未能投递的集成事件）', 'Dead letters'), roles: ADMIN, audit: 'dead_letter' },
  'audit.read': { title: t('审计日志', 'Audit log'), roles: SUPERVISION, audit: 'audit_read' },
  'audit.export': { title: t('导出审计日志', 'Export the audit log'), roles: SUPERVISION, audit: 'export' },
} satisfies Record<string, PermissionRule>;

export type Permission = keyof typeof PERMISSIONS;

/**
 * Every API endpoint (`METHOD path` as Fastify registers it, from the app's mount point: a host that
 * mounts the app at /fangfan serves `POST /api/processes` at /fangfan/api/processes) → the permission
 * it needs, or `public`.
 * An endpoint missing here is closed to API keys and fails tests/api/authorization-matrix.test.ts;
 * append a line with every new route.
 */
export const ENDPOINTS: Record<string, Permission | 'public'> = {
  'GET /api/health': 'public',
  'GET /api/ready': 'public',
  'GET /api/live': 'public',
  'POST /api/auth/login': 'public',
  'POST /api/auth/logout': 'session',
  'POST /api/auth/password': 'session',
  'GET /api/auth/me': 'whoami',
  'GET /api/process-types': 'catalogue.read',
  'POST /api/processes': 'cases.start',
  'POST /api/alerts': 'alerts.send',
  'GET /api/processes': 'cases.read',
  'GET /api/processes/export.xlsx': 'cases.export',
  'GET /api/processes/:id': 'cases.read',
  'GET /api/processes/:id/history': 'cases.read',
  'GET /api/processes/:id/notice': 'cases.read',
  'GET /api/processes/:id/documents': 'cases.read',
  'GET /api/processes/:id/documents/:kind': 'cases.read',
  'POST /api/processes/:id/signals/:signal': 'cases.signal',
  'POST /api/processes/:id/steps/:stepKey': 'steps.complete',
  'POST /api/processes/:id/cancel': 'cases.cancel',
  'GET /api/steps': 'cases.read',
  'GET /api/steps/export.xlsx': 'cases.export',
  'GET /api/steps/overdue/summary': 'cases.read',
  'GET /api/steps/summary': 'cases.read',
  'GET /api/households': 'households.read',
  'GET /api/households/export.xlsx': 'households.export',
  'GET /api/households/:id': 'households.read',
  'POST /api/households': 'households.write',
  'PUT /api/households/:id': 'households.write',
  'POST /api/households/import': 'households.write',
  'GET /api/households/:id/members': 'households.read',
  'PUT /api/households/:id/members': 'households.write',
  'GET /api/households/:id/contact-cadre': 'households.read',
  'PUT /api/households/:id/contact-cadre': 'households.contactCadre',
  'GET /api/calendar/add': 'calendar.read',
  'GET /api/calendar/:year': 'calendar.read',
  'POST /api/calendar/reload': 'calendar.reload',
  'PUT /api/calendar/:year': 'calendar.enter',
  'GET /api/policy': 'policy.read',
  'GET /api/policy/versions': 'policy.versions',
  'POST /api/policy/versions': 'policy.draft',
  'GET /api/policy/versions/:id': 'policy.versions',
  'POST /api/policy/versions/:id/activate': 'policy.activate',
  'GET /api/villages': 'directory.read',
  'POST /api/villages': 'directory.manage',
  'GET /api/users': 'directory.read',
  'GET /api/users/:id': 'directory.read',
  'PUT /api/users/:id': 'users.manage',
  'POST /api/users/:id/unlock': 'users.manage',
  'POST /api/users': 'users.manage',
  'POST /api/users/:id/password': 'users.manage',
  'GET /api/api-keys': 'apiKeys.manage',
  'GET /api/api-keys/:id': 'apiKeys.manage',
  'POST /api/api-keys': 'apiKeys.manage',
  'DELETE /api/api-keys/:id': 'apiKeys.manage',
  'POST /api/api-keys/:id/revoke': 'apiKeys.manage',
  'GET /api/dead-letters': 'deadLetters.manage',
  'GET /api/dead-letters/:id': 'deadLetters.manage',
  'POST /api/dead-letters/:id/replay': 'deadLetters.manage',
  'GET /api/audit': 'audit.read',
  'GET /api/audit/export.xlsx': 'audit.export',
  'GET /api/audit/:id': 'audit.read',
  'POST /api/integrations/medical-settlements': 'settlements.send',
  'GET /api/campaigns/:year/progress': 'cases.read',
  'GET /api/stats/monitoring': 'stats.read',
  'GET /api/stats/information-officers': 'stats.read',
  'GET /api/reports/monthly.xlsx': 'stats.read',
  'POST /api/data-exchange/batches': 'exchange.send',
  'GET /api/data-exchange/batches': 'exchange.read',
  'GET /api/data-exchange/batches/:id': 'exchange.read',
  'GET /api/data-exchange/batches/:id/records': 'exchange.read',
  'GET /api/data-exchange/batches/:id/feedback.xlsx': 'exchange.read',
  'GET /api/data-exchange/rules': 'exchange.read',
  'GET /api/reports/monthly.html': 'stats.read',
  'GET /api/accountability': 'supervision.records',
  'POST /api/accountability': 'supervision.record',
  'GET /api/stats/scores': 'supervision.scores',
  'GET /api/stats/secretary-visits': 'supervision.secretaryVisits',
  'POST /api/files': 'files.upload',
  // A resumable upload is its starter's alone (server/commands/file-uploads.ts).
  'POST /api/files/uploads': 'files.upload',
  'GET /api/files/uploads/:id': 'files.upload',
  'PUT /api/files/uploads/:id': 'files.upload',
  'GET /api/files/:id': 'files.read',
  'GET /api/files/:id/thumbnail': 'files.read',
  'GET /api/files/:id/link': 'files.read',
  // A signed link stands for the caller who asked for it (server/files/links.ts).
  'GET /api/files/:id/signed': 'public',
  'GET /api/process-definitions': 'definitions.manage',
  'GET /api/process-definitions/:id': 'definitions.manage',
  'POST /api/process-definitions': 'definitions.manage',
  'POST /api/process-definitions/:id/publish': 'definitions.manage',
};

/** Does the actor's role hold the permission (at some reach)? Integrations: see integrationMay. */
export function may(actor: Pick<Actor, 'kind' | 'roles'>, permission: Permission): boolean {
  if (actor.kind !== 'user') return false;
  const roles: Partial<Record<Role, Reach>> = PERMISSIONS[permission].roles;
  return actor.roles.some((r) => roles[r] !== undefined);
}

/** May this API key use the permission at all? (The handler checks the exact `start:` / `signal:` scope.) */
export function integrationMay(actor: Pick<Actor, 'kind' | 'scopes'>, permission: Permission): boolean {
  if (actor.kind !== 'integration') return false;
  const rule: PermissionRule = PERMISSIONS[permission];
  const scopes = actor.scopes ?? [];
  switch (rule.integration) {
    case undefined:
      return false;
    case 'any':
      return true;
    case 'start':
      return scopes.some((s) => s.startsWith('start:'));
    case 'signal':
      return scopes.some((s) => s.startsWith('signal:'));
    default:
      return scopes.includes(rule.integration);
  }
}

/** May this actor start a case of this type? Users by the catalogue's start roles, keys by `start:<type>`. */
export function mayStart(actor: Actor, def: { type: string; startRoles: readonly Role[] }): boolean {
  if (actor.kind === 'integration') return integrationAllows(actor, `start:${def.type}`);
  return actor.roles.some((r) => def.startRoles.includes(r));
}

/** May this actor send this signal to a case of this type? Users by the signal's roles, keys by `signal:<type>.<name>`. */
export function maySignal(actor: Actor, type: string, signal: { name: string; roles: readonly Role[] }): boolean {
  if (actor.kind === 'integration') return integrationAllows(actor, `signal:${type}.${signal.name}`);
  return may(actor, 'cases.signal') && actor.roles.some((r) => signal.roles.includes(r));
}

/**
 * Every scope an API key may be given, from the process catalogue (passed in: this file is also
 * bundled into workflows, which must not import the schemas).
 */
export function knownScopes(catalogue: readonly { type: string; signals: readonly { name: string }[] }[]): string[] {
  return [
    ...catalogue.map((p) => `start:${p.type}`),
    ...catalogue.flatMap((p) => p.signals.map((s) => `signal:${p.type}.${s.name}`)),
    ...Object.keys(ENDPOINT_SCOPES),
    ...DEPARTMENTS.map((d) => `${DEPARTMENT_SCOPE}${d}`),
  ];
}

const rolesWith = (p: Permission): Role[] => ROLES.filter((r) => (PERMISSIONS[p].roles as Partial<Record<Role, Reach>>)[r] !== undefined);

/** Actions on cases beyond steps, by role (read from PERMISSIONS; kept for the UI's `mayDo`). */
export const CASE_ACTIONS: Record<'start' | 'cancel' | 'signal', Role[]> = {
  start: rolesWith('cases.start'),
  cancel: rolesWith('cases.cancel'),
  signal: rolesWith('cases.signal'),
};
