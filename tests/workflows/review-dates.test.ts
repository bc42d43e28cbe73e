/**
 * The dates people record in the shared review procedure, on the time-skipping server: the notice's
 * posted period (posted no earlier than the notice opened, ended not in the future, at least 5 calendar
 * days with both ends counted) and the district's effective date (never in the future, never before
 * the case, at most the policy's days before the approval day). Each refusal names the field and rule.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import type { ApplicationFailure } from '@temporalio/common';
import { startWorkflowEnv, waitForState, type WorkflowTestEnv } from '../helpers/workflow-env';
import { loadPolicy } from '../../policy';
import { addDays } from '../../calendar/dates';
import { Household } from '../../db';
import { completeStepUpdate } from '../../contracts/messages';
import type { IdentificationData, IdentificationInput } from '../../processes/identification/contract';
import type { Actor } from '../../contracts/roles';
import type { CaseState } from '../../contracts/steps';

let t: WorkflowTestEnv;
let cadre: Actor, cadre2: Actor, town: Actor, supervisor: Actor;
const policy = loadPolicy();

beforeAll(async () => {
  t = await startWorkflowEnv();
  [cadre, cadre2, town, supervisor] = await Promise.all(['cadre.rongguang', 'cadre.rongguang2', 'town.tongjing', 'supervisor'].map((u) => t.actor(u)));
});
afterAll(async () => t?.close());

type State = CaseState<IdentificationData>;
const day = (ms: number) => new Date(ms + 8 * 3600_000).toISOString().slice(0, 10);
const now = async () => day(await t.env.currentTimeMs());
const complete = (handle: WorkflowHandle, stepKey: string, form: Record<string, unknown>, actor: Actor) =>
  handle.executeUpdate(completeStepUpdate, { args: [{ stepKey, form, actor }] }) as unknown as Promise<State>;

/** The refusal's field and rule, as the API answers them in `error.details`. */
async function refusedField(p: Promise<unknown>): Promise<{ field: string; rule: string; message: string }> {
  try {
    await p;
  } catch (err) {
    if (!(err instanceof WorkflowUpdateFailedError)) throw err;
    const cause = err.cause as ApplicationFailure;
    expect(cause.type).toBe('RuleViolation');
    const [detail] = (cause.details ?? []) as { field: string; rule: string; message: string }[];
    expect(cause.message).toContain(`${detail.field}:`);
    return detail;
  }
  throw new Error('expected the update to be refused');
}

let seq = 0;
async function start(): Promise<{ handle: WorkflowHandle; startedOn: string }> {
  const householdId = `HD${String(++seq).padStart(6, '0')}`;
  const em = t.db.em();
  em.create(Household, { id: householdId, headName: `日期户${seq}`, idNumber: `TEST-${householdId}`, town: '统景镇', village: '荣光村', memberCount: 3 });
  await em.flush();
  const input: IdentificationInput = {
    processId: `identification:${householdId}:1`,
    request: { householdId, channel: 'cadre_check', category: 'marginal', riskTypes: ['illness'], description: '患病' },
    household: { id: householdId, headName: `日期户${seq}`, town: '统景镇', village: '荣光村' },
    startedBy: { id: cadre.id, name: cadre.name },
    policy: policy.identification,
    policyVersion: 'test',
  };
  const startedOn = await now();
  const handle = await t.env.client.workflow.start('identification', { workflowId: input.processId, taskQueue: t.taskQueue, args: [input] });
  await waitForState(handle, (s) => s.steps.some((x) => x.key === 'homeVerification' && x.status === 'open'));
  return { handle, startedOn };
}

async function toNotice(handle: WorkflowHandle): Promise<string> {
  const today = await now();
  await complete(handle, 'homeVerification', { verifiedOn: today, coVerifierId: cadre2.id, coVerifier: { id: cadre2.id, name: cadre2.name, roles: cadre2.roles, town: cadre2.town, village: cadre2.village }, memberCount: 3, perCapitaIncome: 5000, guarantees: { foodClothing: 'secure', education: 'secure', medical: 'at_risk', housing: 'secure', water: 'secure' }, findings: '患病' }, cadre);
  const s = await complete(handle, 'villageReview', { heldOn: today, participants: 20, result: 'pass', minutes: '同意' }, cadre);
  return day(Date.parse(s.steps.find((x) => x.key === 'publicNotice' && x.status === 'open')!.openedAt));
}

describe('dates recorded in the review procedure', () => {
  it('the notice records a period of at least 5 days, both ends counted, posted no earlier than the notice opened and not ending in the future', async () => {
    const { handle } = await start();
    const opened = await toNotice(handle);
    await t.env.sleep('5 days');
    const today = await now();
    const notice = (postedOn: string, endedOn: string) => complete(handle, 'publicNotice', { postedOn, endedOn, location: '村务公开栏' }, cadre);

    // Posted before the notice step opened (a backdated notice).
    expect(await refusedField(notice(addDays(opened, -3), today))).toMatchObject({ field: 'postedOn', rule: 'notBeforeOpened' });
    // Ended tomorrow.
    expect(await refusedField(notice(opened, addDays(today, 1)))).toMatchObject({ field: 'endedOn', rule: 'notFuture' });
    // A period of 4 days (posted two days late, ended the day before the minimum is met): the printed notice would show under 5 days.
    const short = await refusedField(notice(addDays(opened, 2), addDays(opened, 5)));
    expect(short).toMatchObject({ field: 'endedOn', rule: 'minimum' });
    expect(short.message).toContain('不少于 5 天');
    // Posted the day it opened, ended on the fifth day: 5 days.
    const s = await notice(opened, addDays(opened, 4));
    expect(s.stage).toBe('townReview');
  });

  it('the decision takes effect on the approval day or at most 3 days before it, never in the future and never before the case started', async () => {
    const { handle, startedOn } = await start();
    const opened = await toNotice(handle);
    await t.env.sleep('5 days');
    await complete(handle, 'publicNotice', { postedOn: opened, endedOn: await now(), location: '村务公开栏' }, cadre);
    await complete(handle, 'townReview', { decision: 'approve' }, town);
    const today = await now();
    const approve = (effectiveOn: string) => complete(handle, 'districtApproval', { decision: 'approve', effectiveOn }, supervisor);

    expect(await refusedField(approve(addDays(today, 1)))).toMatchObject({ field: 'effectiveOn', rule: 'notFuture' });
    // A case started on the 4th approved "effective" the year before (the audit's finding).
    expect(await refusedField(approve(addDays(startedOn, -400)))).toMatchObject({ field: 'effectiveOn', rule: 'notBeforeStart' });
    // After the case started, but more than the policy's 3 days before the approval day.
    expect(policy.identification.backdateDays).toBe(3);
    expect(await refusedField(approve(addDays(today, -4)))).toMatchObject({ field: 'effectiveOn', rule: 'backdate' });
    const s = await approve(addDays(today, -3));
    expect(s.status).toBe('completed');
    expect(s.data.includedOn).toBe(addDays(today, -3));
  });
});
