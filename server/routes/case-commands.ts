/**
 * The case commands over HTTP (server/commands/): start, department alert, signal, step completion,
 * cancellation, for users and API keys alike. A route checks through the command, takes the
 * idempotency record (server/idempotency.ts), runs the command and answers; an API key's delivery
 * that is refused for its content is kept as a dead letter (server/dead-letters.ts).
 */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { Actor } from '../../contracts/roles';
import { requireActor } from '../auth';
import { audit, type AuditInput } from '../audit';
import { asHttpError } from '../errors';
import { IDEMPOTENT_IN_HANDLER, once, replayIfAnswered, REPLAY_IN_HANDLER, type Outcome } from '../idempotency';
import { withDeadLetter } from '../dead-letters';
import type { RefusalKind } from '../commands/refusal';
import { start } from '../commands/start';
import { alert, type Alerted } from '../commands/alert';
import { checkKeySignal, signal } from '../commands/signal';
import { completeStep } from '../commands/complete-step';
import { cancel } from '../commands/cancel';
import type { Started } from '../processes/start';

/**
 * What a start or an alert refused for its content keeps as a dead letter; an open case for the
 * subject (409) is not lost: the event found its case (or, for an alert, the sender's retry joins it).
 */
const KEEP_STARTS: readonly RefusalKind[] = ['invalid_request', 'not_found', 'rule_violation'];

/** The answers an integration's delivery gets, from its route or from a dead letter replayed. */
export const answer = {
  started: (actor: Actor, started: Started, ip: string, detail: Record<string, unknown> = {}): Outcome => ({
    status: 201,
    body: started,
    audit: { actor, action: 'start', processId: started.id, ip, outcome: 'ok', detail: { type: started.type, ...detail } },
  }),
  alerted: (actor: Actor, alerted: Alerted, ip: string): Outcome => ({
    status: alerted.started ? 201 : 202,
    body: alerted,
    audit: alerted.started
      ? { actor, action: 'start', processId: alerted.processId, ip, outcome: 'ok', detail: { type: 'identification', via: 'alert' } }
      : { actor, action: 'signal', processId: alerted.processId, ip, outcome: 'ok', detail: { signal: 'departmentAlert', via: 'alert' } },
  }),
  signalled: (actor: Actor, processId: string, name: string, ip: string): Outcome => ({
    status: 202,
    body: { accepted: true },
    audit: { actor, action: 'signal', processId, ip, outcome: 'ok', detail: { signal: name } },
  }),
};

const CaseParams = Type.Object({ id: Type.String({ maxLength: 200 }) });
const NewState = Type.Object({ state: Type.Unknown({ description: "The case's state after the command (contracts/steps.ts CaseState)" }) });
const AnyForm = Type.Unknown({ description: "A JSON object checked against the catalogue's schema for it (GET /api/process-types)" });
const StartBody = Type.Object({ type: Type.String({ minLength: 1, maxLength: 64 }), input: Type.Record(Type.String(), Type.Unknown()) }, { additionalProperties: false });
const StartedBody = Type.Object({ id: Type.String(), runId: Type.String(), type: Type.String() });
const AlertBody = Type.Object(
  {
    householdId: Type.String({ minLength: 1, maxLength: 64 }),
    department: Type.String({ minLength: 1, maxLength: 64 }),
    reference: Type.Optional(Type.String({ maxLength: 100 })),
    riskTypes: Type.Optional(Type.Array(Type.String({ maxLength: 40 }), { maxItems: 11 })),
    category: Type.Optional(Type.String({ maxLength: 40 })),
    description: Type.String({ minLength: 1, maxLength: 2000 }),
  },
  { additionalProperties: false },
);
const AlertedBody = Type.Object({ processId: Type.String(), started: Type.Boolean() });

export async function caseCommandRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const { services } = app;
  const { db } = services;

  r.post(
    '/processes',
    {
      schema: {
        tags: ['processes'],
        summary: "Start a process (201); 409 with the open one's id when one is open for the same subject",
        body: StartBody,
        response: { 201: StartedBody },
      },
      config: IDEMPOTENT_IN_HANDLER,
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const command = await start(services, actor, request.body);
      const { type } = request.body;
      return once(db, request, reply, actor, (attempt) =>
        withDeadLetter(
          db,
          actor,
          { endpoint: 'POST /api/processes', body: request.body },
          async () => {
            try {
              return answer.started(actor, await command.run(attempt), request.ip);
            } catch (err) {
              await audit(db, { actor, action: 'start', ip: request.ip, outcome: 'refused', detail: { type, error: (err as Error).message } });
              throw err;
            }
          },
          { ip: request.ip, keep: KEEP_STARTS },
        ),
      );
    },
  );

  r.post(
    '/alerts',
    {
      schema: {
        tags: ['processes'],
        summary: "A department screening alert (部门筛查预警): joins the household's open identification (202) or starts one (201)",
        body: AlertBody,
        response: { 201: AlertedBody, 202: AlertedBody },
      },
      config: IDEMPOTENT_IN_HANDLER,
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const command = await alert(services, actor, request.body);
      return once(db, request, reply, actor, (attempt) =>
        withDeadLetter(db, actor, { endpoint: 'POST /api/alerts', body: request.body }, async () => answer.alerted(actor, await command.run(attempt), request.ip), {
          ip: request.ip,
          keep: KEEP_STARTS,
        }),
      );
    },
  );

  r.post(
    '/processes/:id/signals/:signal',
    {
      schema: {
        tags: ['processes'],
        summary: 'Send a signal (202 once Temporal has it)',
        params: Type.Object({ id: Type.String({ maxLength: 200 }), signal: Type.String({ maxLength: 64 }) }),
        body: AnyForm,
        response: { 202: Type.Object({ accepted: Type.Boolean() }) },
      },
      // A retry of a signal already answered gets that answer even where the checks would now refuse
      // (a closed case refuses new signals, not the retry of one it took). Looked up only when they refuse:
      // when they pass, once() meets the stored answer itself, so a new signal costs no look-up for it.
      config: REPLAY_IN_HANDLER,
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const input = { processId: request.params.id, signal: request.params.signal, payload: request.body ?? {} };
      if (actor.kind === 'integration') {
        if (await replayIfAnswered(db, request, reply)) return;
        checkKeySignal(actor, input.signal, input.payload);
        // The whole command runs under the idempotency record: an unknown or closed case, a refused
        // payload become a dead letter, and the retry gets the same answer naming it.
        const delivery = { endpoint: 'POST /api/processes/:id/signals/:signal', params: { id: input.processId, signal: input.signal }, body: input.payload };
        return once(db, request, reply, actor, (attempt) =>
          withDeadLetter(db, actor, delivery, async () => {
            await (await signal(services, actor, input)).run(attempt);
            return answer.signalled(actor, input.processId, input.signal, request.ip);
          }, { ip: request.ip }),
        );
      }
      // A user's checks run before the record is taken: a refused request can be corrected and sent
      // again under the same key.
      let command;
      try {
        command = await signal(services, actor, input);
      } catch (err) {
        if (await replayIfAnswered(db, request, reply)) return;
        throw err;
      }
      return once(db, request, reply, actor, async (attempt) => {
        await command.run(attempt);
        return answer.signalled(actor, input.processId, input.signal, request.ip);
      });
    },
  );

  r.post(
    '/processes/:id/steps/:stepKey',
    {
      schema: {
        tags: ['processes'],
        summary: 'Complete an open step with its form (a Temporal Update: 422 when a rule refuses it)',
        params: Type.Object({ id: Type.String({ maxLength: 200 }), stepKey: Type.String({ maxLength: 64 }) }),
        querystring: Type.Object({ stepId: Type.Optional(Type.String({ maxLength: 80 })) }, { additionalProperties: false }),
        body: AnyForm,
        response: { 200: NewState },
      },
      config: IDEMPOTENT_IN_HANDLER,
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const { id, stepKey } = request.params;
      const command = await completeStep(services, actor, { processId: id, stepKey, stepId: request.query.stepId, form: request.body ?? {} });
      const entry = (outcome: Pick<AuditInput, 'outcome' | 'detail'>): AuditInput => ({ actor, action: 'step', processId: id, target: stepKey, ip: request.ip, ...outcome });
      return once(db, request, reply, actor, async (attempt) => {
        try {
          const state = await command.run(attempt);
          await audit(db, entry({ outcome: 'ok' }));
          return { status: 200, body: { state } };
        } catch (err) {
          await audit(db, entry({ outcome: 'refused', detail: { status: asHttpError(err)?.status ?? 500, error: (err as Error).message } }));
          throw err;
        }
      });
    },
  );

  r.post(
    '/processes/:id/cancel',
    {
      schema: {
        tags: ['processes'],
        summary: 'Cancel a running case (supervisors and admins), with the reason audited',
        params: CaseParams,
        body: Type.Object({ reason: Type.String({ minLength: 1, maxLength: 2000 }) }, { additionalProperties: false }),
        response: { 200: NewState },
      },
      config: IDEMPOTENT_IN_HANDLER,
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const { id } = request.params;
      const { reason } = request.body;
      const command = await cancel(services, actor, { processId: id, reason });
      return once(db, request, reply, actor, async (attempt) => ({
        status: 200,
        body: { state: await command.run(attempt) },
        audit: { actor, action: 'cancel', processId: id, ip: request.ip, outcome: 'ok', detail: { reason } },
      }));
    },
  );
}
