/**
 * 脱贫户 visits in March, August and November (plan item 5). The schedule starts a round; the round
 * opens one small visit case per 脱贫户 (so no history grows with the district's size), each due at
 * the month's end.
 */
import { ParentClosePolicy, WorkflowIdReusePolicy, patched, proxyActivities, startChild, workflowInfo } from '@temporalio/workflow';
import { Case } from '../../workflows/case';
import { OUT_OF_POVERTY_VISIT, type OutOfPovertyVisitInput, type OutOfPovertyVisitRoundInput, type PovertyVisitForm } from './contract';
import type { createActivities } from '../../activities';
import { today } from '../../workflows/clock';

const BATCH = 50;

const lists = proxyActivities<ReturnType<typeof createActivities>>({ startToCloseTimeout: '2 minutes' });

/** One visit round: every 脱贫户 of the register gets its visit case for this month. */
export async function outOfPovertyVisitRound(input: OutOfPovertyVisitRoundInput): Promise<{ month: string; households: number }> {
  const month = today().slice(0, 7);
  const households = await lists.listOutOfPovertyHouseholds();
  for (let i = 0; i < households.length; i += BATCH) {
    await Promise.all(
      households.slice(i, i + BATCH).map((h) => {
        const processId = `${OUT_OF_POVERTY_VISIT.type}:${h.id}:${month}`;
        const args: [OutOfPovertyVisitInput] = [{ processId, month, household: h, due: input.due }];
        return startChild(outOfPovertyVisit, {
          workflowId: processId,
          args,
          taskQueue: input.taskQueue ?? workflowInfo().taskQueue,
          parentClosePolicy: ParentClosePolicy.ABANDON,
          // A round that runs twice in a month (a retry, a manual trigger) does not visit twice.
          workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
        }).catch((err: Error) => {
          if (err.name !== 'WorkflowExecutionAlreadyStartedError') throw err;
        });
      }),
    );
  }
  return { month, households: households.length };
}

/** A single visit to a 脱贫户, due by the end of the month. */
export async function outOfPovertyVisit(input: OutOfPovertyVisitInput): Promise<unknown> {
  const { household } = input;
  const kase = new Case<{ month: string; headName: string; visit?: PovertyVisitForm }>({
    processId: input.processId,
    type: OUT_OF_POVERTY_VISIT.type,
    householdId: household.id,
    subject: `${household.id}:${input.month}`,
    town: household.town,
    village: household.village,
    stage: 'povertyVisit',
    data: { month: input.month, headName: household.headName },
  });
  // 包户干部: a household with a contact cadre is visited by that person (the step is theirs alone, wherever
  // they work); one without keeps the village's cadres. Visits started before carry no contact cadre.
  const cadre = household.contactCadre && patched('contact-cadre-visits') ? household.contactCadre : undefined;
  const def = OUT_OF_POVERTY_VISIT.steps.povertyVisit;
  return kase.run(async () => {
    const step = await kase.openStep<PovertyVisitForm>(cadre ? { ...def, scope: 'assignee' } : def, input.due, {
      ...(cadre ? { assignee: { id: cadre.id, name: cadre.name } } : {}),
      context: { month: input.month },
      validate: (form) => {
        if (form.visitedOn > today()) return '走访日期不能晚于今天 (the visit date cannot be in the future)';
        if (form.visitedOn.slice(0, 7) !== input.month) return `走访日期须在 ${input.month} 月内 (the visit date must lie in ${input.month})`;
        return undefined;
      },
    });
    const { form } = await kase.completion(step);
    kase.state.data.visit = form;
    if (form.newRisks?.length) kase.record('new_risk', `走访发现风险：${form.newRisks.join('、')}${form.newRiskNote ? `（${form.newRiskNote}）` : ''}`);
    return { status: 'completed', result: '已走访 (visited)' };
  });
}

