/**
 * P1 监测对象认定 — monitoring identification. One case per household at a time; the shared review
 * procedure decides; approval makes the household a 监测户 and hands it to helper assignment (P2).
 */
import { Case } from '../../workflows/case';
import { ReviewProcedure, type Objection } from '../../workflows/review-procedure';
import { acts } from '../../workflows/case';
import { patched, setHandler } from '@temporalio/workflow';
import {
  IDENTIFICATION,
  type IdentificationData,
  type IdentificationInput,
} from './contract';

export async function identification(input: IdentificationInput): Promise<unknown> {
  const { request, household, policy } = input;
  const objections: Objection[] = [];
  const data: IdentificationData = { request, headName: household.headName, objections, alerts: [], rounds: 0 };
  const kase = new Case<IdentificationData & Record<string, unknown>>({
    processId: input.processId,
    type: IDENTIFICATION.type,
    householdId: household.id,
    subject: household.id,
    town: household.town,
    village: household.village,
    stage: 'started',
    data: data as IdentificationData & Record<string, unknown>,
  });
  const procedure = new ReviewProcedure({
    kase,
    steps: IDENTIFICATION.steps,
    policy,
    objections,
  });

  // A further department alert for a household already being identified joins this case.
  setHandler(IDENTIFICATION.signals.departmentAlert.definition, (env) => {
    if (!kase.firstDelivery(env.eventId, env.receivedAt)) return;
    const alert = env.payload;
    data.alerts.push({ ...alert, at: env.receivedAt });
    kase.involve(alert.department);
    kase.record('department_alert', `${alert.department} 预警：${alert.description}`, { actor: { id: env.actor.id, name: env.actor.name } });
    void kase.commit();
  });

  kase.involve(request.alert?.department);

  return kase.run(async () => {
    await kase.startOverallDeadline(policy.overallLimit);
    const outcome = await procedure.run();
    if (outcome.decision === 'rejected') {
      return { status: 'rejected', result: '不予认定 (not included)', reasons: outcome.reasons };
    }
    data.includedOn = outcome.effectiveOn;
    await acts.recordMonitoringInclusion({
      householdId: household.id,
      processId: input.processId,
      category: request.category,
      riskTypes: request.riskTypes,
      includedOn: outcome.effectiveOn,
    });
    // P2: name a helper and a plan within 10 working days, then follow the household.
    // (Cases approved before this existed complete without it: `patched` keeps their replay intact.)
    if (patched('identification-starts-helper-assignment')) {
      const followUp = await acts.startFollowUp({
        type: 'helperAssignment',
        input: { householdId: household.id, identificationId: input.processId, includedOn: outcome.effectiveOn },
        startedBy: input.startedBy,
      });
      data.followUpId = followUp.id;
      kase.record('follow_up', `已转入帮扶：${followUp.id}`);
    }
    return { status: 'completed', result: '认定为监测户 (included in monitoring)' };
  });
}
