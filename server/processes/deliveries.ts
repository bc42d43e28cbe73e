/**
 * Deliveries from other systems (and the cores the routes and dead-letter replays share): starting a
 * case, signalling one, department alerts. An integration (API key) may do exactly what its scopes
 * list (contracts/authz.ts); what it delivers that matches no case and cannot start one becomes a
 * dead letter (server/dead-letters.ts).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { WorkflowNotFoundError } from '@temporalio/client';
import { Process } from '../../db';
import { processType } from '../../processes';
import { IDENTIFICATION, type DepartmentAlertPayload } from '../../processes/identification/contract';
import { stateQuery } from '../../contracts/messages';
import { integrationAllows, mayStart } from '../../contracts/authz';
import type { Actor } from '../../contracts/roles';
import { RISK_TYPES, type RiskType } from '../../contracts/vocabulary';
import type { SignalEnvelope } from '../../contracts/steps';
import type { Services } from '../services';
import { audit } from '../audit';
import { HttpError, conflict, forbidden, notFound, ruleViolation } from '../errors';
import { once, type OnceContext } from '../idempotency';
import { withDeadLetter } from '../dead-letters';
import { openCaseOf, startProcess, type Started } from './start';
import { validateAgainst } from './validate';
import { fromTemporal } from './temporal-errors';
import { enrichForm } from './forms';

export interface AlertBody {
  householdId: string;
  department: string;
  reference?: string;
  riskTypes?: string[];
  description: string;
  category?: string;
}

/**
 * Start a case, safe to repeat after a crash: a start taken over from a crashed attempt answers with
 * the case that attempt reserved, if Temporal has it, instead of starting another.
 */
export async function startOnce(services: Services, actor: Actor, type: string, input: Record<string, unknown>, ctx: Pick<OnceContext, 'reserved' | 'reserve'>): Promise<Started> {
  const reserved = typeof ctx.reserved?.processId === 'string' ? ctx.reserved.processId : undefined;
  if (reserved) {
    try {
      const desc = await services.temporal.client.workflow.getHandle(reserved).describe();
      return { id: reserved, runId: desc.runId, type };
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError) && (err as Error).name !== 'WorkflowNotFoundError') throw fromTemporal(err);
      // Reserved but never started: start now (the stale open-case guard is cleared by startProcess).
    }
  }
  return startProcess(services, actor, type, input, { reserve: (processId) => ctx.reserve({ processId }) });
}

/** The start input an alert stands for when its household has no open identification. */
export function alertStartInput(b: AlertBody): Record<string, unknown> {
  return {
    householdId: b.householdId,
    channel: 'department_alert',
    category: b.category ?? 'sudden_hardship',
    riskTypes: b.riskTypes?.length ? b.riskTypes : ['other'],
    description: b.description,
    alert: { department: b.department, ...(b.reference ? { reference: b.reference } : {}) },
  };
}

const ALERT = IDENTIFICATION.signals.departmentAlert.definition;
/** validateAlert has checked every code against the vocabulary; this tells the compiler so. */
const isRiskType = (code: string): code is RiskType => code in RISK_TYPES;

/** The payload checks of an alert, before anything is attempted (400 naming the field). */
export function validateAlert(b: AlertBody): void {
  const def = processType(IDENTIFICATION.type)!;
  const alertSignal = def.signals.find((s) => s.name === ALERT.name)!;
  validateAgainst(alertSignal.schema, { department: b.department, reference: b.reference, riskTypes: b.riskTypes, description: b.description }, '');
  validateAgainst(def.startSchema, alertStartInput(b), 'input');
}

/** A department alert: joins the household's open identification, or starts one. */
export async function deliverAlert(
  services: Services,
  actor: Actor,
  b: AlertBody,
  eventId: string | undefined,
  ctx: Pick<OnceContext, 'reserved' | 'reserve'>,
  ip?: string,
): Promise<{ status: number; body: unknown }> {
  const def = processType(IDENTIFICATION.type)!;
  const open = await openCaseOf(services, def.type, b.householdId);
  if (open) {
    const env: SignalEnvelope<DepartmentAlertPayload> = {
      payload: { department: b.department, reference: b.reference, riskTypes: b.riskTypes?.filter(isRiskType), description: b.description },
      actor,
      eventId,
      receivedAt: new Date().toISOString(),
    };
    try {
      await services.temporal.client.workflow.getHandle(open).signal(ALERT, env);
    } catch (err) {
      throw fromTemporal(err);
    }
    await audit(services.db, { actor, action: 'signal', processId: open, ip, outcome: 'ok', detail: { signal: ALERT.name, via: 'alert' } });
    return { status: 202, body: { processId: open, started: false } };
  }
  const started = await startOnce(services, actor, def.type, alertStartInput(b), ctx);
  await audit(services.db, { actor, action: 'start', processId: started.id, ip, outcome: 'ok', detail: { type: def.type, via: 'alert' } });
  return { status: 201, body: { processId: started.id, started: true } };
}

/** A case as the delivery paths need it (the read model, or Temporal for a case started a moment ago). */
export async function findCase(services: Services, id: string): Promise<{ type: string; status: string; stage: string; town: string; village: string; departments: string[] } | undefined> {
  const row = await services.db.em().findOne(Process, { id });
  if (row) return { type: row.type, status: row.status, stage: row.stage, town: row.town, village: row.village, departments: row.departments ?? [] };
  try {
    const state = await services.temporal.client.workflow.getHandle(id).query(stateQuery);
    return { type: state.type, status: state.status, stage: state.stage, town: state.town, village: state.village, departments: state.departments ?? [] };
  } catch (err) {
    // As in routes/processes.ts loadVisible: a case the read model does not know and whose state cannot
    // be read (no such workflow, or one this deployment runs no worker for) is unknown here, not a 500;
    // only Temporal out of reach is passed on.
    const code = (err as { code?: number })?.code;
    if (code === 14 || /UNAVAILABLE|ECONNREFUSED/.test((err as Error)?.message ?? '')) throw fromTemporal(err);
    return undefined;
  }
}

/** Send a signal to a case (no visibility check: the caller's right to send it was checked). */
export async function deliverSignal(
  services: Services,
  actor: Actor,
  processId: string,
  signalName: string,
  payload: Record<string, unknown>,
  eventId: string | undefined,
  ip?: string,
): Promise<{ status: number; body: unknown }> {
  const found = await findCase(services, processId);
  if (!found) throw notFound(`流程 ${processId} 不存在 (no such process)`);
  if (actor.kind === 'integration' && !integrationAllows(actor, `signal:${found.type}.${signalName}`)) {
    throw forbidden(`接口密钥无权向该类流程发送信号 ${signalName} (the API key lacks signal:${found.type}.${signalName})`);
  }
  const signal = processType(found.type)?.signals.find((s) => s.name === signalName);
  if (!signal) throw notFound(`本流程没有信号 ${signalName} (unknown signal)`);
  validateAgainst(signal.schema, payload, '');
  if (found.status !== 'running') throw conflict('流程已结束 (the case is closed)');
  if (signal.stages && !signal.stages.includes(found.stage)) throw conflict(`当前环节不接受「${signal.title.zh}」(not accepted at this stage: ${found.stage})`);
  // As the users' route does: facts from the register, then the signal's own precheck.
  const enriched = await enrichForm(services, payload);
  const refusal = signal.precheck?.(enriched, { town: found.town, village: found.village });
  if (refusal) throw ruleViolation(refusal);
  const env: SignalEnvelope = { payload: enriched, actor, eventId, receivedAt: new Date().toISOString() };
  try {
    await services.temporal.client.workflow.getHandle(processId).signal(signal.definition, env);
  } catch (err) {
    throw fromTemporal(err);
  }
  await audit(services.db, { actor, action: 'signal', processId, ip, outcome: 'ok', detail: { signal: signal.name } });
  return { status: 202, body: { accepted: true } };
}

// ---------------------------------------------------------------- integration routes' paths

/** `POST /api/processes` by an API key: `start:<type>` required; unknown households etc. become dead letters. */
export async function integrationStart(app: FastifyInstance, request: FastifyRequest<{ Body: { type: string; input: Record<string, unknown> } }>, reply: FastifyReply, actor: Actor) {
  const { services } = app;
  const def = processType(request.body.type);
  if (!def) throw notFound(`未知流程类型 ${request.body.type} (unknown process type)`);
  if (!mayStart(actor, def)) throw forbidden(`接口密钥无权发起${def.title.zh} (the API key lacks start:${def.type})`);
  validateAgainst(def.startSchema, request.body.input, 'input');
  return once(services.db, request, reply, actor, (_eventId, ctx) =>
    withDeadLetter(
      services.db,
      actor,
      { endpoint: 'POST /api/processes', body: request.body },
      async () => {
        const started = await startOnce(services, actor, def.type, request.body.input, ctx);
        await audit(services.db, { actor, action: 'start', processId: started.id, ip: request.ip, outcome: 'ok', detail: { type: def.type } });
        return { status: 201, body: started };
      },
      // An open case for the subject (409) is not lost: the event found its case.
      { ip: request.ip, keep: (err: HttpError) => err.status !== 409 && [400, 404, 422].includes(err.status) },
    ),
  );
}

/** `POST /api/processes/:id/signals/:signal` by an API key: `signal:<type>.<signal>` required; unknown or closed cases become dead letters. */
export async function integrationSignal(
  app: FastifyInstance,
  request: FastifyRequest<{ Params: { id: string; signal: string }; Body: Record<string, unknown> }>,
  reply: FastifyReply,
  actor: Actor,
) {
  const { services } = app;
  const { id, signal } = request.params;
  // Before looking at the case (no probing of ids): the key must hold this signal for some type, and
  // the payload must be one that signal accepts.
  const candidates = (actor.scopes ?? [])
    .filter((s) => s.startsWith('signal:') && s.endsWith(`.${signal}`))
    .map((s) => processType(s.slice('signal:'.length, -(signal.length + 1)))?.signals.find((x) => x.name === signal))
    .filter((s): s is NonNullable<typeof s> => !!s);
  if (!candidates.length) throw forbidden(`接口密钥无权发送信号 ${signal} (the API key holds no signal:<type>.${signal} scope)`);
  const body = request.body ?? {};
  let invalid: unknown;
  const valid = candidates.some((c) => {
    try {
      validateAgainst(c.schema, body, '');
      return true;
    } catch (err) {
      invalid ??= err;
      return false;
    }
  });
  if (!valid) throw invalid;
  return once(services.db, request, reply, actor, (eventId) =>
    withDeadLetter(services.db, actor, { endpoint: 'POST /api/processes/:id/signals/:signal', params: { id, signal }, body }, () => deliverSignal(services, actor, id, signal, body, eventId, request.ip), {
      ip: request.ip,
    }),
  );
}

/** `POST /api/alerts` by an API key (scope `alert`): unknown households and refused starts become dead letters. */
export async function integrationAlert(app: FastifyInstance, request: FastifyRequest<{ Body: AlertBody }>, reply: FastifyReply, actor: Actor) {
  const { services } = app;
  if (!integrationAllows(actor, 'alert')) throw forbidden('接口密钥无权推送部门预警 (the API key lacks the alert scope)');
  validateAlert(request.body);
  return once(services.db, request, reply, actor, (eventId, ctx) =>
    withDeadLetter(services.db, actor, { endpoint: 'POST /api/alerts', body: request.body }, () => deliverAlert(services, actor, request.body, eventId, ctx, request.ip), {
      ip: request.ip,
      // A 409 here is a race with another start for the household: the sender's retry joins that case.
      keep: (err: HttpError) => [400, 404, 422].includes(err.status),
    }),
  );
}
