import { startChild, workflowInfo } from '@temporalio/workflow';
import { addDays, campaignId, type CampaignInput, type CampaignScheduledInput } from '../contract';
import { shanghaiDay } from '../../../workflows/clock';
import { lists } from '../../../workflows/activity-options';
import { childOptions } from './common';
import { campaign } from './campaign';

/**
 * What the yearly Temporal Schedule starts: the year's campaign over every town, with the policy's
 * phase lengths, unless a supervisor started it already (the fixed id `campaign:<year>`).
 */
export async function campaignScheduled(input: CampaignScheduledInput): Promise<{ processId: string; started: boolean }> {
  // The day the schedule started it (its start event, in the history).
  const now = shanghaiDay(workflowInfo().startTime.getTime());
  const year = Number(now.slice(0, 4));
  const processId = campaignId(year);
  const schedule = input.policy.schedule;
  if (!schedule) return { processId, started: false };
  // Started by hand already (running or closed): the read model knows it (and Temporal refuses the id).
  if ((await lists.caseStatus({ processId })) !== 'unknown') return { processId, started: false };
  const towns = await lists.knownTowns();
  const args: [CampaignInput] = [
    {
      processId,
      request: { year, towns, visitEndsOn: addDays(now, schedule.visitDays), rectifyEndsOn: addDays(now, schedule.rectifyDays) },
      startedBy: { id: 'schedule', name: '年度大走访计划 (the yearly schedule)' },
      policy: input.policy,
      policyVersion: input.policyVersion,
      taskQueue: input.taskQueue,
    },
  ];
  try {
    await startChild(campaign, { ...childOptions(processId), args });
    return { processId, started: true };
  } catch (err) {
    if ((err as Error).name !== 'WorkflowExecutionAlreadyStartedError') throw err;
    return { processId, started: false };
  }
}
