/**
 * P5 over HTTP: the district starts the year's campaign (once); the town forms teams of two (422
 * otherwise); a team member records the visit checklist; a failed item becomes a rectification the
 * responsible department fixes; progress by town from the read model.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { startTestApp, type TestApp } from '../helpers/app';
import { photoId } from '../helpers/evidence';
import { eventually } from '../helpers/integrations';
import { loadPolicy } from '../../policy';
import { recordHistory } from '../helpers/histories';
import { deleteVisitSchedule, ensureCampaignSchedule } from '../../server/schedules';
import { CHECKLIST_KEYS, townCaseId, visitCaseId } from '../../processes/campaign/contract';
import { rectificationId } from '../../processes/rectification/contract';
import { Household, HouseholdMember } from '../../db';

const policyFile = fileURLToPath(new URL('../fixtures/policy-short.yaml', import.meta.url));
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ policyFile });
  // A student of 王样本's household (荣光村): the visit asks about her.
  const em = t.db.em();
  em.create(HouseholdMember, { householdId: 'H00000003', name: '王小雨', idNumber: '500112201003040028', relation: 'child', student: true });
  await em.flush();
});
afterAll(async () => t?.close());

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const day = (plus = 0) => new Date(Date.now() + 8 * 3600_000 + plus * 86_400_000).toISOString().slice(0, 10);
const enc = encodeURIComponent;
const year = Number(day().slice(0, 4));
const visitEndsOn = `${year}-12-31` < day() ? day() : `${year}-12-31`;

async function openSteps(id: string, as: string, key: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const r = await t.call(as, { method: 'GET', url: `/api/processes/${enc(id)}` });
    if (r.statusCode === 200 && r.json().openSteps?.some((s: { key: string }) => s.key === key)) return;
    await sleep(100);
  }
  throw new Error(`${key} never opened in ${id}`);
}

const step = (as: string, id: string, key: string, form: object) => t.call(as, { method: 'POST', url: `/api/processes/${enc(id)}/steps/${key}`, payload: form });
const checklist = (fails: Record<string, string> = {}) => ({
  visitedOn: day(),
  items: Object.fromEntries(CHECKLIST_KEYS.map((k) => [k, fails[k] ? { result: 'fail', note: fails[k] } : { result: 'pass' }])),
});

describe('P5 over HTTP', () => {
  const town = townCaseId(year, '统景镇');

  it('starts once a year, by the district, for known towns', async () => {
    const input = { year, towns: ['统景镇'], visitEndsOn, rectifyEndsOn: visitEndsOn };
    expect((await t.call('town.tongjing', { method: 'POST', url: '/api/processes', payload: { type: 'campaign', input } })).statusCode).toBe(403);
    expect((await t.call('supervisor', { method: 'POST', url: '/api/processes', payload: { type: 'campaign', input: { ...input, towns: ['不存在镇'] } } })).statusCode).toBe(400);
    expect((await t.call('supervisor', { method: 'POST', url: '/api/processes', payload: { type: 'campaign', input: { ...input, rectifyEndsOn: `${year}-01-01` } } })).statusCode).toBe(400);
    // A year the working calendar does not reach: refused at start, naming the year (it could never open its visits).
    const beyond = await t.call('supervisor', { method: 'POST', url: '/api/processes', payload: { type: 'campaign', input: { year: 2100, towns: ['统景镇'], visitEndsOn: '2100-06-30', rectifyEndsOn: '2100-09-30' } } });
    expect(beyond.statusCode).toBe(400);
    expect(beyond.json().error.details).toEqual([expect.objectContaining({ field: 'input.year', rule: 'calendar' })]);
    const started = await t.call('supervisor', { method: 'POST', url: '/api/processes', payload: { type: 'campaign', input } });
    expect(started.statusCode).toBe(201);
    expect(started.json().id).toBe(`campaign:${year}`);
    const again = await t.call('supervisor', { method: 'POST', url: '/api/processes', payload: { type: 'campaign', input } });
    expect(again.statusCode).toBe(409);
  });

  it('teams are two distinct active users of the town, covering every household', async () => {
    await openSteps(town, 'town.tongjing', 'formTeams');
    const form = (teams: object[]) => ({ teams });
    expect((await step('town.tongjing', town, 'formTeams', form([{ members: ['cadre.rongguang', 'cadre.rongguang'], villages: ['荣光村'] }]))).statusCode).toBe(422);
    expect((await step('town.tongjing', town, 'formTeams', form([{ members: ['cadre.rongguang', 'cadre.jixing'], villages: ['荣光村'] }]))).statusCode).toBe(422);
    expect((await step('town.tongjing', town, 'formTeams', form([{ members: ['cadre.rongguang'], villages: ['荣光村'] }]))).statusCode).toBe(400);
    expect((await step('town.gulu', town, 'formTeams', form([{ members: ['cadre.rongguang', 'cadre.rongguang2'], villages: ['荣光村'] }]))).statusCode).toBe(404);
    const villages = (await t.call('town.tongjing', { method: 'GET', url: `/api/processes/${enc(town)}` })).json().state.data.villages.map((v: { village: string }) => v.village);
    const missing = await step('town.tongjing', town, 'formTeams', form([{ members: ['cadre.rongguang', 'cadre.rongguang2'], villages: villages.slice(0, -1) }]));
    if (villages.length > 1) expect(missing.statusCode).toBe(422);
    const ok = await step('town.tongjing', town, 'formTeams', form([{ members: ['cadre.rongguang', 'cadre.rongguang2'], villages }]));
    expect(ok.statusCode).toBe(200);
    // Every household of the town is visited (item 51: 全面查找), not only 脱贫户 and 监测户: the 特困
    // household and the ordinary ones too.
    const all = await t.db.em().count(Household, { town: '统景镇' });
    const campaign = (await t.call('supervisor', { method: 'GET', url: `/api/processes/${enc(`campaign:${year}`)}` })).json();
    expect(campaign.state.data.households).toBe(all);
    expect(campaign.state.events.find((e: { kind: string }) => e.kind === 'scope').summary).toContain(`全部农户共 ${all} 户`);
    await openSteps(visitCaseId(year, 'H00000004'), 'cadre.rongguang', 'campaignVisit');
    await openSteps(visitCaseId(year, 'H00000003'), 'cadre.rongguang', 'campaignVisit');
    // A reassignment to one person twice is refused before it reaches the case.
    const bad = await t.call('town.tongjing', { method: 'POST', url: `/api/processes/${enc(town)}/signals/reassignTeam`, payload: { village: '荣光村', members: ['cadre.rongguang', 'cadre.rongguang'], reason: '调岗' } });
    expect(bad.statusCode).toBe(422);
  });

  it('a team member records the checklist; a failed item becomes a rectification for its department; progress by town', async () => {
    const visit = visitCaseId(year, 'H00000001');
    await openSteps(visit, 'cadre.rongguang', 'campaignVisit');
    // Both members of the team find the visit in their inbox (the read model follows the case's state by a moment).
    for (const member of ['cadre.rongguang', 'cadre.rongguang2']) {
      const inbox = await eventually(
        async () => (await t.call(member, { method: 'GET', url: `/api/steps?filter=${encodeURIComponent(JSON.stringify({ mine: true, status: 'open', processId: visit }))}` })).json(),
        (rows: { stepKey: string }[]) => rows.length > 0,
      );
      expect(inbox.map((s: { stepKey: string }) => s.stepKey), member).toEqual(['campaignVisit']);
    }
    expect((await step('cadre.rongguang2', visit, 'campaignVisit', { visitedOn: day(), items: {} })).statusCode).toBe(400);
    expect((await step('cadre.rongguang2', visit, 'campaignVisit', { ...checklist(), items: { ...checklist().items, education: { result: 'fail' } } })).statusCode).toBe(422);
    expect((await step('town.gulu', visit, 'campaignVisit', checklist())).statusCode).toBe(404);
    // The second member (not the step's named assignee) may complete it.
    const recorded = await step('cadre.rongguang2', visit, 'campaignVisit', checklist({ education: '子女初二辍学在家' }));
    expect(recorded.statusCode).toBe(200);
    // 两人一组 (item 51): the other member confirms the visit before its problems go anywhere; the one
    // who recorded it cannot.
    expect(recorded.json().state.stage).toBe('confirmVisit');
    expect(recorded.json().state.data.problems).toEqual([]);
    await openSteps(visit, 'cadre.rongguang', 'confirmVisit');
    expect((await step('cadre.rongguang2', visit, 'confirmVisit', { decision: 'confirm' })).statusCode).toBe(403);
    const done = await step('cadre.rongguang', visit, 'confirmVisit', { decision: 'confirm' });
    expect(done.statusCode).toBe(200);
    expect(done.json().state.data.problems.map((p: { item: string }) => p.item)).toEqual(['education']);

    const problem = rectificationId(year, 'H00000001', 'education');
    await openSteps(problem, 'town.tongjing', 'analysis');
    expect((await step('town.tongjing', problem, 'analysis', { category: 'education', measure: '劝返复学', deadline: day(-1) })).statusCode).toBe(422);
    expect((await step('town.tongjing', problem, 'analysis', { category: 'education', measure: '劝返复学', deadline: day(10) })).statusCode).toBe(200);
    await openSteps(problem, 'jiaowei', 'fix');
    const fix = { fixedOn: day(), measureTaken: '已劝返复学', evidence: [await photoId(t, 'jiaowei')] };
    expect((await step('shuili', problem, 'fix', fix)).statusCode).toBe(404);
    expect((await step('jiaowei', problem, 'fix', fix)).statusCode).toBe(200);

    const progress = await t.call('supervisor', { method: 'GET', url: `/api/campaigns/${year}/progress` });
    expect(progress.statusCode).toBe(200);
    const body = progress.json();
    expect(body.campaign.status).toBe('running');
    const tj = body.towns.find((x: { town: string }) => x.town === '统景镇');
    expect(tj).toMatchObject({ visited: 1, problems: 1, closed: 0, reopened: 0, problemsByCategory: { education: 1 } });
    expect(tj.households).toBeGreaterThanOrEqual(2);
    // The categories as people read them, for the console's progress page.
    expect(body.categories.education.zh).toBe('义务教育有保障（无辍学）');
    // A town officer sees their own town only.
    expect((await t.call('town.gulu', { method: 'GET', url: `/api/campaigns/${year}/progress` })).json().towns).toEqual([]);
    expect((await t.call('town.tongjing', { method: 'GET', url: `/api/campaigns/${year}/progress` })).json().towns).toHaveLength(1);
    expect((await t.call('supervisor', { method: 'GET', url: `/api/campaigns/${year - 1}/progress` })).statusCode).toBe(404);
  });

  it('the visit asks about each student of the household: unanswered is refused naming the field, a dropout is an education problem', async () => {
    const visit = visitCaseId(year, 'H00000003');
    await openSteps(visit, 'cadre.rongguang', 'campaignVisit');
    const open = (await t.call('cadre.rongguang', { method: 'GET', url: `/api/processes/${enc(visit)}` })).json().openSteps.find((s: { key: string }) => s.key === 'campaignVisit');
    expect(open.context.students).toEqual(['王小雨']);
    expect(JSON.stringify(open)).not.toContain('500112201003040028');
    const unanswered = await step('cadre.rongguang', visit, 'campaignVisit', checklist());
    expect(unanswered.statusCode).toBe(422);
    expect(unanswered.json().error.details).toEqual([expect.objectContaining({ field: 'students', rule: 'required' })]);
    const badChoice = await step('cadre.rongguang', visit, 'campaignVisit', { ...checklist(), students: [{ name: '王小雨', schooling: 'gone', educationAid: 'no' }] });
    expect(badChoice.statusCode).toBe(400);
    const recorded = await step('cadre.rongguang', visit, 'campaignVisit', { ...checklist(), students: [{ name: '王小雨', schooling: 'dropped_out', educationAid: 'no' }] });
    expect(recorded.statusCode).toBe(200);
    await openSteps(visit, 'cadre.rongguang2', 'confirmVisit');
    const done = await step('cadre.rongguang2', visit, 'confirmVisit', { decision: 'confirm' });
    expect(done.statusCode).toBe(200);
    expect(done.json().state.data.problems).toEqual([{ item: 'education', note: '学生王小雨辍学', processId: rectificationId(year, 'H00000003', 'education') }]);
  });

  it("the yearly schedule's workflow leaves the year's campaign started by hand alone", async () => {
    const policy = loadPolicy(policyFile);
    const handle = await t.client.workflow.start('campaignScheduled', { workflowId: `campaign-scheduled-${Date.now()}`, taskQueue: t.taskQueue, args: [{ policy: { ...policy.campaign, schedule: { month: 10, dayOfMonth: 8, hour: 8, visitDays: 30, rectifyDays: 60 } }, policyVersion: 'test' }] });
    expect(await handle.result()).toEqual({ processId: `campaign:${year}`, started: false });
    await recordHistory(handle, 'campaign-scheduled-existing');
  });

  it('the yearly schedule is created from the policy once, then kept up to date', async () => {
    const policy = loadPolicy();
    const scheduleId = `test-campaign-${Date.now()}`;
    try {
      const opts = { client: t.client, taskQueue: t.taskQueue, policy: policy.campaign, policyVersion: 'test', scheduleId };
      expect(await ensureCampaignSchedule(opts)).toBe(true);
      expect(await ensureCampaignSchedule(opts)).toBe(false);
      const d = await t.client.schedule.getHandle(scheduleId).describe();
      expect(d.action.type === 'startWorkflow' && d.action.workflowType).toBe('campaignScheduled');
    } finally {
      await deleteVisitSchedule(t.client, scheduleId);
    }
  });
});
