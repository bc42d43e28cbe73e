/**
 * Dead letters (admins): integration events that matched no case and could not start one, with the
 * reason; replayed, once the cause is fixed (the household registered, the key's scope widened…), as
 * the key that sent them, with an event id of their own so that a replay takes effect once.
 */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Type, { type Static } from 'typebox';
import { ApiKey, DeadLetter } from '../../db';
import { may } from '../../contracts/authz';
import type { Actor } from '../../contracts/roles';
import { requireActor } from '../auth';
import { audit } from '../audit';
import { HttpError, asHttpError, conflict, errorBody, forbidden, notFound } from '../errors';
import { ListQuery, bool, containsCondition, ids, parseListQuery, sendList, str, type ListSpec } from '../lists';
import { actorOfKeyRow } from '../api-keys';
import type { Outcome } from '../idempotency';
import { alert, type AlertInput } from '../commands/alert';
import { signal } from '../commands/signal';
import { start, type StartInput } from '../commands/start';
import { answer } from './case-commands';
import { SETTLEMENT_ENDPOINT, deliverSettlement } from './integrations';
import type { MedicalSettlementPayload } from '../../processes/illness-relief/contract';
import type { Services } from '../services';

const IdParams = Type.Object({ id: Type.String({ maxLength: 64 }) });
const ReplayResult = Type.Object({ ok: Type.Boolean(), status: Type.Integer(), body: Type.Unknown() });

/** A dead letter as admins see it. */
const LetterItem = Type.Object({
  id: Type.String(),
  source: Type.String({ description: 'The sending API key' }),
  sourceName: Type.String(),
  endpoint: Type.String(),
  payload: Type.Unknown({ description: 'What was sent: `{ params?, body }`' }),
  reason: Type.String(),
  status: Type.Integer({ description: 'The status the sender was answered' }),
  attempts: Type.Integer(),
  receivedAt: Type.String({ format: 'date-time' }),
  replayedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  replayedBy: Type.Union([Type.String(), Type.Null()]),
  replayResult: Type.Union([ReplayResult, Type.Null()]),
  delivered: Type.Boolean(),
});

const spec: ListSpec = {
  resource: 'dead-letters',
  filters: {
    source: (v) => ({ source: str('source')(v) }),
    endpoint: (v) => ({ endpoint: str('endpoint')(v) }),
    replayed: (v) => (bool('replayed')(v) ? { replayedAt: { $ne: null } } : { replayedAt: null }),
    q: (v) => ({ $or: ['reason', 'source_name', 'endpoint', 'id'].map((c) => containsCondition(c, str('q')(v))) }),
    id: (v) => ({ id: { $in: ids('id')(v) } }),
  },
  sorts: { id: 'id', receivedAt: 'receivedAt', source: 'source', endpoint: 'endpoint', replayedAt: 'replayedAt' },
  defaultSort: ['receivedAt', 'DESC'],
};

type Letter = {
  id: string;
  source: string;
  sourceName: string;
  endpoint: string;
  payload: unknown;
  reason: string;
  status: number;
  attempts: number;
  receivedAt: Date;
  replayedAt?: Date | null;
  replayedBy?: string | null;
  replayResult?: { ok: boolean; status: number; body: unknown } | null;
};

export function letterRow(l: Letter): Static<typeof LetterItem> {
  return {
    id: l.id,
    source: l.source,
    sourceName: l.sourceName,
    endpoint: l.endpoint,
    payload: l.payload,
    reason: l.reason,
    status: l.status,
    attempts: l.attempts,
    receivedAt: l.receivedAt.toISOString(),
    replayedAt: l.replayedAt?.toISOString() ?? null,
    replayedBy: l.replayedBy ?? null,
    replayResult: l.replayResult ?? null,
    delivered: !!l.replayResult?.ok,
  };
}

function mayManage(actor: Actor): void {
  if (!may(actor, 'deadLetters.manage')) throw forbidden('仅管理员可查看和重放死信 (admins only)');
}

/**
 * Deliver a kept event again, as its source, through the same command as the live endpoint, with an
 * event id of its own (a replay takes effect once).
 */
async function redeliver(services: Services, source: Actor, letter: Letter, ip: string): Promise<Outcome> {
  const { params, body } = letter.payload as { params?: Record<string, string>; body: unknown };
  const attempt = { eventId: `dead-letter:${letter.id}` };
  switch (letter.endpoint) {
    case 'POST /api/alerts': {
      const input = body as AlertInput;
      return answer.alerted(source, await (await alert(services, source, input)).run(attempt), ip);
    }
    case 'POST /api/processes/:id/signals/:signal': {
      const input = { processId: params!.id, signal: params!.signal, payload: body };
      await (await signal(services, source, input)).run(attempt);
      return answer.signalled(source, input.processId, input.signal, ip);
    }
    case SETTLEMENT_ENDPOINT:
      // Its event key as the first delivery would have had it (a settlement id, else the sender's Idempotency-Key).
      return deliverSettlement(services, source, body as MedicalSettlementPayload, params?.idempotencyKey ?? attempt.eventId, ip);
    case 'POST /api/processes': {
      const input = body as StartInput;
      return answer.started(source, await (await start(services, source, input)).run(attempt), ip, { via: 'dead_letter', deadLetterId: letter.id });
    }
    default:
      throw conflict(`无法重放该接口的死信 (cannot replay ${letter.endpoint})`);
  }
}

export async function deadLetterRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const { services } = app;

  r.get(
    '/dead-letters',
    { schema: { tags: ['dead-letters'], summary: 'Undeliverable integration events (admins; filters source, endpoint, replayed, q, id)', querystring: ListQuery, response: { 200: Type.Array(LetterItem) } } },
    async (request, reply) => {
      mayManage(requireActor(request));
      const q = parseListQuery(request.query, spec);
      const [rows, total] = await services.db.em().findAndCount(DeadLetter, q.where, { orderBy: q.orderBy, offset: q.offset, limit: q.limit });
      return sendList(reply, 'dead-letters', rows.map(letterRow), total, q.offset);
    },
  );

  r.get('/dead-letters/:id', { schema: { tags: ['dead-letters'], summary: 'One dead letter (admins)', params: IdParams, response: { 200: LetterItem } } }, async (request) => {
    mayManage(requireActor(request));
    const letter = await services.db.em().findOne(DeadLetter, { id: request.params.id });
    if (!letter) throw notFound(`没有该死信 (no dead letter ${request.params.id})`);
    return letterRow(letter);
  });

  r.post(
    '/dead-letters/:id/replay',
    {
      schema: {
        tags: ['dead-letters'],
        summary: 'Deliver a dead letter again as its source (admins), after its cause was fixed; 422 when it fails again',
        params: IdParams,
        response: { 200: LetterItem },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      mayManage(actor);
      const em = services.db.em();
      const letter = await em.findOne(DeadLetter, { id: request.params.id });
      if (!letter) throw notFound(`没有该死信 (no dead letter ${request.params.id})`);
      if (letter.replayResult?.ok) throw conflict('该死信已成功重放 (already delivered by an earlier replay)', { deadLetterId: letter.id });
      const key = await em.findOne(ApiKey, { id: letter.source });
      if (!key) throw conflict(`发送方密钥 ${letter.source} 不存在 (the sending key no longer exists)`);
      // One replay at a time: take the letter (optimistically, on the replay time we read).
      const now = new Date();
      const taken = await em.nativeUpdate(DeadLetter, { id: letter.id, replayedAt: letter.replayedAt ?? null }, { replayedAt: now, replayedBy: actor.id });
      if (taken !== 1) throw conflict('该死信正在重放 (a replay of this letter is in progress)', { deadLetterId: letter.id });
      let result: { ok: boolean; status: number; body: unknown };
      try {
        const done = await redeliver(services, actorOfKeyRow(key), letter, request.ip);
        if (done.audit) await audit(services.db, done.audit);
        result = { ok: true, status: done.status, body: done.body };
      } catch (err) {
        // Not a refusal: kept with the generic message, the detail goes to the log (server/errors.ts).
        const failure = asHttpError(err) ?? new HttpError(500, 'internal', '服务器内部错误 (internal error)');
        result = { ok: false, status: failure.status, body: errorBody(failure) };
        await em.nativeUpdate(DeadLetter, { id: letter.id }, { replayResult: result });
        await audit(services.db, { actor, action: 'dead_letter_replay', target: letter.id, ip: request.ip, outcome: 'refused', detail: { endpoint: letter.endpoint, status: failure.status, error: failure.message } });
        if (failure.status >= 500) throw err;
        throw new HttpError(422, 'rule_violation', `重放失败：${failure.message} (the replay failed; the letter is kept)`, failure.details, { deadLetterId: letter.id, replayStatus: failure.status });
      }
      await em.nativeUpdate(DeadLetter, { id: letter.id }, { replayResult: result });
      await audit(services.db, { actor, action: 'dead_letter_replay', target: letter.id, ip: request.ip, outcome: 'ok', detail: { endpoint: letter.endpoint, status: result.status, source: letter.source } });
      const fresh = await em.findOneOrFail(DeadLetter, { id: letter.id }, { refresh: true });
      return letterRow(fresh);
    },
  );
}
