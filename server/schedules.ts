/**
 * Temporal Schedules the app keeps: created at start-up when missing (the app plugin's `ensureSchedules`
 * option, server/app.ts), updated when the policy's calendar for them changed: the 脱贫户 visit rounds of
 * March, August and November (item 5) and the annual campaign (item 17).
 */
import { ScheduleAlreadyRunning, ScheduleNotFoundError, type Client, type ScheduleSpec } from '@temporalio/client';
import { OUT_OF_POVERTY_VISIT, type OutOfPovertyVisitPolicy, type OutOfPovertyVisitRoundInput } from '../processes/poverty-visit/contract';
import { CAMPAIGN, type CampaignPolicy, type CampaignScheduledInput } from '../processes/campaign/contract';
import type { Services } from './services';

export interface ScheduleOptions {
  client: Client;
  taskQueue: string;
  policy: OutOfPovertyVisitPolicy;
  /** Defaults to the product's schedule id; tests use their own. */
  scheduleId?: string;
}

const MONTHS = ['JANUARY', 'FEBRUARY', 'MARCH', 'APRIL', 'MAY', 'JUNE', 'JULY', 'AUGUST', 'SEPTEMBER', 'OCTOBER', 'NOVEMBER', 'DECEMBER'] as const;

function spec(policy: OutOfPovertyVisitPolicy): ScheduleSpec {
  return {
    calendars: [{ month: policy.months.map((m) => ({ start: MONTHS[m - 1], end: MONTHS[m - 1] })), dayOfMonth: policy.dayOfMonth, hour: policy.hour, comment: '脱贫户走访 (plan item 5)' }],
    timezone: 'Asia/Shanghai',
  };
}

/** Create the visit schedule if missing (or bring its calendar and due rule up to date). Returns whether it was created. */
export async function ensureVisitSchedule({ client, taskQueue, policy, scheduleId = OUT_OF_POVERTY_VISIT.scheduleId }: ScheduleOptions): Promise<boolean> {
  const args: [OutOfPovertyVisitRoundInput] = [{ due: policy.due, taskQueue }];
  const action = { type: 'startWorkflow' as const, workflowType: OUT_OF_POVERTY_VISIT.roundWorkflowType, taskQueue, args };
  try {
    await client.schedule.create({ scheduleId, spec: spec(policy), action, memo: { purpose: '脱贫户3月、8月、11月走访' } });
    return true;
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
  }
  const handle = client.schedule.getHandle(scheduleId);
  await handle.update((previous) => ({ ...previous, spec: spec(policy), action: { ...previous.action, ...action } }));
  return false;
}

export async function deleteVisitSchedule(client: Client, scheduleId: string): Promise<void> {
  try {
    await client.schedule.getHandle(scheduleId).delete();
  } catch (err) {
    if (!(err instanceof ScheduleNotFoundError)) throw err;
  }
}

// ---------------------------------------------------------------- P5 the annual campaign

/**
 * The yearly campaign (P5): created when the policy sets `campaign.schedule`, updated when it changed,
 * deleted when it no longer does. The schedule starts `campaignScheduled`, which starts `campaign:<year>`
 * unless a supervisor already did. Returns whether it was created.
 */
export async function ensureCampaignSchedule({
  client,
  taskQueue,
  policy,
  policyVersion,
  scheduleId = CAMPAIGN.scheduleId,
}: {
  client: Client;
  taskQueue: string;
  policy: CampaignPolicy;
  policyVersion: string;
  scheduleId?: string;
}): Promise<boolean> {
  const s = policy.schedule;
  if (!s) {
    await deleteVisitSchedule(client, scheduleId);
    return false;
  }
  const spec: ScheduleSpec = {
    calendars: [{ month: { start: MONTHS[s.month - 1], end: MONTHS[s.month - 1] }, dayOfMonth: s.dayOfMonth, hour: s.hour, comment: '大走访、大排查、大整改 (plan item 17)' }],
    timezone: 'Asia/Shanghai',
  };
  const args: [CampaignScheduledInput] = [{ policy, policyVersion, taskQueue }];
  const action = { type: 'startWorkflow' as const, workflowType: CAMPAIGN.scheduledWorkflowType, taskQueue, args };
  try {
    await client.schedule.create({ scheduleId, spec, action, memo: { purpose: '年度大走访、大排查、大整改' } });
    return true;
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
  }
  await client.schedule.getHandle(scheduleId).update((previous) => ({ ...previous, spec, action: { ...previous.action, ...action } }));
  return false;
}

/** Both schedules of the policy in `services`, as the plugin's `ensureSchedules` option does on ready: the names of those created. */
export async function ensureSchedules(services: Services): Promise<string[]> {
  const { client, taskQueue } = services.temporal;
  const policy = services.policy();
  const created: string[] = [];
  if (await ensureVisitSchedule({ client, taskQueue, policy: policy.outOfPovertyVisits })) created.push('脱贫户 visits (March, August, November)');
  if (await ensureCampaignSchedule({ client, taskQueue, policy: policy.campaign, policyVersion: `${policy.version}#${policy.digest}` })) created.push('the annual campaign (大走访)');
  return created;
}
