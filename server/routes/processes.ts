/**
 * Cases: start, list, detail (live state from the workflow), history, signals, step completion
 * (Temporal Updates, so rule refusals come back as 422 and change nothing), cancellation.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import Type from 'typebox';
import { Process, Step } from '../../db';
import { processType } from '../../processes';
import { cancelCaseUpdate, completeStepUpdate, stateQuery } from '../../contracts/messages';
import { mayCompleteStep, mayDo } from '../../contracts/authz';
import type { Actor } from '../../contracts/roles';
import type { CaseState, SignalEnvelope } from '../../contracts/steps';
import { requireActor } from '../auth';
import { audit } from '../audit';
import { conflict, forbidden, invalidField, notFound, ruleViolation } from '../errors';
import { REPLAY_IN_HANDLER, once, replayIfAnswered } from '../idempotency';
import { batchedLookup } from '../group-commit';
import { ListQuery, bool, containsCondition, ids, oneOf, parseListQuery, sendList, str, type ListSpec } from '../lists';
import { assertMaySee, processScope } from '../scope';
import { startProcess, openCaseOf } from '../processes/start';
import { validateAgainst } from '../processes/validate';
import { fromTemporal } from '../processes/temporal-errors';
import { caseHistory } from '../processes/history';
import { enrichForm } from '../processes/forms';
import { sendXlsx } from '../export';
import { deliverAlert, integrationAlert, integrationSignal, integrationStart, startOnce, validateAlert } from '../processes/deliveries';
import { maskCase } from '../privacy';

const STATUSES = ['running', 'completed', 'rejected', 'cancelled', 'failed'] as const;

export function processRow(p: any, now = Date.now()) {
  const overdue = p.status === 'running' && (!!p.overdueSince || (p.dueAt ? p.dueAt.getTime() < now : false));
  return {
    id: p.id,
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
        return { $or: ['id', 'title', 'household_id', 'village'].map((c) => containsCondition(c, q)) };
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

/** Temporal itself is out of reach (not: the workflow is unknown or has no worker). */
function isUnavailable(err: unknown): boolean {
  const code = (err as { code?: number })?.code;
  return code === 14 || /UNAVAILABLE|ECONNREFUSED/.test((err as Error)?.message ?? '');
}

/** A case's read-model row, read together with those of concurrent requests (server/group-commit.ts). */
const findProcess = batchedLookup(
  (db, ids) => db.em().find(Process, { id: { $in: ids } }),
  (p) => p.id,
);

async function loadVisible(app: FastifyInstance, actor: Actor, id: string) {
  const row = await findProcess(app.services.db, id);
  if (!row) {
    // Started a moment ago and not yet projected? Ask Temporal. A case the read model does not know
    // and whose state cannot be read (no such workflow, or one this deployment runs no worker for) is
    // unknown here: 404, never a 5xx.
    let state: CaseState;
    try {
      state = await app.services.temporal.client.workflow.getHandle(id).query(stateQuery);
    } catch (err) {
      if (isUnavailable(err)) throw fromTemporal(err);
      throw notFound(`流程 ${id} 不存在 (no such process)`);
    }
    assertMaySee(actor, state);
    return { row: undefined, state };
  }
  assertMaySee(actor, { town: row.town, village: row.village, departments: row.departments });
  return { row, state: undefined as CaseState | undefined };
}

function ip(request: FastifyRequest) {
  return request.ip;
}

export async function processRoutes(app: FastifyInstance) {
  const { services } = app;

  /** The open instance (or on-demand action) of an assignee-scoped step, from the case's live state. */
  async function assigneeOf(processId: string, key: string, stepId: string | undefined, known?: CaseState) {
    let state = known;
    try {
      state ??= await services.temporal.client.workflow.getHandle(processId).query(stateQuery);
    } catch {
      return undefined; // the workflow will answer (closed, unknown)
    }
    const open = state.steps.find((s) => s.status === 'open' && s.key === key && (!stepId || s.id === stepId));
    return open ?? state.actions?.find((a) => a.key === key);
  }

  // ---- start ----
  app.post<{ Body: { type: string; input: Record<string, unknown> } }>(
    '/processes',
    {
      schema: {
        tags: ['processes'],
        summary: 'Start a process (201); 409 with the open one\'s id when one is open for the same subject',
        body: Type.Object({ type: Type.String({ minLength: 1, maxLength: 64 }), input: Type.Object({}, { additionalProperties: true }) }, { additionalProperties: false }),
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      if (actor.kind === 'integration') return integrationStart(app, request, reply, actor);
      const def = processType(request.body.type);
      if (!def) throw notFound(`未知流程类型 ${request.body.type} (unknown process type)`);
      if (!actor.roles.some((r) => def.startRoles.includes(r))) throw forbidden(`无权发起${def.title.zh} (your role may not start this process)`);
      validateAgainst(def.startSchema, request.body.input, 'input');
      return once(services.db, request, reply, actor, async (_eventId, ctx) => {
        try {
          const started = await startOnce(services, actor, def.type, request.body.input, ctx);
          await audit(services.db, { actor, action: 'start', processId: started.id, ip: ip(request), outcome: 'ok', detail: { type: def.type } });
          return { status: 201, body: started };
        } catch (err) {
          await audit(services.db, { actor, action: 'start', ip: ip(request), outcome: 'refused', detail: { type: def.type, error: (err as Error).message } });
          throw err;
        }
      });
    },
  );

  // ---- department alert (signal-with-start semantics) ----
  app.post<{ Body: { householdId: string; department: string; reference?: string; riskTypes?: string[]; description: string; category?: string } }>(
    '/alerts',
    {
      schema: {
        tags: ['processes'],
        summary: 'A department screening alert (部门筛查预警): joins the household\'s open identification or starts one',
        body: Type.Object(
          {
            householdId: Type.String({ minLength: 1, maxLength: 64 }),
            department: Type.String({ minLength: 1, maxLength: 64 }),
            reference: Type.Optional(Type.String({ maxLength: 100 })),
            riskTypes: Type.Optional(Type.Array(Type.String({ maxLength: 40 }), { maxItems: 11 })),
            category: Type.Optional(Type.String({ maxLength: 40 })),
            description: Type.String({ minLength: 1, maxLength: 2000 }),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      if (actor.kind === 'integration') return integrationAlert(app, request, reply, actor);
      if (!actor.roles.some((r) => ['department_officer', 'district_supervisor', 'admin'].includes(r))) throw forbidden('仅区级部门可推送预警 (only departments send alerts)');
      validateAlert(request.body);
      return once(services.db, request, reply, actor, (eventId, ctx) => deliverAlert(services, actor, request.body, eventId, ctx, ip(request)));
    },
  );

  // ---- list + export ----
  const list = async (request: FastifyRequest<{ Querystring: { sort?: string; range?: string; filter?: string } }>, unpaged: boolean) => {
    const actor = requireActor(request);
    const q = parseListQuery(request.query, listSpec(), { unpaged });
    const where = await resolveOverdue(app, { $and: [q.where, processScope(actor)] });
    const [rows, total] = await services.db.em().findAndCount(Process, where, { orderBy: q.orderBy, offset: q.offset, limit: q.limit });
    const now = Date.now();
    return { rows: rows.map((r) => processRow(r, now)), total, offset: q.offset };
  };
  app.get<{ Querystring: { sort?: string; range?: string; filter?: string } }>(
    '/processes',
    { schema: { tags: ['processes'], summary: 'List cases (ra-data-simple-rest dialect)', querystring: ListQuery } },
    async (request, reply) => {
      const { rows, total, offset } = await list(request, false);
      return sendList(reply, 'processes', rows, total, offset);
    },
  );
  app.get<{ Querystring: { sort?: string; range?: string; filter?: string } }>(
    '/processes/export.xlsx',
    { schema: { tags: ['processes'], summary: 'The filtered case list as an Excel ledger (工作台账)', querystring: ListQuery } },
    async (request, reply) => {
      const actor = requireActor(request);
      const { rows } = await list(request, true);
      await audit(services.db, { actor, action: 'export', target: 'processes', ip: ip(request), outcome: 'ok', detail: { rows: rows.length } });
      return sendXlsx(
        reply,
        'processes.xlsx',
        [
          { header: '流程编号', key: 'id', width: 36 },
          { header: '流程类型', key: 'typeTitle', width: 16 },
          { header: '户主', key: 'title', width: 12 },
          { header: '镇', key: 'town', width: 10 },
          { header: '村', key: 'village', width: 10 },
          { header: '状态', key: 'status', width: 10 },
          { header: '当前环节', key: 'stage', width: 16 },
          { header: '发起时间', key: 'startedAt', width: 22 },
          { header: '办结期限', key: 'dueDate', width: 12 },
          { header: '是否逾期', key: 'overdueText', width: 8 },
          { header: '结果', key: 'outcome', width: 24 },
        ],
        rows.map((r) => ({ ...r, typeTitle: processType(r.type)?.title.zh ?? r.type, overdueText: r.overdue ? '是' : '否' })),
      );
    },
  );

  // ---- detail ----
  app.get<{ Params: { id: string } }>(
    '/processes/:id',
    { schema: { tags: ['processes'], summary: 'A case with its live state (the workflow\'s own answer)', params: Type.Object({ id: Type.String({ maxLength: 200 }) }) } },
    async (request) => {
      const actor = requireActor(request);
      const { row, state: early } = await loadVisible(app, actor, request.params.id);
      let state: CaseState | null = early ?? null;
      if (!state) {
        try {
          state = await services.temporal.client.workflow.getHandle(request.params.id).query(stateQuery);
        } catch (err) {
          request.log.warn({ err: (err as Error).message }, 'state query failed; serving the read model');
        }
      }
      // Personal data (ID numbers, phones, health details) as this caller may see them (server/privacy.ts).
      if (state) state = maskCase(actor, state, row?.departments ?? []);
      const base = row
        ? processRow(row)
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
        temporalUiUrl: webUiUrl ? `${webUiUrl.replace(/\/$/, '')}/namespaces/${encodeURIComponent(namespace)}/workflows/${encodeURIComponent(request.params.id)}` : undefined,
      };
    },
  );

  // ---- history ----
  app.get<{ Params: { id: string } }>(
    '/processes/:id/history',
    { schema: { tags: ['processes'], summary: 'The audit timeline from Temporal\'s event history', params: Type.Object({ id: Type.String({ maxLength: 200 }) }) } },
    async (request) => {
      const actor = requireActor(request);
      const { row, state } = await loadVisible(app, actor, request.params.id);
      try {
        return await caseHistory(services.temporal.client, request.params.id, row?.type ?? state!.type);
      } catch (err) {
        throw fromTemporal(err);
      }
    },
  );

  // ---- signals ----
  app.post<{ Params: { id: string; signal: string }; Body: Record<string, unknown> }>(
    '/processes/:id/signals/:signal',
    {
      schema: {
        tags: ['processes'],
        summary: 'Send a signal (202 once Temporal has it)',
        params: Type.Object({ id: Type.String({ maxLength: 200 }), signal: Type.String({ maxLength: 64 }) }),
      },
      // A retry of a signal already answered gets that answer even where the checks below would now refuse
      // (a closed case refuses new signals, not the retry of one it took). Looked up only when they refuse:
      // when they pass, once() meets the stored answer itself, so a new signal costs no look-up for it.
      config: REPLAY_IN_HANDLER,
    },
    async (request, reply) => {
      const actor = requireActor(request);
      if (actor.kind === 'integration') return (await replayIfAnswered(services.db, request, reply)) ?? integrationSignal(app, request, reply, actor);
      let checked: { signal: NonNullable<ReturnType<typeof processType>>['signals'][number]; payload: Record<string, unknown> };
      try {
        const { row, state } = await loadVisible(app, actor, request.params.id);
        const type = row?.type ?? state!.type;
        const signal = processType(type)?.signals.find((s) => s.name === request.params.signal);
        if (!signal) throw notFound(`本流程没有信号 ${request.params.signal} (unknown signal)`);
        if (!actor.roles.some((r) => signal.roles.includes(r)) || !mayDo(actor, 'signal')) throw forbidden(`无权发送「${signal.title.zh}」(not allowed to send this signal)`);
        validateAgainst(signal.schema, request.body ?? {}, '');
        const status = row?.status ?? state!.status;
        if (status !== 'running') throw conflict('流程已结束 (the case is closed)');
        const stage = row?.stage ?? state!.stage;
        if (signal.stages && !signal.stages.includes(stage)) {
          throw conflict(`当前环节不接受「${signal.title.zh}」(not accepted at this stage: ${stage})`);
        }
        const payload = await enrichForm(services, request.body ?? {});
        const refusal = signal.precheck?.(payload, { town: row?.town ?? state!.town, village: row?.village ?? state!.village });
        if (refusal) throw ruleViolation(refusal);
        checked = { signal, payload };
      } catch (err) {
        const replayed = await replayIfAnswered(services.db, request, reply);
        if (replayed) return replayed;
        throw err;
      }
      const { signal, payload } = checked;
      return once(services.db, request, reply, actor, async (eventId) => {
        const env: SignalEnvelope = { payload, actor, eventId, receivedAt: new Date().toISOString() };
        try {
          await services.temporal.client.workflow.getHandle(request.params.id).signal(signal.definition, env);
        } catch (err) {
          throw fromTemporal(err);
        }
        // The audit entry is committed with the stored answer, before the answer is sent (server/idempotency.ts).
        return { status: 202, body: { accepted: true }, audit: { actor, action: 'signal', processId: request.params.id, ip: ip(request), outcome: 'ok', detail: { signal: signal.name } } };
      });
    },
  );

  // ---- steps ----
  app.post<{ Params: { id: string; stepKey: string }; Querystring: { stepId?: string }; Body: Record<string, unknown> }>(
    '/processes/:id/steps/:stepKey',
    {
      schema: {
        tags: ['processes'],
        summary: 'Complete an open step with its form (a Temporal Update: 422 when a rule refuses it)',
        params: Type.Object({ id: Type.String({ maxLength: 200 }), stepKey: Type.String({ maxLength: 64 }) }),
        querystring: Type.Object({ stepId: Type.Optional(Type.String({ maxLength: 80 })) }, { additionalProperties: false }),
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const { row, state } = await loadVisible(app, actor, request.params.id);
      const type = row?.type ?? state!.type;
      const step = processType(type)?.steps.find((s) => s.key === request.params.stepKey);
      if (!step) throw notFound(`本流程没有步骤 ${request.params.stepKey} (unknown step)`);
      const place = { town: row?.town ?? state!.town, village: row?.village ?? state!.village };
      // A step for one named person (the household's helper) or a team (P5 visits) is checked against the
      // open instance, as is a department step whose department the case chose (P5 rectification's fix).
      const live = step.scope === 'assignee' || (step.scope === 'department' && !step.department);
      const who = live ? await assigneeOf(request.params.id, step.key, request.query.stepId, state) : step;
      if (who && !mayCompleteStep(actor, who, place)) {
        throw forbidden(`无权办理「${step.title.zh}」(your role or area may not complete this step)`);
      }
      validateAgainst(step.form, request.body ?? {}, '');
      const form = await enrichForm(services, request.body ?? {});
      return once(services.db, request, reply, actor, async (eventId) => {
        try {
          const result = await services.temporal.client.workflow.getHandle(request.params.id).executeUpdate(completeStepUpdate, {
            args: [{ stepKey: step.key, stepId: request.query.stepId, form, actor, eventId, at: new Date().toISOString() }],
            ...(eventId ? { updateId: eventId } : {}),
          });
          await audit(services.db, { actor, action: 'step', processId: request.params.id, target: step.key, ip: ip(request), outcome: 'ok' });
          return { status: 200, body: { state: result } };
        } catch (err) {
          const mapped = fromTemporal(err);
          await audit(services.db, { actor, action: 'step', processId: request.params.id, target: step.key, ip: ip(request), outcome: 'refused', detail: { status: mapped.status, error: mapped.message } });
          throw mapped;
        }
      });
    },
  );

  // ---- cancel ----
  app.post<{ Params: { id: string }; Body: { reason: string } }>(
    '/processes/:id/cancel',
    {
      schema: {
        tags: ['processes'],
        summary: 'Cancel a running case (supervisors and admins), with the reason audited',
        params: Type.Object({ id: Type.String({ maxLength: 200 }) }),
        body: Type.Object({ reason: Type.String({ minLength: 1, maxLength: 2000 }) }, { additionalProperties: false }),
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      if (!mayDo(actor, 'cancel')) throw forbidden('仅区专班或管理员可撤销流程 (only supervisors and admins cancel cases)');
      const { row, state } = await loadVisible(app, actor, request.params.id);
      if ((row?.status ?? state!.status) !== 'running') throw conflict('流程已结束 (the case is closed)');
      if (!request.body.reason.trim()) throw invalidField('reason', 'minLength', '撤销必须说明原因 (a reason is required)');
      return once(services.db, request, reply, actor, async (eventId) => {
        try {
          const result = await services.temporal.client.workflow
            .getHandle(request.params.id)
            .executeUpdate(cancelCaseUpdate, { args: [{ reason: request.body.reason, actor, at: new Date().toISOString() }], ...(eventId ? { updateId: eventId } : {}) });
          await audit(services.db, { actor, action: 'cancel', processId: request.params.id, ip: ip(request), outcome: 'ok', detail: { reason: request.body.reason } });
          return { status: 200, body: { state: result } };
        } catch (err) {
          throw fromTemporal(err);
        }
      });
    },
  );
}
