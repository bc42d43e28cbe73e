/**
 * P5 the annual campaign on the time-skipping server: a town forms teams of two, two villages are
 * visited with the checklist, failed items become rectification cases (a rejected re-check reopens
 * the fix; a housing problem waits for P4), and a campaign left unfinished closes at its end date with
 * a carried-over report.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkflowHandle } from '@temporalio/client';
import { startWorkflowEnv, type WorkflowTestEnv } from '../helpers/workflow-env';
import { recordHistory } from '../helpers/histories';
import { Household, Process, Step } from '../../db';
import { cancelCaseUpdate, completeStepUpdate, stateQuery } from '../../contracts/messages';
import type { Actor } from '../../contracts/roles';
import { loadPolicy } from '../../policy';
import { CAMPAIGN, CHECKLIST_KEYS, campaignId, townCaseId, villagePartId, villageRunId, visitCaseId, type CampaignInput, type ChecklistItem } from '../../processes/campaign/contract';
import { rectificationId } from '../../processes/rectification/contract';
import { campaignProgress } from '../../processes/campaign/activities';

let t: WorkflowTestEnv;
const actors: Record<string, Actor> = {};
const policy = loadPolicy();
beforeAll(async () => {
  t = await startWorkflowEnv();
  for (const u of ['town.tongjing', 'town.gulu', 'cadre.rongguang', 'cadre.rongguang2', 'cadre.jixing', 'shuili', 'supervisor']) actors[u] = await t.actor(u);
  // A second village in scope for 统景镇: a 脱贫户 of 印盒村.
  const em = t.db.em();
  em.create(Household, { id: 'H00000090', headName: '印测试', idNumber: '500112198001010090', town: '统景镇', village: '印盒村', memberCount: 3, status: 'out_of_poverty' });
  await em.flush();
});
afterAll(async () => t?.close());

const day = (ms: number, plusDays = 0) => new Date(ms + 8 * 3600_000 + plusDays * 86_400_000).toISOString().slice(0, 10);

async function until<T>(probe: () => Promise<T | undefined | false>, what: string, tries = 200): Promise<T> {
  for (let i = 0; i < tries; i++) {
    const v = await probe();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function refusal(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    return (err as { cause?: { message?: string } }).cause?.message ?? String(err);
  }
  throw new Error('expected a refusal');
}

const openStep = (processId: string, stepKey: string) => until(async () => (await t.db.em().findOne(Step, { processId, stepKey, status: 'open' })) ?? undefined, `${stepKey} of ${processId}`);

function complete(processId: string, stepKey: string, form: Record<string, unknown>, actor: Actor) {
  return t.env.client.workflow.getHandle(processId).executeUpdate(completeStepUpdate, { args: [{ stepKey, form, actor }] });
}

/** The team's second member confirms the visit recorded (两人一组). */
async function confirmVisit(processId: string, actor: Actor) {
  await openStep(processId, 'confirmVisit');
  return complete(processId, 'confirmVisit', { decision: 'confirm' }, actor);
}

function checklist(today: string, fails: Partial<Record<ChecklistItem, string>> = {}) {
  return {
    visitedOn: today,
    items: Object.fromEntries(CHECKLIST_KEYS.map((k) => [k, fails[k] ? { result: 'fail', note: fails[k] } : { result: 'pass' }])),
  };
}

async function startCampaign(year: number, towns: string[], visitEndsOn: string, rectifyEndsOn: string, campaignPolicy = policy.campaign): Promise<WorkflowHandle> {
  const processId = campaignId(year);
  const input: CampaignInput = { processId, request: { year, towns, visitEndsOn, rectifyEndsOn }, startedBy: { id: 'supervisor', name: '何志远' }, policy: campaignPolicy, policyVersion: 'test' };
  return t.env.client.workflow.start('campaign', { workflowId: processId, taskQueue: t.taskQueue, args: [input] });
}

describe('the annual campaign', () => {
  it('teams of two visit two villages; problems are fixed, re-checked (one reopened, one through P4) and closed; the campaign closes', async () => {
    const now = await t.env.currentTimeMs();
    const today = day(now);
    const year = Number(today.slice(0, 4));
    // The district narrows this one to 脱贫户 and 监测户 (the default visits every household).
    const campaign = await startCampaign(year, ['统景镇'], day(now, 10), day(now, 60), { ...policy.campaign, householdGroups: ['out_of_poverty', 'monitored'] });
    const town = townCaseId(year, '统景镇');
    await openStep(town, 'formTeams');

    // Teams of two distinct active users of the town, every village assigned (item 51).
    const tj = actors['town.tongjing'];
    expect(await refusal(complete(town, 'formTeams', { teams: [{ members: ['cadre.rongguang', 'cadre.rongguang'], villages: ['荣光村', '印盒村'] }] }, tj))).toMatch(/两名不同/);
    expect(await refusal(complete(town, 'formTeams', { teams: [{ members: ['cadre.rongguang', 'cadre.jixing'], villages: ['荣光村', '印盒村'] }] }, tj))).toMatch(/在岗人员/);
    expect(await refusal(complete(town, 'formTeams', { teams: [{ members: ['cadre.rongguang', 'cadre.rongguang2'], villages: ['荣光村'] }] }, tj))).toMatch(/印盒村尚未分配/);
    // Another town's officer may not form them.
    expect(await refusal(complete(town, 'formTeams', { teams: [] }, actors['town.gulu']))).toMatch(/无权/);
    await complete(
      town,
      'formTeams',
      {
        teams: [
          { members: ['cadre.rongguang', 'cadre.rongguang2'], villages: ['荣光村'] },
          { members: ['town.tongjing', 'cadre.rongguang'], villages: ['印盒村'] },
        ],
      },
      tj,
    );

    // One visit per household in scope, for its team, due at the visit phase's end.
    const inScope = await t.db.em().find(Household, { town: '统景镇', $or: [{ status: 'out_of_poverty' }, { monitoringStatus: 'monitored' }] });
    const visits = await until(async () => {
      const rows = await t.db.em().find(Step, { processType: 'campaign', stepKey: 'campaignVisit', town: '统景镇' });
      return rows.length === inScope.length && rows;
    }, 'visit steps');
    expect(new Set(visits.map((v) => v.dueDate))).toEqual(new Set([day(now, 10)]));
    expect(new Set(visits.map((v) => v.village))).toEqual(new Set(['荣光村', '印盒村']));

    // Either member of the team completes the visit; others may not. A failed item needs a note.
    const h1 = visitCaseId(year, 'H00000001');
    expect(await refusal(complete(h1, 'campaignVisit', checklist(today), actors['town.tongjing']))).toMatch(/无权/);
    expect(await refusal(complete(h1, 'campaignVisit', { ...checklist(today), items: { ...checklist(today).items, water: { result: 'fail' } } }, actors['cadre.rongguang2']))).toMatch(/须说明问题/);
    await complete(h1, 'campaignVisit', checklist(today, { water: '自来水管网未通，水量不足' }), actors['cadre.rongguang2']);
    // Two people (item 51): the other member confirms; the one who recorded cannot; a dispute needs a
    // note and sends the visit back to be recorded again.
    await openStep(h1, 'confirmVisit');
    expect(await refusal(complete(h1, 'confirmVisit', { decision: 'confirm' }, actors['cadre.rongguang2']))).toMatch(/无权/);
    expect(await refusal(complete(h1, 'confirmVisit', { decision: 'dispute' }, actors['cadre.rongguang']))).toMatch(/须说明原因/);
    let visitState = await complete(h1, 'confirmVisit', { decision: 'dispute', note: '漏记了饮水问题的具体情况' }, actors['cadre.rongguang']);
    expect(visitState.stage).toBe('visit');
    expect(visitState.data.problems).toEqual([]);
    await complete(h1, 'campaignVisit', checklist(today, { water: '自来水管网未通，水量不足，季节性缺水' }), actors['cadre.rongguang2']);
    visitState = await confirmVisit(h1, actors['cadre.rongguang']);
    expect(visitState.events.map((e) => e.kind)).toEqual(expect.arrayContaining(['visit_disputed', 'visit_confirmed', 'problems_found']));
    for (const v of visits.filter((v) => v.processId !== h1 && v.householdId !== 'H00000090')) {
      await complete(v.processId, 'campaignVisit', checklist(today), v.village === '荣光村' ? actors['cadre.rongguang'] : tj);
      await confirmVisit(v.processId, v.village === '荣光村' ? actors['cadre.rongguang2'] : actors['cadre.rongguang']);
    }
    const h90 = visitCaseId(year, 'H00000090');
    await complete(h90, 'campaignVisit', checklist(today, { housing: '房屋墙体开裂' }), tj);
    await confirmVisit(h90, actors['cadre.rongguang']);

    // Water: analysis → fix by 区水利局 → re-check rejected (perfunctory: reopened, counted) → fix → pass → closed.
    const water = rectificationId(year, 'H00000001', 'water');
    await openStep(water, 'analysis');
    await complete(water, 'analysis', { category: 'water', measure: '接通自来水管网', deadline: day(now, 20) }, tj);
    const fix1 = await openStep(water, 'fix');
    expect(fix1.department).toBe('区水利局');
    const fixForm = { fixedOn: today, measureTaken: '已接通管网', evidence: ['photo-1.jpg'] };
    await complete(water, 'fix', fixForm, actors.shuili);
    await openStep(water, 'recheck');
    expect(await refusal(complete(water, 'recheck', { decision: 'reject', checkedOn: today }, tj))).toMatch(/须说明原因/);
    const rejected = { decision: 'reject', checkedOn: today, reason: '只拉了管子未通水，敷衍整改' };
    // A perfunctory fix is answered for (问责, item 49): who, the measure, the date.
    expect(await refusal(complete(water, 'recheck', rejected, tj))).toMatch(/须记录问责/);
    let state = await complete(water, 'recheck', { ...rejected, accountability: { who: '区水利局农村供水科', measure: '约谈', decidedOn: today } }, tj);
    expect(state.stage).toBe('fix');
    expect(state.data.reopened).toBe(1);
    expect(state.data.accountability).toEqual([{ who: '区水利局农村供水科', measure: '约谈', decidedOn: today, round: 1, department: '区水利局' }]);
    await complete(water, 'fix', { ...fixForm, measureTaken: '已通水，水压正常' }, actors.shuili);
    state = await complete(water, 'recheck', { decision: 'pass', checkedOn: today }, tj);
    expect(state.status).toBe('completed');
    expect(state.outcome?.result).toMatch(/销号/);

    // Housing: handed to P4; the problem waits until P4 closes, then the town re-checks.
    const housing = rectificationId(year, 'H00000090', 'housing');
    await openStep(housing, 'analysis');
    expect(await refusal(complete(housing, 'analysis', { category: 'water', measure: 'x', deadline: day(now, 20), houseRebuild: true, onlyHouse: true }, tj))).toMatch(/只有住房问题/);
    state = await complete(housing, 'analysis', { category: 'housing', measure: '纳入危房改造', deadline: day(now, 40), houseRebuild: true, onlyHouse: true }, tj);
    expect(state.stage).toBe('houseRebuild');
    const p4 = state.data.houseRebuildId as string;
    expect(p4).toMatch(/^houseRebuild:/);
    const p4Row = await until(async () => (await t.db.em().findOne(Process, { id: p4 })) ?? undefined, 'P4 case');
    expect(p4Row.status).toBe('running');
    const rect = t.env.client.workflow.getHandle(housing);
    await t.env.sleep('25 hours');
    expect((await rect.query(stateQuery)).stage).toBe('houseRebuild'); // still waiting on P4
    await t.env.client.workflow.getHandle(p4).executeUpdate(cancelCaseUpdate, { args: [{ reason: '测试：改造办结', actor: actors.supervisor }] });
    await t.env.sleep('25 hours');
    await openStep(housing, 'recheck');
    state = await complete(housing, 'recheck', { decision: 'pass', checkedOn: day(await t.env.currentTimeMs()) }, tj);
    expect(state.status).toBe('completed');

    // Every household visited, every problem closed: the campaign closes.
    const result = (await campaign.result()) as { status: string; outcome: { result: string } };
    expect(result.status).toBe('completed');
    expect(result.outcome.result).toMatch(/全部走访/);
    // A visit answers its village (part) with how it ended, not with its whole state: a part's history
    // keeps the answers of its hundred visits.
    expect(await t.env.client.workflow.getHandle(h1).result()).toEqual({ processId: h1, status: 'completed', outcome: { result: expect.stringMatching(/问题全部销号/) } });

    const progress = await campaignProgress(t.db.em(), year);
    const tongjing = progress.towns.find((x) => x.town === '统景镇')!;
    expect(tongjing).toMatchObject({ households: inScope.length, visited: inScope.length, problems: 2, closed: 2, reopened: 1 });
    expect(tongjing.problemsByCategory).toEqual({ water: 1, housing: 1 });
    expect(progress.reopenedByDepartment).toEqual({ 区水利局: 1 });

    await recordHistory(campaign, 'campaign-all-closed');
    await recordHistory(t.env.client.workflow.getHandle(town), 'campaign-town-teams');
    await recordHistory(t.env.client.workflow.getHandle(`${town}:荣光村`), 'campaign-village');
    await recordHistory(t.env.client.workflow.getHandle(h1), 'campaign-visit-problem');
    await recordHistory(t.env.client.workflow.getHandle(water), 'rectification-reopened');
    await recordHistory(rect, 'rectification-house-rebuild');
  });

  it('closes at its end date with a carried-over report; a team change is audited and followed through the village parts', async () => {
    const now = await t.env.currentTimeMs();
    const today = day(now);
    const year = Number(today.slice(0, 4)) + 1; // another year's campaign (the ids carry the year)
    // One visit per village part (the policy's visitsPerRun, 100 by default): 吉星村's visits open
    // through parts, and the team change below goes village → part → visit.
    const campaign = await startCampaign(year, ['古路镇'], day(now, 3), day(now, 5), { ...policy.campaign, householdGroups: ['out_of_poverty', 'monitored'], visitsPerRun: 1 });
    const town = townCaseId(year, '古路镇');
    await openStep(town, 'formTeams');
    await complete(town, 'formTeams', { teams: [{ members: ['town.gulu', 'cadre.jixing'], villages: ['吉星村'] }] }, actors['town.gulu']);
    const visits = await until(async () => {
      const rows = await t.db.em().find(Step, { processType: 'campaign', stepKey: 'campaignVisit', town: '古路镇', processId: { $like: `campaignVisit:${year}:%` } });
      return rows.length >= 2 && rows;
    }, 'visit steps');
    // One visited; the other left open past the end date.
    await complete(visits[0].processId, 'campaignVisit', checklist(today), actors['cadre.jixing']);
    await confirmVisit(visits[0].processId, actors['town.gulu']);
    // A team change: recorded on the town case with who made it, and the open visit follows it.
    await t.env.client.workflow.getHandle(town).signal(CAMPAIGN.signals.reassignTeam.definition, {
      payload: { village: '吉星村', householdId: visits[1].householdId ?? undefined, members: ['cadre.jixing', 'town.gulu'], reason: '组员调岗' },
      actor: actors['town.gulu'],
      receivedAt: new Date().toISOString(),
    });
    const moved = await until(async () => {
      const s = await t.env.client.workflow.getHandle(visits[1].processId).query(stateQuery);
      const step = s.steps.find((x) => x.key === 'campaignVisit');
      return step?.assignee?.id === 'cadre.jixing' && s;
    }, 'team change');
    expect(moved.events.some((e) => e.kind === 'team_changed')).toBe(true);
    const townState = await t.env.client.workflow.getHandle(town).query(stateQuery);
    expect(townState.events.find((e) => e.kind === 'team_changed')?.actor?.id).toBe('town.gulu');

    const result = (await campaign.result()) as { status: string; stage: string; outcome: { result: string; reasons: string }; data: { report: { totals: { visited: number; households: number } } } };
    expect(result.status).toBe('completed');
    expect(result.stage).toBe('carriedOver');
    expect(result.outcome.result).toMatch(/结转/);
    expect(result.data.report.totals).toMatchObject({ visited: 1, households: visits.length, visitsOverdue: visits.length - 1 });
    expect(result.outcome.reasons).toMatch(/已走访 1 户/);
    // The village run opened its visits through one part per household, each part a visit's parent.
    const village = villageRunId(year, '古路镇', '吉星村');
    for (let n = 1; n <= visits.length; n++) {
      expect((await t.env.client.workflow.getHandle(villagePartId(year, '古路镇', '吉星村', n)).describe()).type).toBe('campaignVillagePart');
    }
    const parents = await Promise.all(visits.map(async (v) => (await t.env.client.workflow.getHandle(v.processId).describe()).parentExecution?.workflowId));
    expect(parents.every((p) => p?.startsWith(`${village}:`))).toBe(true);
    await recordHistory(t.env.client.workflow.getHandle(village), 'campaign-village-parts');
    await recordHistory(t.env.client.workflow.getHandle(parents[1]!), 'campaign-village-part'); // got the team change
    // The open visit stays running (carried over).
    expect((await t.env.client.workflow.getHandle(visits[1].processId).describe()).status.name).toBe('RUNNING');
    await recordHistory(campaign, 'campaign-carried-over');
  });
});
