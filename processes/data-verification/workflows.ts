/**
 * Department data exchange: one workflow per batch follows every warning up, and one small case per
 * warning has the village cadres verify it.
 *
 * `dataExchangeBatch` walks the batch's records in chunks through an activity that marks each warning's
 * follow-up (a verification, or a note for a household already monitored) and answers the verifications
 * to open; it opens them as child cases with fixed ids (REJECT_DUPLICATE), so a worker killed halfway
 * resumes where the history stands and opens every verification once. Progress (records done) is kept
 * on the batch after each chunk; a long batch continues as new every few thousand records.
 */
import { ActivityFailure, ParentClosePolicy, WorkflowIdReusePolicy, continueAsNew, startChild, workflowInfo } from '@temporalio/workflow';
import { Case, acts } from '../../workflows/case';
import { lists } from '../../workflows/activity-options';
import { DATA_VERIFICATION, type DataExchangeBatchInput, type DataVerificationInput, type VerificationForm } from './contract';

/** Records per chunk, and chunks per run before continuing as new (history size). */
const CHUNK = 500;
const CHUNKS_PER_RUN = 20;

export async function dataExchangeBatch(input: DataExchangeBatchInput): Promise<{ processed: number }> {
  let from = input.from ?? 1;
  for (let chunks = 0; from <= input.total; chunks++) {
    if (chunks >= CHUNKS_PER_RUN || workflowInfo().continueAsNewSuggested) {
      await continueAsNew<typeof dataExchangeBatch>({ ...input, from });
    }
    const to = Math.min(input.total, from + CHUNK - 1);
    const open = await lists.followUpExchangeRecords({ batchId: input.batchId, from, to });
    for (let i = 0; i < open.length; i += 50) {
      await Promise.all(
        open.slice(i, i + 50).map((v) => {
          const args: [DataVerificationInput] = [{ ...v.input, processId: v.processId, due: input.due }];
          return startChild(dataVerification, {
            workflowId: v.processId,
            args,
            taskQueue: input.taskQueue ?? workflowInfo().taskQueue,
            parentClosePolicy: ParentClosePolicy.ABANDON,
            workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
          }).catch((err: Error) => {
            if (err.name !== 'WorkflowExecutionAlreadyStartedError') throw err;
          });
        }),
      );
    }
    await acts.recordExchangeProgress({ batchId: input.batchId, processed: to, done: to >= input.total });
    from = to + 1;
  }
  if (input.total === 0) await acts.recordExchangeProgress({ batchId: input.batchId, processed: 0, done: true });
  return { processed: input.total };
}

/** A department's warning, verified by the household's village cadres. */
export async function dataVerification(input: DataVerificationInput): Promise<unknown> {
  const { household, department, rules } = input;
  const description = `${department}数据比对预警（${input.personName}）：${rules.map((r) => r.text).join('；')}`;
  const kase = new Case<{ batchId: string; seq: number; department: string; personName: string; headName: string; rules: typeof rules; caseId?: string }>({
    processId: input.processId,
    type: DATA_VERIFICATION.type,
    householdId: household.id,
    subject: `${input.batchId}-${input.seq}`,
    town: household.town,
    village: household.village,
    stage: DATA_VERIFICATION.steps.dataVerification.key,
    data: { batchId: input.batchId, seq: input.seq, department, personName: input.personName, headName: household.headName, rules },
  });
  // The department that sent the data follows its warning.
  kase.involve(department);
  return kase.run(async () => {
    const step = await kase.openStep<VerificationForm>(DATA_VERIFICATION.steps.dataVerification, input.due, {
      context: { department, personName: input.personName, warning: description },
      validate: (form) =>
        form.decision === 'dismiss' && !form.reasons?.trim() ? { field: 'reasons', rule: 'required', message: '预警不属实的须说明理由 (dismissing a warning needs reasons)' } : undefined,
    });
    const { form, actor } = await kase.completion(step);
    const record = { batchId: input.batchId, seq: input.seq };
    if (form.decision === 'dismiss') {
      await acts.recordExchangeOutcome({ ...record, outcome: 'dismissed', reasons: form.reasons });
      return { status: 'rejected', result: '预警不属实 (dismissed)', reasons: form.reasons };
    }
    try {
      const alerted = await acts.raiseDepartmentAlert({
        alert: { householdId: household.id, department, reference: `${input.batchId}-${input.seq}`, riskTypes: [...new Set(rules.map((r) => r.riskType))], description },
        eventId: `${input.processId}:confirm`,
        onBehalfOf: { name: actor.name },
      });
      kase.state.data.caseId = alerted.processId;
      kase.record('department_alert', alerted.started ? `已发起监测对象认定 ${alerted.processId}` : `预警已并入办理中的监测对象认定 ${alerted.processId}`);
      await acts.recordExchangeOutcome({ ...record, outcome: 'confirmed', reasons: form.reasons, caseId: alerted.processId });
      return { status: 'completed', result: '预警属实，已转入监测对象认定 (confirmed)' };
    } catch (err) {
      if (!(err instanceof ActivityFailure)) throw err;
      const reason = `未能转入监测对象认定，请人工处理：${(err.cause ?? err).message}`;
      kase.record('department_alert', reason);
      await acts.recordExchangeOutcome({ ...record, outcome: 'confirmed', reasons: [form.reasons, reason].filter(Boolean).join('；') });
      return { status: 'completed', result: '预警属实 (confirmed)' };
    }
  });
}
