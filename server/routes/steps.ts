/**
 * Steps (the human tasks cases open): the inbox, supervisors' overdue views and their summary.
 * Read from the read model; "overdue" is computed from the due time, never from a timer having fired.
 */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Type, { type Static } from 'typebox';
import { raw, type FilterQuery, type InferEntity } from '@mikro-orm/core';
import { Step } from '../../db';
import { ROLES, type Actor } from '../../contracts/roles';
import { requireActor } from '../auth';
import { audit } from '../audit';
import { invalidField } from '../errors';
import { ListQuery, bool, ids, isoDate, oneOf, parseListQuery, sendList, str, type ListSpec } from '../lists';
import { stepScope, stepsICanComplete } from '../scope';
import { sendXlsx } from '../export';

const DAY = 86_400_000;
type StepRow = InferEntity<typeof Step>;
/** A datetime as the driver returns it from an aggregate (SQLite: epoch ms; PostgreSQL: Date or text). */
const toDate = (v: unknown): Date => (v instanceof Date ? v : new Date(typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : (v as string | number)));
const shanghaiDay = (ms: number) => Math.floor((ms + 8 * 3600_000) / DAY);

/** Whole days late, counted in Shanghai calendar days after the due day. */
export function overdueDays(dueAt: Date, status: string, now = Date.now()): number {
  if (status !== 'open' || dueAt.getTime() >= now) return 0;
  return Math.max(1, shanghaiDay(now) - shanghaiDay(dueAt.getTime()));
}

/** A step as lists show it (the console's inbox and overdue views). */
export const StepListItem = Type.Object({
  id: Type.String(),
  processId: Type.String(),
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
  openedAt: Type.String({ format: 'date-time' }),
  dueAt: Type.String({ format: 'date-time' }),
  dueDate: Type.String(),
  provisional: Type.Boolean(),
  overdue: Type.Boolean(),
  overdueDays: Type.Integer(),
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
    }),
  ),
});

export function stepRow(s: StepRow, now = Date.now()): Static<typeof StepListItem> {
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
    openedAt: s.openedAt.toISOString(),
    dueAt: s.dueAt.toISOString(),
    dueDate: s.dueDate,
    provisional: s.provisional,
    overdue: s.status === 'open' && s.dueAt.getTime() < now,
    overdueDays: overdueDays(s.dueAt, s.status, now),
    status: s.status,
    completedAt: s.completedAt?.toISOString(),
    completedBy: s.completedByName ?? s.completedBy ?? undefined,
  };
}

function spec(actor: Actor): ListSpec {
  return {
    resource: 'steps',
    filters: {
      status: (v) => ({ status: oneOf('status', ['open', 'done', 'cancelled'] as const)(v) }),
      overdue: (v) => (bool('overdue')(v) ? { status: 'open', dueAt: { $lt: new Date() } } : { $not: { status: 'open', dueAt: { $lt: new Date() } } }),
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
      id: (v) => ({ id: { $in: ids('id')(v) } }),
    },
    sorts: { dueAt: 'dueAt', openedAt: 'openedAt', completedAt: 'completedAt', town: 'town', id: 'id', processType: 'processType', overdueDays: 'dueAt' },
    defaultSort: ['dueAt', 'ASC'],
  };
}

const GROUPS = { town: 'town', processType: 'process_type', role: 'role', department: 'department' } as const;

export async function stepRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const { services } = app;
  const list = async (actor: Actor, query: Static<typeof ListQuery>, unpaged: boolean) => {
    const q = parseListQuery(query, spec(actor), { unpaged });
    const [rows, total] = await services.db.em().findAndCount(Step, { $and: [q.where, stepScope(actor)] }, { orderBy: q.orderBy, offset: q.offset, limit: q.limit });
    const now = Date.now();
    return { rows: rows.map((r) => stepRow(r, now)), total, offset: q.offset };
  };

  r.get(
    '/steps',
    { schema: { tags: ['steps'], summary: 'List steps; `filter={"mine":true,"status":"open"}` is the inbox', querystring: ListQuery, response: { 200: Type.Array(StepListItem) } } },
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
      return sendXlsx(
        reply,
        'steps.xlsx',
        [
          { header: '流程编号', key: 'processId', width: 36 },
          { header: '环节', key: 'titleZh', width: 16 },
          { header: '镇', key: 'town', width: 10 },
          { header: '村', key: 'village', width: 10 },
          { header: '办理角色', key: 'role', width: 16 },
          { header: '开始时间', key: 'openedAt', width: 22 },
          { header: '办结期限', key: 'dueDate', width: 12 },
          { header: '逾期天数', key: 'overdueDays', width: 8 },
          { header: '状态', key: 'status', width: 8 },
          { header: '办理人', key: 'completedBy', width: 12 },
        ],
        rows.map(({ title, ...r }) => ({ ...r, titleZh: title.zh })),
      );
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
      const groupBy = request.query.groupBy ?? 'town';
      // Own keys only: `in` would take toString or __proto__ for a group.
      if (!Object.hasOwn(GROUPS, groupBy)) throw invalidField('groupBy', 'enum', `must be one of ${Object.keys(GROUPS).join(', ')}`);
      // Counted by the database (GROUP BY), never by loading every overdue row: one query for the groups,
      // then one indexed look-up per group (a dozen at most) for its oldest step.
      const field = { town: 'town', processType: 'processType', role: 'role', department: 'department' }[groupBy as keyof typeof GROUPS] as 'town' | 'processType' | 'role' | 'department';
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
      const column = GROUPS[groupBy as keyof typeof GROUPS];
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
      return { groupBy, total: groups.reduce((n, g) => n + g.count, 0), groups };
    },
  );
}
