/** Cancel a running case (district supervisors and admins), with the reason in its history. */
import { cancelCaseUpdate } from '../../contracts/messages';
import { mayDo } from '../../contracts/authz';
import type { Actor } from '../../contracts/roles';
import type { CaseState } from '../../contracts/steps';
import type { Services } from '../services';
import { fromTemporal } from '../processes/temporal-errors';
import type { Ready } from './command';
import { conflict, forbidden, invalidField } from './refusal';
import { visibleCase } from './visible-case';

export interface CancelInput {
  processId: string;
  reason: string;
}

export async function cancel(services: Services, actor: Actor, { processId, reason }: CancelInput): Promise<Ready<CaseState>> {
  if (!mayDo(actor, 'cancel')) throw forbidden('仅区专班或管理员可撤销流程 (only supervisors and admins cancel cases)');
  const found = await visibleCase(services, actor, processId);
  if (found.status !== 'running') throw conflict('流程已结束 (the case is closed)');
  if (!reason.trim()) throw invalidField('reason', 'minLength', '撤销必须说明原因 (a reason is required)');
  return {
    async run({ eventId } = {}) {
      try {
        return await services.temporal.client.workflow.getHandle(processId).executeUpdate(cancelCaseUpdate, { args: [{ reason, actor, at: new Date().toISOString() }], ...(eventId ? { updateId: eventId } : {}) });
      } catch (err) {
        throw fromTemporal(err);
      }
    },
  };
}
