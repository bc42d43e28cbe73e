/**
 * Endpoints for other government systems (API keys with an endpoint scope).
 * `POST /integrations/medical-settlements`: the medical insurance settlement system reports a
 * settlement; it is recorded once, accumulated per household and year, and may start or join the
 * year's critical-illness relief case (P3, see processes/illness-relief/starter.ts).
 */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { Household } from '../../db';
import { integrationAllows } from '../../contracts/authz';
import { settlementEventKey, type MedicalSettlementPayload } from '../../processes/illness-relief/contract';
import { MedicalSettlementSchema } from '../../processes/illness-relief/schemas';
import { requireActor } from '../auth';
import { audit } from '../audit';
import { forbidden, invalidField, notFound } from '../errors';
import { IDEMPOTENT_IN_HANDLER, idempotencyKey, once, type Outcome } from '../idempotency';
import { checkSettlementAmounts, checkSettlementDate, receiveSettlement } from '../../processes/illness-relief/starter';
import { withDeadLetter } from '../dead-letters';
import type { Actor } from '../../contracts/roles';
import type { Services } from '../services';

/** The API-key scope of the settlement endpoint (contracts/authz.ts). */
export const SETTLEMENT_SCOPE = 'settlement';

const Answer = Type.Object(
  {
    recorded: Type.Boolean(),
    duplicate: Type.Boolean(),
    caseStarted: Type.Boolean(),
    processId: Type.Optional(Type.String()),
    reason: Type.Optional(Type.String()),
    householdId: Type.String(),
    year: Type.Integer(),
    yearlyOutOfPocket: Type.Number(),
    threshold: Type.Optional(Type.Object({}, { additionalProperties: true })),
  },
  { additionalProperties: false },
);

export async function integrationRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const { services } = app;

  r.post(
    '/integrations/medical-settlements',
    {
      schema: {
        tags: ['integrations'],
        summary:
          'A settlement from the medical insurance system (API key scope `settlement`, Idempotency-Key): recorded once, accumulated per household and year; 201 a relief case started, 202 the open case took it, 200 recorded only (with the reason)',
        headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String({ maxLength: 128 })) }),
        body: MedicalSettlementSchema,
        response: { 200: Answer, 201: Answer, 202: Answer },
      },
      config: IDEMPOTENT_IN_HANDLER,
    },
    async (request, reply) => {
      const actor = requireActor(request);
      // For the settlement system's key only: a person (even an admin) never posts settlements.
      if (!integrationAllows(actor, SETTLEMENT_SCOPE)) {
        await audit(services.db, { actor, action: 'settlement', ip: request.ip, outcome: 'refused', detail: { reason: 'scope' } });
        throw forbidden(`该接口密钥无权推送医保结算 (the key lacks the \`${SETTLEMENT_SCOPE}\` scope)`);
      }
      const body = request.body;
      const key = idempotencyKey(request);
      if (!key && !body.eventId) throw invalidField('Idempotency-Key', 'required', '须提供 Idempotency-Key 请求头或结算流水号 eventId (an Idempotency-Key header or an eventId is required)');
      checkSettlementAmounts(body);
      checkSettlementDate(body);
      // An unknown household is kept as a dead letter (like alerts and signals): an administrator
      // replays it once the household is registered; the sender's retry gets the same answer naming it.
      const delivery = { endpoint: SETTLEMENT_ENDPOINT, ...(key ? { params: { idempotencyKey: key } } : {}), body };
      return once(services.db, request, reply, actor, () =>
        withDeadLetter(services.db, actor, delivery, () => deliverSettlement(services, actor, body, key, request.ip), { ip: request.ip, keep: ['not_found', 'rule_violation'] }),
      );
    },
  );
}

/** How the dead letters name this endpoint. */
export const SETTLEMENT_ENDPOINT = 'POST /integrations/medical-settlements';

/** Record one settlement of a registered household and pass it on (the route, and a dead letter replayed). */
export async function deliverSettlement(services: Services, actor: Actor, body: MedicalSettlementPayload, idempotencyKey: string | undefined, ip: string): Promise<Outcome> {
  if (!(await services.db.em().findOne(Household, { id: body.householdId }, { fields: ['id'] }))) {
    throw notFound(`农户 ${body.householdId} 不存在，结算未登记 (no such household: nothing recorded)`);
  }
  const eventKey = settlementEventKey({ eventId: body.eventId, actorId: actor.id, idempotencyKey });
  const answer = await receiveSettlement(services, actor, body, eventKey);
  return {
    ...answer,
    audit: {
      actor,
      action: 'settlement',
      processId: answer.body.processId,
      target: body.householdId,
      ip,
      outcome: 'ok',
      detail: { eventKey, status: answer.status, caseStarted: answer.body.caseStarted, duplicate: answer.body.duplicate },
    },
  };
}
