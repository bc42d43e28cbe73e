/**
 * Steps (the human tasks cases open): the inbox, supervisors' overdue views and their summary.
 * Read from the read model; "overdue" is computed from the due time, never from a timer having fired.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import Type from 'typebox';
import { Step } from '../../db';
import { ROLES } from '../../contracts/roles';
import { requireActor } from '../auth';
import { audit } from '../audit';
import { invalidField } from '../errors';
import { ListQuery, bool, ids, isoDate, oneOf, parseListQuery, sendList, str, type ListSpec } from '../lists';
import { stepScope, stepsICanComplete } from '../scope';
import { sendXlsx } from '../export';

const DAY = 86_400_000;
const shanghaiDay = (ms: number) => Math.floor((ms + 8 * 3600_000) / DAY);

/** Whole days late, counted in Shanghai calendar days after the due day. */
export function overdueDays(dueAt: Date, status: string, now = Date.now()): number {
  if (status !== 'open' || dueAt.getTime() >= now) return 0;
  return Math.max(1, shanghaiDay(now) - shanghaiDay(dueAt.getTime()));
}

export function stepRow(s: any, now = Date.now()) {
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

function spec(actor: ReturnType<typeof requireActor>): ListSpec {
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
  const { services } = app;
  const list = async (request: FastifyRequest<{ Querystring: { sort?: string; range?: string; filter?: string } }>, unpaged: boolean) => {
    const actor = requireActor(request);
    const q = parseListQuery(request.query, spec(actor), { unpaged });
    const [rows, total] = await services.db.em().findAndCount(Step, { $and: [q.where, stepScope(actor)] }, { orderBy: q.orderBy, offset: q.offset, limit: q.limit });
    const now = Date.now();
    return { rows: rows.map((r) => stepRow(r, now)), total, offset: q.offset };
  };

  app.get<{ Querystring: { sort?: string; range?: string; filter?: string } }>(
    '/steps',
    { schema: { tags: ['steps'], summary: 'List steps; `filter={"mine":true,"status":"open"}` is the inbox', querystring: ListQuery } },
    async (request, reply) => {
      const { rows, total, offset } = await list(request, false);
      return sendList(reply, 'steps', rows, total, offset);
    },
  );

  app.get<{ Querystring: { sort?: string; range?: string; filter?: string } }>(
    '/steps/export.xlsx',
    { schema: { tags: ['steps'], summary: 'The filtered step list as an Excel ledger', querystring: ListQuery } },
    async (request, reply) => {
      const actor = requireActor(request);
      const { rows } = await list(request, true);
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

  app.get<{ Querystring: { groupBy?: string } }>(
    '/steps/overdue/summary',
    {
      schema: {
        tags: ['steps'],
        summary: 'Overdue open steps counted by town, process type, role or department, with the oldest',
        querystring: Type.Object({ groupBy: Type.Optional(Type.String()) }, { additionalProperties: false }),
      },
    },
    async (request) => {
      const actor = requireActor(request);
      const groupBy = request.query.groupBy ?? 'town';
      if (!(groupBy in GROUPS)) throw invalidField('groupBy', 'enum', `must be one of ${Object.keys(GROUPS).join(', ')}`);
      const rows = await services.db.em().find(Step, { $and: [{ status: 'open', dueAt: { $lt: new Date() } }, stepScope(actor)] }, { orderBy: { dueAt: 'ASC' } });
      const now = Date.now();
      const groups = new Map<string, { key: string; count: number; oldestDueAt: string; maxOverdueDays: number; oldestStepId: string; oldestProcessId: string }>();
      const field = { town: 'town', processType: 'processType', role: 'role', department: 'department' }[groupBy as keyof typeof GROUPS] as keyof (typeof rows)[number];
      for (const s of rows) {
        const key = String(s[field] ?? '');
        const g = groups.get(key);
        if (!g) groups.set(key, { key, count: 1, oldestDueAt: s.dueAt.toISOString(), maxOverdueDays: overdueDays(s.dueAt, s.status, now), oldestStepId: s.id, oldestProcessId: s.processId });
        else g.count += 1;
      }
      return { groupBy, total: rows.length, groups: [...groups.values()].sort((a, b) => b.count - a.count) };
    },
  );
}
