/**
 * Cases: list and Excel ledger (the read model), detail (live state from the workflow), history (from
 * Temporal's event history). The commands (start, signals, steps, cancellation) are routes/case-commands.ts.
 */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Type, { type Static } from 'typebox';
import type { InferEntity } from '@mikro-orm/core';
import { Process, Step } from '../../db';
import { processType } from '../../processes';
import { stateQuery } from '../../contracts/messages';
import { mayCompleteStep, mayOpenTemporalUi } from '../../contracts/authz';
import type { Actor } from '../../contracts/roles';
import { CASE_STATUSES, type CaseState } from '../../contracts/steps';
import { t, type Lang } from '../../contracts/i18n';
import { requireActor } from '../auth';
import { audit } from '../audit';
import { ListQuery, bool, containsCondition, ids, oneOf, parseListQuery, sendList, str, type ListSpec } from '../lists';
import { processScope } from '../scope';
import { fromTemporal } from '../processes/temporal-errors';
import { HistoryEntrySchema, caseHistory } from '../processes/history';
import { labelIn, ledgerTime, sendXlsx, type Ledger } from '../export';
import { requestLang } from '../lang';
import { maskCase, maskForCase } from '../privacy';
import { stepDepartments, visibleCase } from '../commands/visible-case';
import { caseCommandRoutes } from './case-commands';
import { caseNumberCondition, caseNumbersOf } from '../processes/case-numbers';

const STATUSES = ['running', 'completed', 'rejected', 'cancelled', 'failed'] as const;

const DateTime = Type.String({ format: 'date-time' });

/** A case as lists show it, from its read-model row. */
const ProcessListItem = Type.Object({
  id: Type.String(),
  caseNo: Type.Optional(Type.String({ description: 'The case number people read out and write down, `认定-2026-0012`; absent until the read model has seen the case' })),
  runId: Type.Optional(Type.String()),
  type: Type.String(),
  status: Type.String(),
  stage: Type.String(),
  subject: Type.String(),
  householdId: Type.Optional(Type.String()),
  title: Type.String(),
  town: Type.String(),
  village: Type.String(),
  startedAt: DateTime,
  closedAt: Type.Optional(DateTime),
  dueAt: Type.Optional(DateTime),
  dueDate: Type.Optional(Type.String()),
  provisional: Type.Boolean(),
  overdue: Type.Boolean(),
  outcome: Type.Optional(Type.String()),
  outcomeReasons: Type.Optional(Type.String()),
});

/** A case with the workflow's live answer (the read model's row alone when the workflow does not answer). */
const CaseDetail = Type.Object({
  ...Type.Partial(ProcessListItem).properties,
  id: Type.String(),
  type: Type.String(),
  status: Type.String(),
  stage: Type.String(),
  overdue: Type.Boolean(),
  state: Type.Unknown({ description: "The case's state, personal data masked for the caller (contracts/steps.ts CaseState); null when the workflow did not answer" }),
  openSteps: Type.Array(Type.Unknown({ description: 'An open StepInstance with `overdue` and whether the caller may complete it (`mayComplete`)' })),
  actions: Type.Array(Type.Unknown({ description: 'An on-demand action the case offers now, with `mayComplete`' })),
  policyVersion: Type.Optional(Type.String({ description: 'The policy version the case runs under, `v<n>#<digest>` (GET /api/policy/versions); absent for cases started before versions existed' })),
  temporalUiUrl: Type.Optional(Type.String()),
});

export function processRow(p: InferEntity<typeof Process>, now = Date.now(), caseNo?: string): Static<typeof ProcessListItem> {
  const overdue = p.status === 'running' && (!!p.overdueSince || (p.dueAt ? p.dueAt.getTime() < now : false));
  return {
    id: p.id,
    caseNo,
    runId: p.runId ?? undefined,
    type: p.type,
    status: p.status,
    stage: p.stage,
    subject: p.subject,
    householdId: p.householdId ?? undefined,
    title: p.title,
    town: p.town,
    village: p.village,
    startedAt: p.startedAt.toISOString(),
    closedAt: p.closedAt?.toISOString(),
    dueAt: p.dueAt?.toISOString(),
    dueDate: p.dueDate ?? undefined,
    provisional: p.dueProvisional,
    overdue,
    outcome: p.outcome ?? undefined,
    outcomeReasons: p.outcomeReasons ?? undefined,
  };
}

/** The case list as an Excel ledger (流程台账). */
const PROCESS_LEDGER: Ledger = {
  name: t('流程台账', 'Cases'),
  columns: [
    { header: t('流程类型', 'Process'), key: 'type', width: 16 },
    { header: t('户主/对象', 'Household head / subject'), key: 'title', width: 14 },
    { header: t('镇', 'Town'), key: 'town', width: 10 },
    { header: t('村', 'Village'), key: 'village', width: 10 },
    { header: t('状态', 'Status'), key: 'status', width: 10 },
    { header: t('当前环节', 'Current step'), key: 'stage', width: 16 },
    { header: t('发起时间', 'Started'), key: 'startedAt', width: 18 },
    { header: t('办结期限', 'Due'), key: 'dueDate', width: 12 },
    { header: t('是否逾期', 'Overdue'), key: 'overdue', width: 8 },
    { header: t('结束时间', 'Closed'), key: 'closedAt', width: 18 },
    { header: t('结果', 'Outcome'), key: 'outcome', width: 24 },
    { header: t('案件编号', 'Case number'), key: 'caseNo', width: 16 },
  ],
};
const YES_NO = { yes: t('是', 'Yes'), no: t('否', 'No') };

/**
 * A case as a ledger row: its type, status and current step by the catalogue's titles in the caller's
 * language (a stage that is no step of the catalogue is left blank rather than shown as a code), times
 * in Beijing time.
 */
function processLedgerRow(r: Static<typeof ProcessListItem>, lang: Lang) {
  const type = processType(r.type);
  const step = r.status === 'running' ? type?.steps.find((s) => s.key === r.stage) : undefined;
  return {
    type: type?.title[lang] ?? r.type,
    title: r.title,
    town: r.town,
    village: r.village,
    status: labelIn(CASE_STATUSES, r.status, lang),
    stage: step?.title[lang] ?? '',
    startedAt: ledgerTime(r.startedAt),
    dueDate: r.dueDate ?? '',
    overdue: (r.overdue ? YES_NO.yes : YES_NO.no)[lang],
    closedAt: ledgerTime(r.closedAt),
    outcome: [r.outcome, r.outcomeReasons].filter(Boolean).join('：'),
    caseNo: r.caseNo ?? '',
  };
}

async function overdueProcessIds(app: FastifyInstance): Promise<string[]> {
  const rows = await app.services.db.em().find(Step, { status: 'open', dueAt: { $lt: new Date() } }, { fields: ['processId'] });
  return [...new Set(rows.map((r) => r.processId))];
}

function listSpec(): ListSpec {
  return {
    resource: 'processes',
    filters: {
      type: (v) => ({ type: str('type')(v) }),
      status: (v) => ({ status: oneOf('status', STATUSES)(v) }),
      town: (v) => ({ town: str('town')(v) }),
      village: (v) => ({ village: str('village')(v) }),
      householdId: (v) => ({ householdId: str('householdId')(v) }),
      overdue: (v) => (bool('overdue')(v) ? { __overdue: true } : { __overdue: false }),
      q: (v) => {
        const q = str('q')(v);
        return { $or: [...['id', 'title', 'household_id', 'village'].map((c) => containsCondition(c, q)), caseNumberCondition('id', q)] };
      },
      id: (v) => ({ id: { $in: ids('id')(v) } }),
    },
    sorts: { startedAt: 'startedAt', dueAt: 'dueAt', id: 'id', status: 'status', town: 'town', type: 'type', closedAt: 'closedAt' },
    defaultSort: ['startedAt', 'DESC'],
  };
}

/** Replace the placeholder overdue condition with real ones (it needs the step table). */
async function resolveOverdue(app: FastifyInstance, where: any): Promise<any> {
  const text = JSON.stringify(where);
  if (!text.includes('__overdue')) return where;
  const overdueIds = await overdueProcessIds(app);
  const now = new Date();
  const yes = { status: 'running', $or: [{ dueAt: { $lt: now } }, { overdueSince: { $ne: null } }, { id: { $in: overdueIds } }] };
  const no = { $not: yes };
  const walk = (w: any): any => {
    if (Array.isArray(w)) return w.map(walk);
    if (w && typeof w === 'object') {
      if ('__overdue' in w) return w.__overdue ? yes : no;
      return Object.fromEntries(Object.entries(w).map(([k, v]) => [k, walk(v)]));
    }
    return w;
  };
  return walk(where);
}

const CaseParams = Type.Object({ id: Type.String({ maxLength: 200 }) });

export async function processRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const { services } = app;

  await caseCommandRoutes(app);

  // ---- list + export ----
  const list = async (actor: Actor, query: Static<typeof ListQuery>, unpaged: boolean) => {
    const q = parseListQuery(query, listSpec(), { unpaged });
    const where = await resolveOverdue(app, { $and: [q.where, processScope(actor)] });
    const [rows, total] = await services.db.em().findAndCount(Process, where, { orderBy: q.orderBy, offset: q.offset, limit: q.limit });
    const now = Date.now();
    const numbers = await caseNumbersOf(services.db.em(), rows.map((r) => r.id));
    return { rows: rows.map((r) => processRow(r, now, numbers.get(r.id))), total, offset: q.offset };
  };
  r.get(
    '/processes',
    { schema: { tags: ['processes'], summary: 'List cases (ra-data-simple-rest dialect)', querystring: ListQuery, response: { 200: Type.Array(ProcessListItem) } } },
    async (request, reply) => {
      const { rows, total, offset } = await list(requireActor(request), request.query, false);
      return sendList(reply, 'processes', rows, total, offset);
    },
  );
  r.get(
    '/processes/export.xlsx',
    { schema: { tags: ['processes'], summary: 'The filtered case list as an Excel ledger (工作台账)', querystring: ListQuery } },
    async (request, reply) => {
      const actor = requireActor(request);
      const { rows } = await list(actor, request.query, true);
      await audit(services.db, { actor, action: 'export', target: 'processes', ip: request.ip, outcome: 'ok', detail: { rows: rows.length } });
      const lang = requestLang(request);
      return sendXlsx(reply, lang, PROCESS_LEDGER, rows.map((r) => processLedgerRow(r, lang)));
    },
  );

  // ---- detail ----
  r.get(
    '/processes/:id',
    { schema: { tags: ['processes'], summary: "A case with its live state (the workflow's own answer)", params: CaseParams, response: { 200: CaseDetail } } },
    async (request): Promise<Static<typeof CaseDetail>> => {
      const actor = requireActor(request);
      const { row, state: early } = await visibleCase(services, actor, request.params.id);
      const handle = services.temporal.client.workflow.getHandle(request.params.id);
      // The policy version the case started under, from the workflow's memo (server/processes/start.ts).
      const policyVersion = handle
        .describe()
        .then((d) => (typeof d.memo?.policyVersion === 'string' ? d.memo.policyVersion : undefined))
        .catch(() => undefined);
      let state: CaseState | null = early ?? null;
      if (!state) {
        try {
          state = await handle.query(stateQuery);
        } catch (err) {
          request.log.warn({ err: (err as Error).message }, 'state query failed; serving the read model');
        }
      }
      // Personal data (ID numbers, phones, health details) as this caller may see them (server/privacy.ts).
      if (state) state = maskCase(actor, state, row?.departments ?? []);
      const caseNo = (await caseNumbersOf(services.db.em(), [request.params.id])).get(request.params.id);
      const base = row
        ? processRow(row, Date.now(), caseNo)
        : {
            id: state!.processId,
            type: state!.type,
            status: state!.status,
            stage: state!.stage,
            subject: state!.subject,
            householdId: state!.householdId,
            town: state!.town,
            village: state!.village,
            startedAt: state!.startedAt,
            dueAt: state!.due?.dueAt,
            dueDate: state!.due?.dueDate,
            overdue: !!state!.overdueSince,
          };
      const live = state ? { status: state.status, stage: state.stage, closedAt: state.closedAt, overdue: base.overdue || !!state.overdueSince } : {};
      const openSteps = (state?.steps ?? [])
        .filter((s) => s.status === 'open')
        .map((s) => ({ ...s, overdue: Date.parse(s.dueAt) < Date.now(), mayComplete: mayCompleteStep(actor, s, state!) }));
      // On-demand actions the case offers now (e.g. propose risk elimination), with whether the caller may take them.
      const actions = (state?.actions ?? []).map((a) => ({ ...a, mayComplete: mayCompleteStep(actor, a, state!) }));
      const { webUiUrl, namespace } = services.temporal;
      return {
        ...base,
        ...live,
        state,
        openSteps,
        actions,
        policyVersion: await policyVersion,
        temporalUiUrl: webUiUrl && mayOpenTemporalUi(actor) ? `${webUiUrl.replace(/\/$/, '')}/namespaces/${encodeURIComponent(namespace)}/workflows/${encodeURIComponent(request.params.id)}` : undefined,
      };
    },
  );

  // ---- history ----
  r.get(
    '/processes/:id/history',
    { schema: { tags: ['processes'], summary: "The audit timeline from Temporal's event history", params: CaseParams, response: { 200: Type.Array(HistoryEntrySchema) } } },
    async (request) => {
      const actor = requireActor(request);
      const found = await visibleCase(services, actor, request.params.id);
      const steps = await stepDepartments(services, found);
      try {
        // Masked as the case is for this caller (a health document's file id included).
        return maskForCase(actor, found, steps, await caseHistory(services.temporal.client, request.params.id, found.type));
      } catch (err) {
        throw fromTemporal(err);
      }
    },
  );
}
