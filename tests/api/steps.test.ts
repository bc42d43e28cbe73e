/**
 * The step lists over HTTP against the real dev server: each row names the household head and the
 * process; how near each deadline is (overdue, due soon within two working days, later) is the same
 * in the rows, the `due` filter and the summary by town or department; the search finds a household
 * by its head's name or id. The short test policy, with the first steps counted in working days
 * (identification's home verification in 2, house rebuilding's eligibility check in 3) and village
 * review due in a second.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';
import { startTestApp, type TestApp } from '../helpers/app';
import { eventually } from '../helpers/integrations';

const shortPolicy = fileURLToPath(new URL('../fixtures/policy-short.yaml', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'fangfan-steps-'));
let t: TestApp;
beforeAll(async () => {
  const policy = parse(readFileSync(shortPolicy, 'utf8'));
  policy.identification.steps.homeVerification = { workingDays: 2 };
  policy.identification.steps.villageReview = { duration: 'PT1S' };
  policy.houseRebuild.steps.eligibility = { workingDays: 3 };
  const policyFile = join(dir, 'policy-working-days.yaml');
  writeFileSync(policyFile, stringify(policy));
  t = await startTestApp({ policyFile });
});
afterAll(async () => {
  await t?.close();
  rmSync(dir, { recursive: true, force: true });
});

const CADRE = 'cadre.rongguang';
const CADRE2 = 'cadre.rongguang2';
const OTHER_CADRE = 'cadre.jixing';
const SUPERVISOR = 'supervisor';
// Demo households of 统景镇荣光村.
const ZHANG = { id: 'H00000001', head: '张示例' };
const LI = { id: 'H00000002', head: '李演示' };
const WANG = { id: 'H00000003', head: '王样本' };

const today = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const steps = (as: string, filter: object) => t.call(as, { method: 'GET', url: `/api/steps?range=[0,99]&filter=${encodeURIComponent(JSON.stringify(filter))}` });
const rows = async (as: string, filter: object) => {
  const res = await steps(as, filter);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as any[];
};
const start = async (type: string, input: object) => {
  const res = await t.call(CADRE, { method: 'POST', url: '/api/processes', payload: { type, input } });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id as string;
};
const identification = (householdId: string) => start('identification', { householdId, channel: 'cadre_check', category: 'marginal', riskTypes: ['illness'], description: '户主患病，收入骤减' });

describe('step lists', () => {
  let soonCase = '';
  let laterCase = '';
  let overdueCase = '';

  beforeAll(async () => {
    // Due in 2 working days: due soon. Due in 3: later.
    soonCase = await identification(WANG.id);
    laterCase = await start('houseRebuild', { householdId: LI.id, description: '墙体开裂，屋面漏雨', onlyHouse: true, attachments: ['photos/a.jpg'] });
    // Home verification done, village review (due in a second) left open until overdue.
    overdueCase = await identification(ZHANG.id);
    const verification = { verifiedOn: today(), coVerifierId: CADRE2, memberCount: 4, perCapitaIncome: 5600, guarantees: { foodClothing: 'secure', education: 'secure', medical: 'at_risk', housing: 'secure', water: 'secure' }, findings: '因病支出大' };
    const done = await t.call(CADRE, { method: 'POST', url: `/api/processes/${encodeURIComponent(overdueCase)}/steps/homeVerification`, payload: verification });
    expect(done.statusCode, done.body).toBe(200);
    const open = await eventually(() => rows(SUPERVISOR, { status: 'open' }), (r) => r.length === 3 && r.some((s) => s.stepKey === 'villageReview'));
    expect(open).toHaveLength(3);
    await sleep(Math.max(0, Date.parse(open.find((s) => s.stepKey === 'villageReview').dueAt) - Date.now() + 100));
  });

  it('each row names the household head and the process, and says how near its deadline is', async () => {
    const open = await rows(SUPERVISOR, { status: 'open' });
    const byCase = (id: string) => open.find((s) => s.processId === id);
    expect(byCase(soonCase)).toMatchObject({
      stepKey: 'homeVerification',
      title: { zh: '入户核实' },
      headName: WANG.head,
      householdId: WANG.id,
      processTitle: { zh: '监测对象认定' },
      dueState: 'soon',
      dueSoon: true,
      workingDaysLeft: 2,
      overdue: false,
    });
    expect(byCase(laterCase)).toMatchObject({
      stepKey: 'eligibility',
      headName: LI.head,
      processTitle: { zh: '农村危房改造' },
      dueState: 'later',
      dueSoon: false,
      workingDaysLeft: 3,
    });
    const late = byCase(overdueCase);
    expect(late).toMatchObject({ stepKey: 'villageReview', headName: ZHANG.head, dueState: 'overdue', dueSoon: false, overdue: true, overdueDays: 1 });
    // A deadline counted in hours, not working days: no working days to count.
    expect(late).not.toHaveProperty('workingDaysLeft');
    // A step no longer open has no due state.
    const verified = (await rows(SUPERVISOR, { status: 'done', processId: overdueCase }))[0];
    expect(verified).toMatchObject({ stepKey: 'homeVerification', headName: ZHANG.head, dueSoon: false });
    expect(verified).not.toHaveProperty('dueState');
  });

  it('filters by due state: due soon, and overdue', async () => {
    expect((await rows(SUPERVISOR, { due: 'soon' })).map((s) => s.processId)).toEqual([soonCase]);
    expect((await rows(SUPERVISOR, { due: 'overdue' })).map((s) => s.processId)).toEqual([overdueCase]);
    // The inbox view: what the cadre may do and is due soon.
    expect((await rows(CADRE, { mine: true, status: 'open', due: 'soon' })).map((s) => s.headName)).toEqual([WANG.head]);
    const res = await steps(SUPERVISOR, { due: 'tomorrow' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details[0]).toMatchObject({ field: 'filter.due', rule: 'enum' });
  });

  it('searches by the household head’s name or the household id', async () => {
    expect((await rows(CADRE, { status: 'open', q: '王样' })).map((s) => s.processId)).toEqual([soonCase]);
    expect((await rows(CADRE, { status: 'open', q: LI.id.toLowerCase() })).map((s) => s.processId)).toEqual([laterCase]);
    expect((await rows(CADRE, { q: ZHANG.head })).map((s) => s.stepKey).sort()).toEqual(['homeVerification', 'villageReview']);
    // Wildcards are literal; a name no case has finds nothing.
    expect(await rows(CADRE, { q: '%' })).toEqual([]);
    expect(await rows(CADRE, { q: '赵无名' })).toEqual([]);
    // The search stays inside the caller's area.
    expect(await rows(OTHER_CADRE, { q: WANG.head })).toEqual([]);
    // With the other filters.
    expect(await rows(CADRE, { q: WANG.head, due: 'overdue' })).toEqual([]);
    expect(await rows(CADRE, { q: ZHANG.head, processType: 'houseRebuild' })).toEqual([]);
  });

  it('counts open, due-soon and overdue steps by town and by department, as the lists do', async () => {
    let res = await t.call(SUPERVISOR, { method: 'GET', url: '/api/steps/summary?groupBy=town' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ groupBy: 'town', open: 3, soon: 1, overdue: 1, groups: [{ key: '统景镇', open: 3, soon: 1, overdue: 1 }] });
    expect((await rows(SUPERVISOR, { town: '统景镇', status: 'open' })).length).toBe(3);
    // None of these steps belongs to a department.
    res = await t.call(SUPERVISOR, { method: 'GET', url: '/api/steps/summary?groupBy=department' });
    expect(res.json().groups).toEqual([{ key: '', open: 3, soon: 1, overdue: 1 }]);
    // Another village's cadre counts only what is theirs.
    res = await t.call(OTHER_CADRE, { method: 'GET', url: '/api/steps/summary' });
    expect(res.json()).toEqual({ groupBy: 'town', open: 0, soon: 0, overdue: 0, groups: [] });
    res = await t.call(SUPERVISOR, { method: 'GET', url: '/api/steps/summary?groupBy=colour' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details[0]).toMatchObject({ field: 'groupBy', rule: 'enum' });
  });
});
