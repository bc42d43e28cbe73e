/**
 * P1 over HTTP against the real dev server: start, advance every step, inspect state and history,
 * refusals (400/403/404/409/422) that change nothing, scoping, lists, alerts, idempotent retries.
 * Uses the short test policy (notice minimum 2 s, home verification due in 2 s); the refusal of an
 * early notice end uses the same policy with a notice minimum of 20 s, so that it does not depend on
 * how fast a loaded machine answers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startTestApp, type TestApp } from '../helpers/app';
import { eventually } from '../helpers/integrations';
import { photoId } from '../helpers/evidence';
import { loadPolicy } from '../../policy';
import { Household } from '../../db';

const policyFile = fileURLToPath(new URL('../fixtures/policy-short.yaml', import.meta.url));
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ policyFile });
});
afterAll(async () => t?.close());

const CADRE = 'cadre.rongguang';
const CADRE2 = 'cadre.rongguang2';
const OTHER_CADRE = 'cadre.jixing';
const TOWN = 'town.tongjing';
const SUPERVISOR = 'supervisor';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const json = (o: unknown) => JSON.stringify(o);

async function householdsOf(village: string): Promise<{ id: string }[]> {
  const res = await t.call('admin', { method: 'GET', url: `/api/households?filter=${encodeURIComponent(json({ village }))}&range=[0,99]` });
  expect(res.statusCode).toBe(200);
  return res.json();
}

const startBody = (householdId: string) => ({
  type: 'identification',
  input: { householdId, channel: 'cadre_check', category: 'marginal', riskTypes: ['illness', 'lack_of_labour'], description: '户主患病住院，家庭收入骤减' },
});

const verification = { verifiedOn: '2026-11-20', coVerifierId: CADRE2, memberCount: 4, perCapitaIncome: 5600, guarantees: { foodClothing: 'secure', education: 'secure', medical: 'at_risk', housing: 'secure', water: 'secure' }, findings: '住院费用高' };
const villageReview = { heldOn: '2026-11-21', participants: 30, result: 'pass', minutes: '同意纳入' };
/** Today in Shanghai: the notice opened today and ends today (the short policy's minimum is under a day). */
const today = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
const notice = { postedOn: today(), endedOn: today(), location: '村务公开栏' };
/** The notice form with the cadre's photo of the posted notice (required evidence). */
const noticeWithPhoto = async (app: TestApp) => ({ ...notice, photos: [await photoId(app, CADRE)] });

const step = (as: string, id: string, key: string, body: unknown, headers: Record<string, string> = {}) =>
  t.call(as, { method: 'POST', url: `/api/processes/${encodeURIComponent(id)}/steps/${key}`, payload: body as object, headers });
/** The earliest end of the open public notice, as the case states it (its notice minimum after it was put up). */
const earliestNoticeEnd = (state: any): number => Date.parse(state.steps.find((s: any) => s.key === 'publicNotice' && s.status === 'open').context.earliestCompletion);
/** Wait until the notice minimum has passed by the case's own account. */
const untilNoticeMayEnd = async (state: any) => sleep(Math.max(0, earliestNoticeEnd(state) - Date.now() + 200));
const detail = async (as: string, id: string) => t.call(as, { method: 'GET', url: `/api/processes/${encodeURIComponent(id)}` });

describe('P1 identification over HTTP', () => {
  let households: { id: string }[];
  beforeAll(async () => {
    households = await householdsOf('荣光村');
    expect(households.length).toBeGreaterThanOrEqual(3);
  });

  it('drives a case from start to approval, with state, history and the household register updated', async () => {
    const hh = households[0].id;
    const started = await t.call(CADRE, { method: 'POST', url: '/api/processes', payload: startBody(hh) });
    expect(started.statusCode).toBe(201);
    const { id, runId, type } = started.json();
    expect(type).toBe('identification');
    expect(runId).toBeTruthy();

    // A second open identification for the same household is refused with the open one's id.
    const dup = await t.call(CADRE, { method: 'POST', url: '/api/processes', payload: startBody(hh) });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.id).toBe(id);

    let d = (await detail(CADRE, id)).json();
    expect(d.status).toBe('running');
    expect(d.openSteps.map((s: any) => s.key)).toEqual(['homeVerification']);
    expect(d.openSteps[0].mayComplete).toBe(true);
    expect(d.state.due.dueAt).toBeTruthy();

    // Bad forms are 400 naming the field, and change nothing.
    let res = await step(CADRE, id, 'homeVerification', { ...verification, memberCount: 'four' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'memberCount', rule: 'type' })]));
    res = await step(CADRE, id, 'homeVerification', { ...verification, bankAccount: '6222' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details[0]).toMatchObject({ field: 'bankAccount', rule: 'additionalProperties' });
    const { findings: _omit, ...missing } = verification;
    res = await step(CADRE, id, 'homeVerification', missing);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details[0]).toMatchObject({ field: 'findings', rule: 'required' });
    res = await step(CADRE, id, 'homeVerification', { ...verification, coVerifierId: 'nobody' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details[0].field).toBe('coVerifierId');
    // A business rule: two different cadres of the village verify together (422 from the workflow's validator).
    res = await step(CADRE, id, 'homeVerification', { ...verification, coVerifierId: CADRE });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.message).toContain('同行核实人不能是本人');
    // Another village's cadre may neither see nor act: the case is unknown to them.
    expect((await detail(OTHER_CADRE, id)).statusCode).toBe(404);
    expect((await step(OTHER_CADRE, id, 'homeVerification', { ...verification, coVerifierId: CADRE })).statusCode).toBe(404);
    // A step that is not open: 409; a step the process does not have: 404.
    expect((await step(TOWN, id, 'townReview', { decision: 'approve' })).statusCode).toBe(409);
    expect((await step(CADRE, id, 'noSuchStep', {})).statusCode).toBe(404);
    d = (await detail(CADRE, id)).json();
    expect(d.stage).toBe('homeVerification');
    expect(d.state.steps.filter((s: any) => s.status === 'done')).toHaveLength(0);

    const sentAt = Date.now();
    res = await step(CADRE, id, 'homeVerification', verification);
    expect(res.statusCode).toBe(200);
    expect(res.json().state.stage).toBe('villageReview');
    // The case records the time the API received the submission; the next step opens at that time.
    const verified = res.json().state.steps.find((s: any) => s.key === 'homeVerification');
    const completedAt = Date.parse(verified.completedAt);
    expect(completedAt).toBeGreaterThanOrEqual(sentAt);
    expect(completedAt).toBeLessThanOrEqual(Date.now());
    expect(Date.parse(res.json().state.steps.find((s: any) => s.key === 'villageReview').openedAt)).toBe(completedAt);
    res = await step(CADRE2, id, 'villageReview', villageReview);
    expect(res.json().state.stage).toBe('publicNotice');

    // The notice ends once its minimum (2 s here) has passed; that it cannot end before: the test below.
    await untilNoticeMayEnd(res.json().state);
    res = await step(CADRE, id, 'publicNotice', await noticeWithPhoto(t));
    expect(res.statusCode).toBe(200);
    expect(res.json().state.stage).toBe('townReview');

    // Only the town officer of 统景镇 reviews; the cadre cannot.
    expect((await step(CADRE, id, 'townReview', { decision: 'approve' })).statusCode).toBe(403);
    res = await step(TOWN, id, 'townReview', { decision: 'approve' });
    expect(res.json().state.stage).toBe('districtApproval');
    res = await step(SUPERVISOR, id, 'districtApproval', { decision: 'approve' });
    expect(res.statusCode).toBe(200);
    expect(res.json().state.status).toBe('completed');

    d = (await detail(CADRE, id)).json();
    expect(d.status).toBe('completed');
    expect(d.openSteps).toEqual([]);
    const household = (await t.call(CADRE, { method: 'GET', url: `/api/households/${hh}` })).json();
    expect(household.monitoringStatus).toBe('monitored');

    const history = (await t.call(CADRE, { method: 'GET', url: `/api/processes/${encodeURIComponent(id)}/history` })).json();
    expect(history[0].kind).toBe('started');
    const steps = history.filter((e: any) => e.kind === 'step');
    expect(steps.map((e: any) => e.step)).toEqual(['homeVerification', 'villageReview', 'publicNotice', 'townReview', 'districtApproval']);
    expect(steps[3].actor.id).toBe(TOWN);
    expect(history.at(-1).kind).toBe('closed');

    // Closed: nothing more is accepted.
    expect((await step(SUPERVISOR, id, 'districtApproval', { decision: 'approve' })).statusCode).toBe(409);
  });

  it('lists cases and steps in the ra-data-simple-rest dialect, scoped to the caller, and refuses unknown keys', async () => {
    const hh = households[1].id;
    const { id } = (await t.call(CADRE, { method: 'POST', url: '/api/processes', payload: startBody(hh) })).json();
    let res = await t.call(CADRE, { method: 'GET', url: `/api/processes?filter=${encodeURIComponent(json({ status: 'running', householdId: hh }))}&range=[0,9]&sort=["startedAt","DESC"]` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-range']).toMatch(/^processes 0-0\/1$/);
    expect(res.json()[0].id).toBe(id);
    // The other village's cadre sees none of 荣光村's cases.
    res = await t.call(OTHER_CADRE, { method: 'GET', url: `/api/processes?filter=${encodeURIComponent(json({ village: '荣光村' }))}` });
    expect(res.headers['content-range']).toMatch(/\/0$/);
    res = await t.call(CADRE, { method: 'GET', url: `/api/processes?filter=${encodeURIComponent(json({ colour: 'red' }))}` });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details[0]).toMatchObject({ field: 'filter.colour', rule: 'unknown' });
    res = await t.call(CADRE, { method: 'GET', url: `/api/processes?sort=${encodeURIComponent(json(['secret', 'ASC']))}` });
    expect(res.statusCode).toBe(400);
    res = await t.call(CADRE, { method: 'GET', url: `/api/processes?range=[5,1]` });
    expect(res.statusCode).toBe(400);
    res = await t.call(CADRE, { method: 'GET', url: `/api/processes?filter=${encodeURIComponent(json({ status: 'sleeping' }))}` });
    expect(res.statusCode).toBe(400);

    // The inbox: open steps the caller may complete (once the worker has projected the first step).
    const inbox = () => t.call(CADRE2, { method: 'GET', url: `/api/steps?filter=${encodeURIComponent(json({ mine: true, status: 'open', processId: id }))}` });
    res = await eventually(inbox, (r) => r.json().length > 0);
    expect(res.json().map((s: any) => s.stepKey)).toEqual(['homeVerification']);
    res = await t.call(TOWN, { method: 'GET', url: `/api/steps?filter=${encodeURIComponent(json({ mine: true, status: 'open', processId: id }))}` });
    expect(res.json()).toEqual([]);

    // Home verification is due in 2 s under the test policy: it shows overdue, with days late.
    await sleep(2500);
    res = await t.call(SUPERVISOR, { method: 'GET', url: `/api/steps?filter=${encodeURIComponent(json({ overdue: true, processId: id }))}` });
    expect(res.headers['content-range']).toMatch(/\/1$/);
    expect(res.json()[0]).toMatchObject({ stepKey: 'homeVerification', status: 'open', overdueDays: 1 });
    res = await t.call(SUPERVISOR, { method: 'GET', url: '/api/steps/overdue/summary?groupBy=town' });
    expect(res.json().groups.find((g: any) => g.key === '统景镇').count).toBeGreaterThanOrEqual(1);
    expect((await t.call(SUPERVISOR, { method: 'GET', url: '/api/steps/overdue/summary?groupBy=colour' })).statusCode).toBe(400);
    res = await t.call(SUPERVISOR, { method: 'GET', url: `/api/processes?filter=${encodeURIComponent(json({ overdue: true, householdId: hh }))}` });
    expect(res.json().map((p: any) => p.id)).toEqual([id]);

    // Cancel: not for a cadre; a supervisor with a reason; then it is closed.
    expect((await t.call(CADRE, { method: 'POST', url: `/api/processes/${encodeURIComponent(id)}/cancel`, payload: { reason: '误录' } })).statusCode).toBe(403);
    res = await t.call(SUPERVISOR, { method: 'POST', url: `/api/processes/${encodeURIComponent(id)}/cancel`, payload: { reason: '误录' } });
    expect(res.statusCode).toBe(200);
    expect(res.json().state.status).toBe('cancelled');
    expect((await t.call(SUPERVISOR, { method: 'POST', url: `/api/processes/${encodeURIComponent(id)}/cancel`, payload: { reason: '再次' } })).statusCode).toBe(409);
    // A cancelled case frees the household for a new identification.
    expect((await t.call(CADRE, { method: 'POST', url: '/api/processes', payload: startBody(hh) })).statusCode).toBe(201);
  });

  it('answers 404 for a case this deployment does not know, even when Temporal has a workflow of that id', async () => {
    const id = `identification:HZZ${Date.now()}:1`;
    await t.client.workflow.start('identification', { workflowId: id, taskQueue: `nobody-${Date.now()}`, args: [{}] });
    try {
      const res = await t.call(SUPERVISOR, { method: 'GET', url: `/api/processes/${encodeURIComponent(id)}` });
      expect(res.statusCode).toBe(404);
      expect(res.json().error.message).toContain('不存在');
    } finally {
      await t.client.workflow.getHandle(id).terminate('test');
    }
  });

  it('refuses bad starts with the right status and starts nothing', async () => {
    const before = (await t.call(SUPERVISOR, { method: 'GET', url: '/api/processes' })).headers['content-range'];
    const cases: [string, unknown, number][] = [
      [CADRE, { type: 'nonsense', input: {} }, 404],
      [CADRE, { type: 'identification', input: { ...startBody(households[2].id).input, riskTypes: [] } }, 400],
      [CADRE, { type: 'identification', input: { ...startBody(households[2].id).input, channel: 'rumour' } }, 400],
      [CADRE, { type: 'identification', input: { ...startBody('H99999999').input } }, 404],
      [CADRE, { type: 'identification', input: { ...startBody(households[2].id).input, channel: 'department_alert' } }, 400],
      [CADRE, { type: 'identification' }, 400],
      ['yibao', { type: 'identification', input: startBody(households[2].id).input, extra: 1 }, 400],
    ];
    for (const [as, body, status] of cases) {
      const res = await t.call(as, { method: 'POST', url: '/api/processes', payload: body as object });
      expect(res.statusCode, JSON.stringify(body)).toBe(status);
      expect(res.json().error.message).toBeTruthy();
    }
    const foreign = (await householdsOf('吉星村'))[0].id;
    expect((await t.call(CADRE, { method: 'POST', url: '/api/processes', payload: startBody(foreign) })).statusCode).toBe(404);
    expect((await t.call(null, { method: 'POST', url: '/api/processes', payload: startBody(households[2].id) })).statusCode).toBe(401);
    expect((await t.call(SUPERVISOR, { method: 'GET', url: '/api/processes' })).headers['content-range']).toBe(before);
  });

  it('takes objections during the notice only, and a department alert joins or starts a case', async () => {
    const hh = households[2].id;
    const alert = { householdId: hh, department: '区医保局', reference: 'YB-2026-001', riskTypes: ['illness'], description: '年度自付医疗费用超过 2 万元' };
    let res = await t.call('yibao', { method: 'POST', url: '/api/alerts', payload: alert });
    expect(res.statusCode).toBe(201);
    const id = res.json().processId;
    expect(res.json().started).toBe(true);
    res = await t.call('yibao', { method: 'POST', url: '/api/alerts', payload: { ...alert, reference: 'YB-2026-002' } });
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({ processId: id, started: false });
    expect((await t.call(CADRE, { method: 'POST', url: '/api/alerts', payload: alert })).statusCode).toBe(403);
    // The alerting department sees the case it raised; another department does not.
    let list = await t.call('yibao', { method: 'GET', url: `/api/processes?filter=${encodeURIComponent(json({ householdId: hh }))}` });
    expect(list.json().map((p: any) => p.id)).toEqual([id]);
    list = await t.call('zhujian', { method: 'GET', url: `/api/processes?filter=${encodeURIComponent(json({ householdId: hh }))}` });
    expect(list.json()).toEqual([]);
    expect((await detail('zhujian', id)).statusCode).toBe(404);

    const objection = { raisedBy: '村民乙', content: '该户子女在城里工作收入稳定' };
    const signal = (as: string, body: unknown) => t.call(as, { method: 'POST', url: `/api/processes/${encodeURIComponent(id)}/signals/objection`, payload: body as object });
    expect((await signal(CADRE, objection)).statusCode).toBe(409); // not during the notice yet
    expect((await signal(CADRE, { content: 'x' })).statusCode).toBe(400);
    expect((await t.call(CADRE, { method: 'POST', url: `/api/processes/${encodeURIComponent(id)}/signals/teleport`, payload: {} })).statusCode).toBe(404);

    await step(CADRE, id, 'homeVerification', verification);
    await step(CADRE, id, 'villageReview', villageReview);
    res = await signal(CADRE, objection);
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({ accepted: true });
    let d = (await detail(TOWN, id)).json();
    for (let i = 0; i < 40 && !d.openSteps.some((s: any) => s.key === 'objectionReview'); i++) {
      await sleep(100);
      d = (await detail(TOWN, id)).json();
    }
    expect(d.openSteps.map((s: any) => s.key).sort()).toEqual(['objectionReview', 'publicNotice']);
    expect(d.state.data.alerts).toHaveLength(1);
    await sleep(2100);
    res = await step(CADRE, id, 'publicNotice', await noticeWithPhoto(t));
    expect(res.statusCode).toBe(422);
    expect(res.json().error.message).toContain('异议');
    res = await step(TOWN, id, 'objectionReview', { decision: 'dismiss', reasons: '子女已分户' });
    expect(res.json().state.stage).toBe('publicNotice');
    expect((await step(CADRE, id, 'publicNotice', await noticeWithPhoto(t))).json().state.stage).toBe('townReview');
  });

  it('answers a retried step with the same Idempotency-Key as the first time, taking effect once', async () => {
    const hh = households[3].id;
    const { id } = (await t.call(CADRE, { method: 'POST', url: '/api/processes', payload: startBody(hh), headers: { 'idempotency-key': `start-${hh}` } })).json();
    const again = await t.call(CADRE, { method: 'POST', url: '/api/processes', payload: startBody(hh), headers: { 'idempotency-key': `start-${hh}` } });
    expect(again.statusCode).toBe(201);
    expect(again.json().id).toBe(id);
    expect(again.headers['idempotent-replayed']).toBe('true');

    const first = await step(CADRE, id, 'homeVerification', verification, { 'idempotency-key': 'verify-1' });
    const retry = await step(CADRE, id, 'homeVerification', verification, { 'idempotency-key': 'verify-1' });
    expect(first.statusCode).toBe(200);
    expect(retry.statusCode).toBe(200);
    expect(retry.json()).toEqual(first.json());
    const d = (await detail(CADRE, id)).json();
    expect(d.state.steps.filter((s: any) => s.key === 'homeVerification')).toHaveLength(1);
    const reused = await step(CADRE, id, 'villageReview', villageReview, { 'idempotency-key': 'verify-1' });
    expect(reused.statusCode).toBe(422);
  });
});

describe('the public notice and its minimum', () => {
  // The short test policy with a notice minimum of 20 s instead of 2 s: the early attempt below comes
  // well inside it however loaded the machine (2 s could pass before the request was evaluated).
  const MINIMUM = 'PT20S';
  let dir: string;
  let app: TestApp;
  beforeAll(async () => {
    const long = readFileSync(policyFile, 'utf8').replace(/^(identification:\n(?:.*\n)*?  noticeMinimum: )PT2S$/m, `$1${MINIMUM}`);
    dir = mkdtempSync(join(tmpdir(), 'fangfan-policy-'));
    const file = join(dir, 'policy-long-notice.yaml');
    writeFileSync(file, long);
    expect(loadPolicy(file).identification.noticeMinimum).toBe(MINIMUM);
    app = await startTestApp({ policyFile: file });
  });
  afterAll(async () => {
    await app?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('cannot close before its minimum (422 naming the rule); after the minimum it can', async () => {
    const call = (as: string, id: string, key: string, body: unknown) => app.call(as, { method: 'POST', url: `/api/processes/${encodeURIComponent(id)}/steps/${key}`, payload: body as object });
    const [hh] = (await app.call('admin', { method: 'GET', url: `/api/households?filter=${encodeURIComponent(json({ village: '荣光村' }))}&range=[0,0]` })).json();
    const started = await app.call(CADRE, { method: 'POST', url: '/api/processes', payload: startBody(hh.id) });
    expect(started.statusCode).toBe(201);
    const { id } = started.json();
    expect((await call(CADRE, id, 'homeVerification', verification)).statusCode).toBe(200);
    let res = await call(CADRE2, id, 'villageReview', villageReview);
    expect(res.json().state.stage).toBe('publicNotice');
    const { state } = res.json();

    res = await call(CADRE, id, 'publicNotice', await noticeWithPhoto(app));
    expect(res.statusCode).toBe(422);
    expect(res.json().error.message).toContain('公示期不少于');
    expect(res.json().error.message).toContain(MINIMUM);
    // Refused: the notice is still up and the case did not move.
    const d = (await app.call(CADRE, { method: 'GET', url: `/api/processes/${encodeURIComponent(id)}` })).json();
    expect(d.stage).toBe('publicNotice');
    expect(d.openSteps.map((s: any) => s.key)).toEqual(['publicNotice']);

    await untilNoticeMayEnd(state);
    res = await call(CADRE, id, 'publicNotice', await noticeWithPhoto(app));
    expect(res.statusCode).toBe(200);
    expect(res.json().state.stage).toBe('townReview');
  });
});

describe('dates a cadre or the district records', () => {
  it('refuses a notice posted before it opened and a decision effective in the future or before the case (422 naming the field and rule)', async () => {
    const em = t.db.em();
    const hh = `H8${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;
    em.create(Household, { id: hh, headName: `日期户${hh.slice(-3)}`, idNumber: `T${hh}`, town: '统景镇', village: '荣光村', memberCount: 3 });
    await em.flush();
    const started = await t.call(CADRE, { method: 'POST', url: '/api/processes', payload: startBody(hh) });
    expect(started.statusCode).toBe(201);
    const { id } = started.json();
    expect((await step(CADRE, id, 'homeVerification', { ...verification, verifiedOn: today() })).statusCode).toBe(200);
    let res = await step(CADRE2, id, 'villageReview', { ...villageReview, heldOn: today() });
    await untilNoticeMayEnd(res.json().state);

    const yesterday = new Date(Date.now() + 8 * 3600_000 - 86_400_000).toISOString().slice(0, 10);
    const tomorrow = new Date(Date.now() + 8 * 3600_000 + 86_400_000).toISOString().slice(0, 10);
    const withPhoto = await noticeWithPhoto(t);
    res = await step(CADRE, id, 'publicNotice', { ...withPhoto, postedOn: yesterday });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.details).toEqual([expect.objectContaining({ field: 'postedOn', rule: 'notBeforeOpened' })]);
    res = await step(CADRE, id, 'publicNotice', { ...withPhoto, endedOn: tomorrow });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.details).toEqual([expect.objectContaining({ field: 'endedOn', rule: 'notFuture' })]);
    expect((await step(CADRE, id, 'publicNotice', withPhoto)).statusCode).toBe(200);
    expect((await step(TOWN, id, 'townReview', { decision: 'approve' })).statusCode).toBe(200);

    res = await step(SUPERVISOR, id, 'districtApproval', { decision: 'approve', effectiveOn: tomorrow });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.details).toEqual([expect.objectContaining({ field: 'effectiveOn', rule: 'notFuture' })]);
    // The audit's case: started today, approved "effective 2025-01-02".
    res = await step(SUPERVISOR, id, 'districtApproval', { decision: 'approve', effectiveOn: '2025-01-02' });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.details).toEqual([expect.objectContaining({ field: 'effectiveOn', rule: 'notBeforeStart' })]);
    expect(res.json().error.message).toContain('生效日期不能早于');
    res = await step(SUPERVISOR, id, 'districtApproval', { decision: 'approve', effectiveOn: today() });
    expect(res.statusCode).toBe(200);
    expect(res.json().state.data.includedOn).toBe(today());
  });
});
