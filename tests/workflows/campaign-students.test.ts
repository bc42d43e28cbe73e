/**
 * P5's visit asks about each student of the household (item 51, issue 21): the activity that opens the
 * visits reads the household's students (names only), the visit step lists them, a visit leaving one
 * unanswered is refused naming the field, and a dropout (辍学) becomes an education rectification.
 * Households without students keep the checklist as it was.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorkflowEnv, refusal, waitForState, type WorkflowTestEnv } from '../helpers/workflow-env';
import { recordHistory } from '../helpers/histories';
import { Household, HouseholdMember } from '../../db';
import { completeStepUpdate } from '../../contracts/messages';
import type { Actor } from '../../contracts/roles';
import type { CaseState } from '../../contracts/steps';
import { loadPolicy } from '../../policy';
import { CHECKLIST_KEYS, visitCaseId, type CampaignHousehold, type CampaignVisitInput, type Team } from '../../processes/campaign/contract';
import { campaignActivities } from '../../processes/campaign/activities';
import { rectificationId } from '../../processes/rectification/contract';

let t: WorkflowTestEnv;
const actors: Record<string, Actor> = {};
const policy = loadPolicy();
const TOWN = '统景镇';
const VILLAGE = '印盒村';
beforeAll(async () => {
  t = await startWorkflowEnv();
  for (const u of ['cadre.rongguang', 'cadre.rongguang2']) actors[u] = await t.actor(u);
  const em = t.db.em();
  em.create(Household, { id: 'H00000095', headName: '印学文', idNumber: '500112198001010095', town: TOWN, village: VILLAGE, memberCount: 4, status: 'out_of_poverty' });
  em.create(Household, { id: 'H00000096', headName: '印无学', idNumber: '500112198001010096', town: TOWN, village: VILLAGE, memberCount: 1, status: 'out_of_poverty' });
  em.create(HouseholdMember, { householdId: 'H00000095', name: '印学文', idNumber: '500112198001010095', relation: 'head' });
  em.create(HouseholdMember, { householdId: 'H00000095', name: '印小明', idNumber: '500112201201010011', relation: 'child', student: true });
  em.create(HouseholdMember, { householdId: 'H00000095', name: '印小红', idNumber: '500112201401010022', relation: 'child', student: true });
  await em.flush();
});
afterAll(async () => t?.close());

const day = (ms: number, plusDays = 0) => new Date(ms + 8 * 3600_000 + plusDays * 86_400_000).toISOString().slice(0, 10);
const person = (a: Actor) => ({ id: a.id, name: a.name });
const pass = (today: string) => ({ visitedOn: today, items: Object.fromEntries(CHECKLIST_KEYS.map((k) => [k, { result: 'pass' }])) });
const complete = (processId: string, stepKey: string, form: Record<string, unknown>, actor: Actor) =>
  t.env.client.workflow.getHandle(processId).executeUpdate(completeStepUpdate, { args: [{ stepKey, form, actor }] });

async function startVisit(household: CampaignHousehold, now: number) {
  const year = Number(day(now).slice(0, 4));
  const processId = visitCaseId(year, household.id);
  const team: Team = [person(actors['cadre.rongguang']), person(actors['cadre.rongguang2'])];
  const input: CampaignVisitInput = { processId, year, household, team, visitEndsOn: day(now, 10), rectifyEndsOn: day(now, 60), policy: policy.campaign };
  const handle = await t.env.client.workflow.start('campaignVisit', { workflowId: processId, taskQueue: t.taskQueue, args: [input] });
  const state = await waitForState<CaseState>(handle, (s) => s.steps.some((st) => st.key === 'campaignVisit' && st.status === 'open'));
  return { processId, year, handle, step: state.steps.find((st) => st.key === 'campaignVisit')! };
}

describe('the campaign visit asks about each student', () => {
  it('lists the students by name, refuses a visit that leaves one unanswered, and turns a dropout into an education problem', async () => {
    const now = await t.env.currentTimeMs();
    const today = day(now);
    const households = await campaignActivities({ db: t.db }).campaignHouseholds({ town: TOWN, village: VILLAGE, groups: 'all' });
    const withStudents = households.find((h) => h.id === 'H00000095')!;
    // Names only: the head is no student, and no ID number leaves the register for the workflow.
    expect(withStudents.students).toEqual([{ name: '印小明' }, { name: '印小红' }]);
    expect(JSON.stringify(households)).not.toMatch(/5001122012/);
    expect(households.find((h) => h.id === 'H00000096')!.students).toBeUndefined();

    const visit = await startVisit(withStudents, now);
    expect(visit.step.context?.students).toEqual(['印小明', '印小红']);
    const recorder = actors['cadre.rongguang'];
    const unanswered = await refusal(complete(visit.processId, 'campaignVisit', pass(today), recorder));
    expect(unanswered.type).toBe('RuleViolation');
    expect(unanswered.message).toMatch(/^students: 未填写学生「印小明」/);
    const oneOnly = { ...pass(today), students: [{ name: '印小明', schooling: 'in_school', educationAid: 'yes' }] };
    expect((await refusal(complete(visit.processId, 'campaignVisit', oneOnly, recorder))).message).toMatch(/印小红/);
    const stranger = { ...pass(today), students: [...oneOnly.students, { name: '印小红', schooling: 'in_school', educationAid: 'no' }, { name: '别家孩子', schooling: 'in_school', educationAid: 'no' }] };
    expect((await refusal(complete(visit.processId, 'campaignVisit', stranger, recorder))).message).toMatch(/别家孩子.*不在本户/);

    // 印小红 has dropped out: the checklist's education item passed, yet the visit finds an education problem.
    await complete(visit.processId, 'campaignVisit', { ...oneOnly, students: [...oneOnly.students, { name: '印小红', schooling: 'dropped_out', educationAid: 'no', note: '外出务工' }] }, recorder);
    await waitForState<CaseState>(visit.handle, (s) => s.steps.some((st) => st.key === 'confirmVisit' && st.status === 'open'));
    await complete(visit.processId, 'confirmVisit', { decision: 'confirm' }, actors['cadre.rongguang2']);
    const state = await waitForState<CaseState<{ problems: { item: string; note: string; processId: string }[] }>>(visit.handle, (s) => s.data.problems.length > 0);
    expect(state.data.problems).toEqual([{ item: 'education', note: '学生印小红辍学（外出务工）', processId: rectificationId(visit.year, 'H00000095', 'education') }]);
    const rectification = await waitForState<CaseState>(t.env.client.workflow.getHandle(rectificationId(visit.year, 'H00000095', 'education')), (s) => s.steps.length > 0);
    expect(rectification.status).toBe('running');
    await recordHistory(visit.handle, 'campaign-visit-students');
  });

  it('a household without students keeps the checklist as it was', async () => {
    const now = await t.env.currentTimeMs();
    const today = day(now);
    const households = await campaignActivities({ db: t.db }).campaignHouseholds({ town: TOWN, village: VILLAGE, groups: 'all' });
    const visit = await startVisit(households.find((h) => h.id === 'H00000096')!, now);
    expect(visit.step.context).not.toHaveProperty('students');
    const extra = { ...pass(today), students: [{ name: '印小明', schooling: 'in_school', educationAid: 'yes' }] };
    expect((await refusal(complete(visit.processId, 'campaignVisit', extra, actors['cadre.rongguang']))).message).toMatch(/^students: 本户没有在校学生/);
    const state = await complete(visit.processId, 'campaignVisit', pass(today), actors['cadre.rongguang']);
    expect(state.stage).toBe('confirmVisit');
    expect(state.data.problems).toEqual([]);
  });
});
