/**
 * Steps (the human tasks cases open): the inbox, supervisors' overdue views and their summaries.
 * Read from the read model; "overdue" is computed from the due time, never from a timer having fired,
 * and "due soon" from the working-day calendar (calendar/due-soon.ts), the same for rows, filters and
 * summaries.
 */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Type, { type Static } from 'typebox';
import { raw, type EntityManager, type FilterQuery, type InferEntity } from '@mikro-orm/core';
import { Process, Step } from '../../db';
import { ROLES, ROLE_TITLES, type Actor } from '../../contracts/roles';
import { STEP_STATUSES } from '../../contracts/steps';
import { t, type Lang } from '../../contracts/i18n';
import { processType } from '../../processes';
import { endOfShanghaiDay, shanghaiDate, type WorkingCalendar } from '../../calendar';
import { dueSoonUntil, dueStateAt, workingDaysLeft } from '../../calendar/due-soon';
import { stepDueRule } from '../processes/due-rules';
import { requireActor } from '../auth';
import { audit } from '../audit';
import { invalidField } from '../errors';
import { caseNumberCondition, caseNumbersOf } from '../processes/case-numbers';
import { ListQuery, bool, containsCondition, ids, isoDate, likePattern, oneOf, parseListQuery, sendList, str, type ListSpec, type Where } from '../lists';
import { stepScope, stepsICanComplete } from '../scope';
import { labelIn, ledgerTime, sendXlsx, type Ledger } from '../export';
import { requestLang } from '../lang';

const DAY = 86_400_000;
type StepRow = InferEntity<typeof Step>;
/** A datetime as the driver returns it from an aggregate (SQLite: epoch ms; PostgreSQL: Date or text). */
const toDate = (v: unknown): Date => (v instanceof Date ? v : new Date(typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : (v as string | number)));
const shanghaiDay = (ms: number) => Math.floor((ms + 8 * 3600_000) / DAY);

/** The step list as an Excel ledger (办理环节). */
const STEP_LEDGER: Ledger = {
  name: t('办理环节', 'Steps'),
  columns: [
    { header: t('流程', 'Process'), key: 'process', width: 16 },
    { header: t('户主', 'Household head'), key: 'headName', width: 10 },
    { header: t('环节', 'Step'), key: 'step', width: 16 },
    { header: t('镇', 'Town'), key: 'town', width: 10 },
    { header: t('村', 'Village'), key: 'village', width: 10 },
    { header: t('办理角色', 'Role'), key: 'role', width: 16 },
    { header: t('部门', 'Department'), key: 'department', width: 14 },
    { header: t('开始时间', 'Opened'), key: 'openedAt', width: 18 },
    { header: t('办结期限', 'Due'), key: 'dueDate', width: 12 },
    { header: t('逾期天数', 'Days overdue'), key: 'overdueDays', width: 8 },
    { header: t('状态', 'Status'), key: 'status', width: 8 },
    { header: t('办理人', 'Completed by'), key: 'completedBy', width: 12 },
    { header: t('完成时间', 'Completed'), key: 'completedAt', width: 18 },
    { header: t('案件编号', 'Case number'), key: 'caseNo', width: 16 },
  ],
};

/** A step as a ledger row: titles, role and status in the caller's language, times in Beijing time. */
function stepLedgerRow(r: Static<typeof StepListItem>, lang: Lang) {
  return {
    process: r.processTitle[lang],
    headName: r.headName ?? '',
    step: r.title[lang],
    town: r.town,
    village: r.village,
    role: labelIn(ROLE_TITLES, r.role, lang),
    department: r.department ?? '',
    openedAt: ledgerTime(r.openedAt),
    dueDate: r.dueDate,
    overdueDays: r.overdueDays,
    status: labelIn(STEP_STATUSES, r.status, lang),
    completedBy: r.completedBy ?? '',
    completedAt: ledgerTime(r.completedAt),
    caseNo: r.caseNo ?? '',
  };
}

/** Whole days late, counted in Shanghai calendar days after the due day. */
export function overdueDays(dueAt: Date, status: string, now = Date.now()): number {
  if (status !== 'open' || dueAt.getTime() >= now) return 0;
  return Math.max(1, shanghaiDay(now) - shanghaiDay(dueAt.getTime()));
}

/** A step as lists show it (the console's inbox and overdue views). */
export const StepListItem = Type.Object({
  id: Type.String(),
  processId: Type.String(),
  caseNo: Type.Optional(Type.String({ description: "The case's number people read out (`认定-2026-0012`)" })),
  processType: Type.String(),
  stepKey: Type.String(),
  stepId: Type.String(),
  title: Type.Object({ zh: Type.String(), en: Type.String() }),
  role: Type.String(),
  department: Type.Optional(Type.String()),
  assignee: Type.Optional(Type.String()),
  town: Type.String(),
  village: Type.String(),
  householdId: Type.Optional(Type.String()),
  headName: Type.Optional(Type.String({ description: "The household head's name (户主), when the case concerns a household" })),
  processTitle: Type.Object({ zh: Type.String(), en: Type.String() }, { description: "The process type's name" }),
  openedAt: Type.String({ format: 'date-time' }),
  dueAt: Type.String({ format: 'date-time' }),
  dueDate: Type.String(),
  provisional: Type.Boolean({ description: 'The due date relies on a year whose official holiday schedule is not yet published' }),
  overdue: Type.Boolean(),
  overdueDays: Type.Integer(),
  dueState: Type.Optional(
    Type.Union([Type.Literal('overdue'), Type.Literal('soon'), Type.Literal('later')], {
      description: 'Open steps only: overdue; soon (即将到期) from the second working day before the due date; later',
    }),
  ),
  dueSoon: Type.Boolean({ description: 'Open, not overdue, and due within two working days (dueState soon)' }),
  workingDaysLeft: Type.Optional(Type.Integer({ description: 'Open steps whose rule counts working days, not overdue: the working days after today up to the due date' })),
  status: Type.String(),
  completedAt: Type.Optional(Type.String({ format: 'date-time' })),
  completedBy: Type.Optional(Type.String()),
});

const OverdueSummary = Type.Object({
  groupBy: Type.String(),
  total: Type.Integer(),
  groups: Type.Array(
    Type.Object({
      key: Type.String(),
      count: Type.Integer(),
      oldestDueAt: Type.String({ format: 'date-time' }),
      maxOverdueDays: Type.Integer(),
      oldestStepId: Type.String(),
      oldestProcessId: Type.String(),
      oldestCaseNo: Type.Optional(Type.String({ description: "The oldest step's case number (`认定-2026-0012`)" })),
    }),
  ),
});

/** What rows need besides the step: the time, the calendar and policy in force, the household heads. */
export interface RowContext {
  now: Date;
  calendar: WorkingCalendar;
  policy: object;
  /** processId → the household head's name, for cases of a household. */
  heads: Map<string, string>;
  /** processId → the case's number (server/processes/case-numbers.ts). */
  numbers?: Map<string, string>;
}

function dueFields(s: StepRow, ctx: RowContext): Pick<Static<typeof StepListItem>, 'dueState' | 'dueSoon' | 'workingDaysLeft'> {
  if (s.status !== 'open') return { dueSoon: false };
  const dueState = dueStateAt(s, ctx.now, ctx.calendar);
  const rule = dueState === 'overdue' ? undefined : stepDueRule(ctx.policy, s.processType, s.stepKey);
  const workingDays = rule && 'workingDays' in rule ? workingDaysLeft(shanghaiDate(ctx.now), s.dueDate, ctx.calendar) : undefined;
  return { dueState, dueSoon: dueState === 'soon', workingDaysLeft: workingDays };
}

export function stepRow(s: StepRow, ctx: RowContext): Static<typeof StepListItem> {
  const now = ctx.now.getTime();
  const type = processType(s.processType);
  return {
    id: s.id,
    processId: s.processId,
    processType: s.processType,
    stepKey: s.stepKey,
    stepId: s.stepId,
    title: { zh: s.titleZh, en: s.titleEn },
    role: s.role,
    department: s.department ?? undefined,
    assignee: s.assignee ?? undefined,
    town: s.town,
    village: s.village,
    householdId: s.householdId ?? undefined,
    headName: ctx.heads.get(s.processId),
    caseNo: ctx.numbers?.get(s.processId),
    processTitle: type?.title ?? { zh: s.processType, en: s.processType },
    openedAt: s.openedAt.toISOString(),
    dueAt: s.dueAt.toISOString(),
    dueDate: s.dueDate,
    provisional: s.provisional,
    overdue: s.status === 'open' && s.dueAt.getTime() < now,
    overdueDays: overdueDays(s.dueAt, s.status, now),
    ...dueFields(s, ctx),
    status: s.status,
    completedAt: s.completedAt?.toISOString(),
    completedBy: s.completedByName ?? s.completedBy ?? undefined,
  };
}

/** Open steps by how near their deadline is, as of `now` (the rows' dueState says the same). */
export function dueCondition(state: 'overdue' | 'soon', now: Date, calendar: WorkingCalendar): Where {
  if (state === 'overdue') return { status: 'open', dueAt: { $lt: now } };
  return { status: 'open', dueAt: { $gte: now, $lte: new Date(endOfShanghaiDay(dueSoonUntil(shanghaiDate(now), calendar))) } };
}

/** The household head's name (the case's title), the household id or the case's number contains the term. */
function searchCondition(term: string): Where {
  return {
    $or: [
      containsCondition('household_id', term),
      caseNumberCondition('process_id', term),
      { [raw((alias: string) => `${alias}.process_id in (select p.id from process p where p.household_id is not null and lower(p.title) like lower(?) escape '\\')`, [likePattern(term)])]: [] },
    ],
  };
}

function spec(actor: Actor, now: Date, calendar: WorkingCalendar): ListSpec {
  return {
    resource: 'steps',
    filters: {
      status: (v) => ({ status: oneOf('status', ['open', 'done', 'cancelled'] as const)(v) }),
      overdue: (v) => (bool('overdue')(v) ? dueCondition('overdue', now, calendar) : { $not: dueCondition('overdue', now, calendar) }),
      role: (v) => ({ role: oneOf('role', ROLES)(v) }),
      assignee: (v) => ({ assignee: str('assignee')(v) }),
      mine: (v) => (bool('mine')(v) ? stepsICanComplete(actor) : {}),
      town: (v) => ({ town: str('town')(v) }),
      village: (v) => ({ village: str('village')(v) }),
      department: (v) => ({ department: str('department')(v) }),
      processType: (v) => ({ processType: str('processType')(v) }),
      processId: (v) => ({ processId: str('processId')(v) }),
      householdId: (v) => ({ householdId: str('householdId')(v) }),
      dueBefore: (v) => ({ dueAt: { $lt: new Date(`${isoDate('dueBefore')(v)}T00:00:00+08:00`) } }),
      due: (v) => dueCondition(oneOf('due', ['soon', 'overdue'] as const)(v), now, calendar),
      q: (v) => searchCondition(str('q')(v)),
      id: (v) => ({ id: { $in: ids('id')(v) } }),
    },
    sorts: { dueAt: 'dueAt', openedAt: 'openedAt', completedAt: 'completedAt', town: 'town', id: 'id', processType: 'processType', overdueDays: 'dueAt' },
    defaultSort: ['dueAt', 'ASC'],
  };
}

const GROUPS = { town: 'town', processType: 'process_type', role: 'role', department: 'department' } as const;
type GroupBy = keyof typeof GROUPS;
/** The grouping asked for (own keys only: `in` would take toString or __proto__ for a group). */
function groupByOf(value: string | undefined): GroupBy {
  const groupBy = value ?? 'town';
  if (!Object.hasOwn(GROUPS, groupBy)) throw invalidField('groupBy', 'enum', `must be one of ${Object.keys(GROUPS).join(', ')}`);
  return groupBy as GroupBy;
}

/** The household heads of cases (their read-model title), by case id, in chunks the database takes. */
async function householdHeads(em: EntityManager, processIds: string[]): Promise<Map<string, string>> {
  const ids = [...new Set(processIds)];
  const heads = new Map<string, string>();
  for (let i = 0; i < ids.length; i += 500) {
    const cases = await em.find(Process, { id: { $in: ids.slice(i, i + 500) }, householdId: { $ne: null } }, { fields: ['id', 'title'] });
    for (const c of cases) heads.set(c.id, c.title);
  }
  return heads;
}

const StepSummary = Type.Object({
  groupBy: Type.String(),
  open: Type.Integer(),
  soon: Type.Integer(),
  overdue: Type.Integer(),
  groups: Type.Array(Type.Object({ key: Type.String(), open: Type.Integer(), soon: Type.Integer(), overdue: Type.Integer() })),
});

export async function stepRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const { services } = app;
  const list = async (actor: Actor, query: Static<typeof ListQuery>, unpaged: boolean) => {
    const now = new Date();
    const calendar = services.calendar();
    const q = parseListQuery(query, spec(actor, now, calendar), { unpaged });
    const em = services.db.em();
    const [rows, total] = await em.findAndCount(Step, { $and: [q.where, stepScope(actor)] }, { orderBy: q.orderBy, offset: q.offset, limit: q.limit });
    const heads = await householdHeads(em, rows.map((r) => r.processId));
    const numbers = await caseNumbersOf(em, rows.map((r) => r.processId));
    const ctx: RowContext = { now, calendar, policy: services.policy(), heads, numbers };
    return { rows: rows.map((r) => stepRow(r, ctx)), total, offset: q.offset };
  };

  r.get(
    '/steps',
    { schema: { tags: ['steps'], summary:
          'List steps; `filter={"mine":true,"status":"open"}` is the inbox; `"due":"soon"|"overdue"` by deadline (soon: within two working days); `"q"` searches the household head\'s name, the household id or the case number', querystring: ListQuery, response: { 200: Type.Array(StepListItem) } } },
    async (request, reply) => {
      const { rows, total, offset } = await list(requireActor(request), request.query, false);
      return sendList(reply, 'steps', rows, total, offset);
    },
  );

  r.get(
    '/steps/export.xlsx',
    { schema: { tags: ['steps'], summary: 'The filtered step list as an Excel ledger', querystring: ListQuery } },
    async (request, reply) => {
      const actor = requireActor(request);
      const { rows } = await list(actor, request.query, true);
      await audit(services.db, { actor, action: 'export', target: 'steps', ip: request.ip, outcome: 'ok', detail: { rows: rows.length } });
      const lang = requestLang(request);
      return sendXlsx(reply, lang, STEP_LEDGER, rows.map((r) => stepLedgerRow(r, lang)));
    },
  );

  r.get(
    '/steps/overdue/summary',
    {
      schema: {
        tags: ['steps'],
        summary: 'Overdue open steps counted by town, process type, role or department, with the oldest',
        querystring: Type.Object({ groupBy: Type.Optional(Type.String()) }, { additionalProperties: false }),
        response: { 200: OverdueSummary },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      const groupBy = groupByOf(request.query.groupBy);
      // Counted by the database (GROUP BY), never by loading every overdue row: one query for the groups,
      // then one indexed look-up per group (a dozen at most) for its oldest step.
      const field = groupBy;
      // Built afresh for each query: the scope may hold a raw fragment (a team member's steps), used once.
      const now = new Date();
      const where = () => ({ $and: [{ status: 'open', dueAt: { $lt: now } }, stepScope(actor)] }) as FilterQuery<StepRow>;
      const em = services.db.em();
      const counted = (await em
        .createQueryBuilder(Step, 's')
        .select([field, raw('count(*) as n'), raw('min(s.due_at) as oldest')])
        .where(where() as never)
        .groupBy(field)
        .execute('all', false)) as Record<string, unknown>[];
      const column = GROUPS[groupBy];
      const groups = await Promise.all(
        counted.map(async (g) => {
          const value = (g[column] ?? null) as string | null;
          const oldest = toDate(g.oldest);
          const first = await em.findOne(Step, { $and: [where(), { [field]: value, dueAt: oldest }] } as FilterQuery<StepRow>, { orderBy: { id: 'ASC' }, fields: ['id', 'processId', 'dueAt'] });
          return {
            key: String(value ?? ''),
            count: Number(g.n),
            oldestDueAt: oldest.toISOString(),
            maxOverdueDays: overdueDays(oldest, 'open', now.getTime()),
            oldestStepId: first?.id ?? '',
            oldestProcessId: first?.processId ?? '',
          };
        }),
      );
      groups.sort((a, b) => b.count - a.count || a.oldestDueAt.localeCompare(b.oldestDueAt));
      const numbers = await caseNumbersOf(em, groups.map((g) => g.oldestProcessId).filter(Boolean));
      return { groupBy, total: groups.reduce((n, g) => n + g.count, 0), groups: groups.map((g) => ({ ...g, oldestCaseNo: numbers.get(g.oldestProcessId) })) };
    },
  );

  r.get(
    '/steps/summary',
    {
      schema: {
        tags: ['steps'],
        summary: 'Open steps counted by town, process type, role or department: open, due soon (within two working days) and overdue',
        querystring: Type.Object({ groupBy: Type.Optional(Type.String()) }, { additionalProperties: false }),
        response: { 200: StepSummary },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      const groupBy = groupByOf(request.query.groupBy);
      const now = new Date();
      const calendar = services.calendar();
      const em = services.db.em();
      // Three GROUP BY counts (open, due soon, overdue) with the same conditions the list filters use.
      const count = async (condition: Where) => {
        const rows = (await em
          .createQueryBuilder(Step, 's')
          .select([groupBy, raw('count(*) as n')])
          .where({ $and: [condition, stepScope(actor)] } as never)
          .groupBy(groupBy)
          .execute('all', false)) as Record<string, unknown>[];
        return new Map(rows.map((g) => [String(g[GROUPS[groupBy]] ?? ''), Number(g.n)]));
      };
      const [open, soon, overdue] = await Promise.all([count({ status: 'open' }), count(dueCondition('soon', now, calendar)), count(dueCondition('overdue', now, calendar))]);
      const groups = [...open].map(([key, n]) => ({ key, open: n, soon: soon.get(key) ?? 0, overdue: overdue.get(key) ?? 0 }));
      groups.sort((a, b) => b.overdue - a.overdue || b.soon - a.soon || b.open - a.open || a.key.localeCompare(b.key));
      const sum = (k: 'open' | 'soon' | 'overdue') => groups.reduce((n, g) => n + g[k], 0);
      return { groupBy, open: sum('open'), soon: sum('soon'), overdue: sum('overdue'), groups };
    },
  );
}
