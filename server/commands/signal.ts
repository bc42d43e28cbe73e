/**
 * Send a case a business signal (an objection, a progress report…): by a user, an API key holding
 * `signal:<type>.<signal>`, or a dead letter replayed. Refused here, before Temporal has it, when the
 * sender may not (a department alert in another department's name included), the payload is wrong,
 * the case is closed or at a stage that does not take it, or the signal's own precheck says no (the
 * workflow would ignore it silently).
 */
import { processType } from '../../processes';
import { integrationAllows, maySignal, speaksFor } from '../../contracts/authz';
import type { Actor } from '../../contracts/roles';
import type { SignalEnvelope } from '../../contracts/steps';
import type { Services } from '../services';
import { validateAgainst } from '../processes/validate';
import { enrichForm } from '../processes/forms';
import { fromTemporal } from '../processes/temporal-errors';
import type { Ready } from './command';
import { conflict, forbidden, notFound, notOwnDepartment, ruleViolation } from './refusal';
import { visibleCase } from './visible-case';
import { attachEvidence, stepEvidence } from '../files/step-files';

export interface SignalInput {
  processId: string;
  signal: string;
  payload: unknown;
}

export async function signal(services: Services, actor: Actor, { processId, signal: name, payload }: SignalInput): Promise<Ready<void>> {
  // A key sees only the cases of the types its scopes name (visible-case.ts); of those, it learns
  // nothing beyond what its scopes name, not even which signals the type has.
  const found = await visibleCase(services, actor, processId);
  if (actor.kind === 'integration' && !integrationAllows(actor, `signal:${found.type}.${name}`)) {
    throw forbidden(`接口密钥无权向该类流程发送信号 ${name} (the API key lacks signal:${found.type}.${name})`);
  }
  const def = processType(found.type)?.signals.find((s) => s.name === name);
  if (!def) throw notFound(`本流程没有信号 ${name} (unknown signal)`);
  if (!maySignal(actor, found.type, def)) throw forbidden(`无权发送「${def.title.zh}」(not allowed to send this signal)`);
  validateAgainst(def.schema, payload, '');
  const sender = def.senderDepartment;
  if (sender && !speaksFor(actor, String(payload[sender]))) throw notOwnDepartment(sender);
  if (found.status !== 'running') throw conflict('流程已结束 (the case is closed)');
  if (def.stages && !def.stages.includes(found.stage)) throw conflict(`当前环节不接受「${def.title.zh}」(not accepted at this stage)`);
  // Facts from the register first (server/processes/forms.ts): the precheck and the workflow read them.
  const enriched = await enrichForm(services, payload);
  const refusal = def.precheck?.(enriched, found);
  if (refusal) throw ruleViolation(refusal);
  // Files the report names (a progress report's photos): recorded with their hashes in the history, then the case's.
  const use = { processId: found.id, type: found.type, stepKey: name, town: found.town, village: found.village };
  const files = await stepEvidence(services, actor, use, def.schema, payload as Record<string, unknown>);
  return {
    async run({ eventId } = {}) {
      const env: SignalEnvelope = { payload: enriched, actor, eventId, receivedAt: new Date().toISOString(), ...(files.length ? { files } : {}) };
      try {
        await services.temporal.client.workflow.getHandle(processId).signal(def.definition, env);
      } catch (err) {
        throw fromTemporal(err);
      }
      await attachEvidence(services, use, files);
    },
  };
}

/**
 * An API key's signal, before any case is looked at (so that a key cannot probe case ids): it must hold
 * this signal for some process type, and the payload must be one such a signal accepts.
 */
export function checkKeySignal(actor: Actor, name: string, payload: unknown): void {
  const candidates = (actor.scopes ?? [])
    .filter((s) => s.startsWith('signal:') && s.endsWith(`.${name}`))
    .map((s) => processType(s.slice('signal:'.length, -(name.length + 1)))?.signals.find((x) => x.name === name))
    .filter((s): s is NonNullable<typeof s> => !!s);
  if (!candidates.length) throw forbidden(`接口密钥无权发送信号 ${name} (the API key holds no signal:<type>.${name} scope)`);
  let invalid: unknown;
  const valid = candidates.some((c) => {
    try {
      validateAgainst(c.schema, payload, '');
      return true;
    } catch (err) {
      invalid ??= err;
      return false;
    }
  });
  if (!valid) throw invalid;
}
