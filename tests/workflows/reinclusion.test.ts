/**
 * 返贫 on the time-skipping server: a household whose risk was eliminated is identified again; on
 * approval its old follow-up case (still in its 365-day revert window) closes as superseded and a new
 * one starts with a fresh 10-working-day assignment deadline, through the API's own start logic.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkflowHandle } from '@temporalio/client';
import { startWorkflowEnv, waitForState, type WorkflowTestEnv } from '../helpers/workflow-env';
import { recordHistory } from '../helpers/histories';
import { loadCalendar } from '../../calendar';
import { Household } from '../../db';
import { completeStepUpdate, stateQuery } from '../../contracts/messages';
import { start } from '../../server/commands/start';
import type { HelperAssignmentData } from '../../processes/helper-assignment/contract';
import type { IdentificationData } from '../../processes/identification/contract';
import type { Actor } from '../../contracts/roles';
import type { CaseState } from '../../contracts/steps';

let t: WorkflowTestEnv;
let town: Actor, helper: Actor, cadre2: Actor, supervisor: Actor;
const calendar = loadCalendar();

beforeAll(async () => {
  t = await startWorkflowEnv();
  [town, helper, cadre2, supervisor] = await Promise.all(['town.tongjing', 'cadre.rongguang', 'cadre.rongguang2', 'supervisor'].map((u) => t.actor(u)));
});
afterAll(async () => t?.close());

const SH = 8 * 3600_000;
const day = (ms: number) => new Date(ms + SH).toISOString().slice(0, 10);
const now = async () => day(await t.env.currentTimeMs());
const asPerson = (a: Actor) => ({ id: a.id, name: a.name, roles: a.roles, town: a.town, village: a.village });
const handleOf = (id: string) => t.env.client.workflow.getHandle(id);
const complete = <S = CaseState>(handle: WorkflowHandle, stepKey: string, form: Record<string, unknown>, actor: Actor, stepId?: string) =>
  handle.executeUpdate(completeStepUpdate, { args: [{ stepKey, stepId, form, actor }] }) as unknown as Promise<S>;
const query = <S>(handle: WorkflowHandle) => handle.query(stateQuery) as unknown as Promise<S>;

/** The shared review procedure to approval: two cadres verify, the village reviews, 5 days' notice, town, district. */
async function approveReview(handle: WorkflowHandle): Promise<CaseState> {
  const today = await now();
  await complete(handle, 'homeVerification', { verifiedOn: today, coVerifierId: cadre2.id, coVerifier: asPerson(cadre2), memberCount: 3, perCapitaIncome: 9000, guarantees: { foodClothing: 'secure', education: 'secure', medical: 'secure', housing: 'secure', water: 'secure' }, findings: '核实' }, helper);
  const s = await complete(handle, 'villageReview', { heldOn: today, participants: 20, result: 'pass', minutes: '同意' }, helper);
  const posted = day(Date.parse(s.steps.find((x) => x.key === 'publicNotice' && x.status === 'open')!.openedAt));
  await t.env.sleep('5 days');
  await complete(handle, 'publicNotice', { postedOn: posted, endedOn: await now(), location: '村务公开栏' }, helper);
  await complete(handle, 'townReview', { decision: 'approve' }, town);
  return complete(handle, 'districtApproval', { decision: 'approve' }, supervisor);
}

describe('re-inclusion after risk elimination (返贫)', () => {
  it('closes the old follow-up as superseded and starts a new one with its own 10 working days', async () => {
    // A household monitored for 200 days, its helper named, a measure carried out, its risk eliminated.
    const householdId = 'HRE000001';
    const includedOn = day((await t.env.currentTimeMs()) - 200 * 86_400_000);
    const em = t.db.em();
    em.create(Household, { id: householdId, headName: '返贫户', idNumber: `TEST-${householdId}`, town: '统景镇', village: '荣光村', memberCount: 3, monitoringStatus: 'monitored', monitoredSince: includedOn });
    await em.flush();
    const first = await (await start(t.services, supervisor, { type: 'helperAssignment', input: { householdId, includedOn } })).run();
    const old = handleOf(first.id);
    await complete(old, 'assignHelper', { helperId: helper.id, helper: asPerson(helper), measures: [{ category: 'employment', target: '公益性岗位', responsibleUnit: '统景镇', dueDate: '2099-12-31' }] }, town);
    let s = await waitForState<CaseState<HelperAssignmentData>>(old, (x) => x.steps.some((st) => st.key === 'monthlyVisit' && st.status === 'open'));
    const visit = s.steps.find((st) => st.key === 'monthlyVisit' && st.status === 'open')!;
    await complete(old, 'monthlyVisit', { visitedOn: await now(), notes: '走访', measureProgress: [{ measureId: 'M1', note: '已上岗', done: true }] }, helper, visit.id);
    await complete(old, 'proposeElimination', { reasons: '务工收入稳定', perCapitaIncome: 12000, incomeAboveLine: true, labourCount: 2 }, helper);
    s = (await approveReview(old)) as unknown as CaseState<HelperAssignmentData>;
    expect(s.data.phase).toBe('eliminated');
    expect((await t.db.em().findOneOrFail(Household, { id: householdId }, { refresh: true })).monitoringStatus).toBe('eliminated');

    // Weeks later the household falls back: a cadre identifies it again and the district approves.
    await t.env.sleep('20 days');
    const again = await (await start(t.services, helper, { type: 'identification', input: { householdId, channel: 'cadre_check', category: 'unstable', riskTypes: ['illness'], description: '户主突发重病，收入骤减' } })).run();
    const identification = handleOf(again.id);
    await waitForState(identification, (x) => x.steps.some((st) => st.key === 'homeVerification'));
    const approved = (await approveReview(identification)) as unknown as CaseState<IdentificationData>;
    expect(approved.status).toBe('completed');
    const reincludedOn = approved.data.includedOn!;

    // A new follow-up case, not the old one: the town names a helper within 10 working days of re-inclusion.
    const followUpId = approved.data.followUpId!;
    expect(followUpId).toBeTruthy();
    expect(followUpId).not.toBe(first.id);
    const fresh = await waitForState<CaseState<HelperAssignmentData>>(handleOf(followUpId), (x) => x.steps.some((st) => st.key === 'assignHelper' && st.status === 'open'));
    expect(fresh.data.phase).toBe('assigning');
    expect(fresh.data.includedOn).toBe(reincludedOn);
    expect(fresh.data.identificationId).toBe(again.id);
    expect(fresh.steps.find((st) => st.key === 'assignHelper')!.dueDate).toBe(calendar.addWorkingDays(reincludedOn, 10).date);

    // The old case closed as superseded, saying so in Chinese; it no longer offers to revert.
    const closed = await query<CaseState<HelperAssignmentData>>(old);
    expect(closed.status).toBe('completed');
    expect(closed.outcome?.result).toContain('重新纳入监测');
    expect(closed.outcome?.result).not.toContain('风险已消除');
    expect(closed.actions ?? []).toEqual([]);
    expect(closed.events.some((e) => e.kind === 'superseded' && e.summary.includes(again.id))).toBe(true);
    expect((await t.db.em().findOneOrFail(Household, { id: householdId }, { refresh: true })).monitoringStatus).toBe('monitored');

    // The new case follows the household: helper named, this month's visit opens.
    const assigned = await complete<CaseState<HelperAssignmentData>>(handleOf(followUpId), 'assignHelper', { helperId: helper.id, helper: asPerson(helper), measures: [{ category: 'medical_assistance', target: '医疗救助', responsibleUnit: '区医保局', dueDate: '2099-12-31' }] }, town);
    expect(assigned.data.phase).toBe('monitoring');
    await waitForState(handleOf(followUpId), (x: CaseState) => x.steps.some((st) => st.key === 'monthlyVisit' && st.status === 'open'));
    await recordHistory(old, 'helper-assignment-reincluded');
  });
});
