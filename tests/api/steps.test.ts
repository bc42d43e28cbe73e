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
import ExcelJS from 'exceljs';
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

  /** A ledger download: its file name (from `filename*`) and its sheet as rows of cell values. */
  const ledger = async (as: string, list: 'steps' | 'processes', filter: object, lang?: string) => {
    const res = await t.call(as, { method: 'GET', url: `/api/${list}/export.xlsx?filter=${encodeURIComponent(JSON.stringify(filter))}`, headers: lang ? { 'accept-language': lang } : {} });
    expect(res.statusCode, res.body).toBe(200);
    const name = /filename\*=UTF-8''([^;]+)/.exec(res.headers['content-disposition'] as string)?.[1];
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sheet: unknown[][] = [];
    wb.worksheets[0].eachRow((r) => sheet.push((r.values as unknown[]).slice(1)));
    const [header, ...body] = sheet as string[][];
    const records = body.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])));
    return { filename: name && decodeURIComponent(name), header, records, cells: sheet.flat().map(String) };
  };
  const beijingMinute = (iso: string) => new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
  // Codes people do not read: roles, statuses, step and process keys.
  const RAW = /^(open|done|cancelled|running|completed|village_cadre|town_officer|identification|houseRebuild|homeVerification|villageReview|eligibility)$|_cadre|_officer/;

  it('exports the steps as a ledger for people: Chinese headers and values, Beijing time, the household head, a named file', async () => {
    const listed = await rows(SUPERVISOR, { processId: overdueCase });
    const { filename, header, records, cells } = await ledger(SUPERVISOR, 'steps', { processId: overdueCase });
    expect(filename).toBe(`办理环节_${today()}.xlsx`);
    expect(header.slice(0, 6)).toEqual(['流程', '户主', '环节', '镇', '村', '办理角色']);
    expect(records).toHaveLength(listed.length);
    const review = records.find((r) => r['状态'] === '待办理')!;
    const open = listed.find((s) => s.status === 'open');
    expect(review).toMatchObject({ 流程: '监测对象认定', 户主: ZHANG.head, 状态: '待办理', 办理角色: '村干部', 开始时间: beijingMinute(open.openedAt), 办结期限: open.dueDate });
    expect(records.find((r) => r['状态'] === '已完成')).toMatchObject({ 户主: ZHANG.head, 完成时间: expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/) });
    expect(cells.filter((c) => RAW.test(c))).toEqual([]);
  });

  it('exports the cases as a ledger for people, and in English when the caller asks for English', async () => {
    const { filename, header, records, cells } = await ledger(SUPERVISOR, 'processes', { id: [soonCase, laterCase] });
    expect(filename).toBe(`流程台账_${today()}.xlsx`);
    expect(header.slice(0, 6)).toEqual(['流程类型', '户主/对象', '镇', '村', '状态', '当前环节']);
    const started = (await t.call(SUPERVISOR, { method: 'GET', url: `/api/processes/${encodeURIComponent(soonCase)}` })).json();
    expect(records.find((r) => r['户主/对象'] === WANG.head)).toMatchObject({ 流程类型: '监测对象认定', 状态: '办理中', 当前环节: expect.stringMatching(/[\u4e00-\u9fa5]/), 发起时间: beijingMinute(started.startedAt), 是否逾期: '否' });
    expect(records.find((r) => r['户主/对象'] === LI.head)).toMatchObject({ 状态: '办理中' });
    expect(cells.filter((c) => RAW.test(c))).toEqual([]);

    const english = await ledger(SUPERVISOR, 'steps', { processId: soonCase }, 'en-GB,en;q=0.9');
    expect(english.filename).toBe(`Steps_${today()}.xlsx`);
    expect(english.records[0]).toMatchObject({ Process: 'Monitoring identification', 'Household head': WANG.head, Status: 'Open', Role: 'Village cadre' });
  });
});
