/**
 * P3 over HTTP against the real dev server: the medical insurance settlement system posts settlements
 * with an API key (scope `settlement`) and an Idempotency-Key. Duplicates take effect once, amounts
 * must add up, other keys are refused, settlements accumulate per household and year until a relief
 * case starts (signal-with-start), later ones join it, and departments act only on their own steps.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { randomUUID } from 'node:crypto';
import { startTestApp, type TestApp } from '../helpers/app';
import { Household, MedicalSettlement, OpenCase } from '../../db';
import { reliefThreshold, type IllnessReliefInput } from '../../processes/illness-relief/contract';

const policyFile = fileURLToPath(new URL('../fixtures/policy-short.yaml', import.meta.url));
let t: TestApp;
let settlementKey: string;
let alertKey: string;
/** The settlement system: its key holds the `settlement` scope. */
const bySystem = { key: '' };

const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
const year = Number(today.slice(0, 4));
const run = randomUUID().slice(0, 6).toUpperCase();
let seq = 0;

beforeAll(async () => {
  t = await startTestApp({ policyFile });
  const make = async (name: string, scopes: string[]) => {
    const res = await t.call('admin', { method: 'POST', url: '/api/api-keys', payload: { name, scopes } });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().key as string;
  };
  settlementKey = await make('区医保结算系统', ['settlement']);
  alertKey = await make('区民政局预警系统', ['alert']);
  bySystem.key = settlementKey;
});
afterAll(async () => t?.close());

async function household(facts: { status: 'ordinary' | 'out_of_poverty'; monitoringStatus?: 'none' | 'monitored' }): Promise<string> {
  const id = `HS${run}${++seq}`;
  const em = t.db.em();
  em.create(Household, { id, headName: `结算户${seq}`, idNumber: `TEST-${id}`, town: '统景镇', village: '荣光村', memberCount: 3, monitoringStatus: 'none', ...facts });
  await em.flush();
  return id;
}

/** A settlement whose out-of-pocket part is `outOfPocket` (the rest paid by the three layers). */
const settlement = (householdId: string, outOfPocket: number, over: Record<string, unknown> = {}) => ({
  householdId,
  patient: { name: '王某', relation: '配偶' },
  disease: '慢性肾衰竭（透析）',
  settlementDate: today,
  totalCost: Math.round((outOfPocket + 20000) * 100) / 100,
  paidByBasicInsurance: 12000,
  paidByCriticalIllnessInsurance: 5000,
  paidByMedicalAssistance: 3000,
  outOfPocket,
  ...over,
});

const post = (auth: { key?: string; user?: string }, body: object, idempotencyKey?: string) => {
  const headers: Record<string, string> = {};
  if (idempotencyKey) headers['idempotency-key'] = idempotencyKey;
  if (auth.key) headers.authorization = `Bearer ${auth.key}`;
  return t.call(auth.user ?? null, { method: 'POST', url: '/api/integrations/medical-settlements', payload: body, headers });
};

const recorded = (householdId: string) => t.db.em().count(MedicalSettlement, { householdId });
const detail = (as: string, id: string) => t.call(as, { method: 'GET', url: `/api/processes/${encodeURIComponent(id)}` });

async function eventually<T>(read: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
  let v = await read();
  for (let i = 0; i < 50 && !ok(v); i++) {
    await new Promise((r) => setTimeout(r, 100));
    v = await read();
  }
  return v;
}

describe('P3 medical insurance settlements over HTTP', () => {
  it('takes a duplicate delivery with the same Idempotency-Key once, and the same settlement id once under any key', async () => {
    const hh = await household({ status: 'out_of_poverty' });
    const body = settlement(hh, 4000, { eventId: `YB-${hh}-1` });
    const first = await post(bySystem, body, `${hh}-k1`);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({ recorded: true, duplicate: false, caseStarted: false, yearlyOutOfPocket: 4000, year });
    const again = await post(bySystem, body, `${hh}-k1`);
    expect(again.statusCode).toBe(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json()).toEqual(first.json());
    // The settlement system retried under a new key: the settlement id keeps it from counting twice.
    const retried = await post(bySystem, body, `${hh}-k2`);
    expect(retried.statusCode).toBe(200);
    expect(retried.json()).toMatchObject({ duplicate: true, yearlyOutOfPocket: 4000 });
    expect(await recorded(hh)).toBe(1);
    // The same settlement id with other amounts is a conflict; the same key for another body is refused.
    expect((await post(bySystem, { ...body, outOfPocket: 4500, totalCost: 24500 }, `${hh}-k3`)).statusCode).toBe(409);
    expect((await post(bySystem, settlement(hh, 100), `${hh}-k1`)).statusCode).toBe(422);
    expect(await recorded(hh)).toBe(1);
  });

  it('refuses amounts that do not add up (400 naming the fields), more than two decimals, and a delivery without a key or id; nothing is recorded', async () => {
    const hh = await household({ status: 'out_of_poverty' });
    let res = await post(bySystem, settlement(hh, 4000, { totalCost: 24000.01 }), `${hh}-sum`);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toContain('不等于基本医保、大病保险、医疗救助与个人自付之和');
    expect(res.json().error.details.map((d: { field: string }) => d.field).sort()).toEqual(
      ['outOfPocket', 'paidByBasicInsurance', 'paidByCriticalIllnessInsurance', 'paidByMedicalAssistance', 'totalCost'].sort(),
    );
    res = await post(bySystem, settlement(hh, 4000.005, { totalCost: 24000.005 }), `${hh}-dec`);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details.map((d: { field: string }) => d.field).sort()).toEqual(['outOfPocket', 'totalCost']);
    res = await post(bySystem, settlement(hh, -1, { totalCost: 19999 }), `${hh}-neg`);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details[0]).toMatchObject({ field: 'outOfPocket', rule: 'minimum' });
    res = await post(bySystem, { ...settlement(hh, 4000), bankAccount: '6222' }, `${hh}-extra`);
    expect(res.statusCode).toBe(400);
    res = await post(bySystem, settlement(hh, 4000));
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details[0].field).toBe('Idempotency-Key');
    expect(await recorded(hh)).toBe(0);
  });

  it('answers 403 to a key without the settlement scope and to every user, admins too, 401 without credentials', async () => {
    const hh = await household({ status: 'out_of_poverty' });
    const body = settlement(hh, 20000);
    expect((await post({ key: alertKey }, body, `${hh}-a`)).statusCode).toBe(403);
    expect((await post({ user: 'yibao' }, body, `${hh}-b`)).statusCode).toBe(403);
    expect((await post({ user: 'supervisor' }, body, `${hh}-c`)).statusCode).toBe(403);
    expect((await post({ user: 'admin' }, body, `${hh}-e`)).statusCode).toBe(403);
    expect((await post({}, body, `${hh}-d`)).statusCode).toBe(401);
    expect(await recorded(hh)).toBe(0);
  });

  it('answers 404 for an unknown household, records nothing and keeps it as a dead letter the admin replays once the household is registered', async () => {
    const before = await t.db.em().count(MedicalSettlement, {});
    const hh = `HNOBODY${run}`;
    const res = await post(bySystem, settlement(hh, 50000), `nobody-${run}`);
    expect(res.statusCode).toBe(404);
    expect(res.json().error.message).toContain('结算未登记');
    const letterId = res.json().error.deadLetterId;
    expect(letterId).toBeTruthy();
    expect(await t.db.em().count(MedicalSettlement, {})).toBe(before);
    // The retry under the same key gets the same answer, naming the same letter.
    expect((await post(bySystem, settlement(hh, 50000), `nobody-${run}`)).json().error.deadLetterId).toBe(letterId);
    const letter = (await t.call('admin', { method: 'GET', url: `/api/dead-letters/${letterId}` })).json();
    expect(letter).toMatchObject({ endpoint: 'POST /integrations/medical-settlements', status: 404, delivered: false });

    // Registered later: the replay records it and starts the relief case.
    const em = t.db.em();
    em.create(Household, { id: hh, headName: '补录户', idNumber: `TEST-${hh}`, town: '统景镇', village: '荣光村', memberCount: 3, status: 'out_of_poverty', monitoringStatus: 'none' });
    await em.flush();
    const replayed = await t.call('admin', { method: 'POST', url: `/api/dead-letters/${letterId}/replay` });
    expect(replayed.statusCode, replayed.body).toBe(200);
    expect(await recorded(hh)).toBe(1);
    const started = (await t.db.em().findOneOrFail(MedicalSettlement, { householdId: hh })).processId;
    expect(started).toBe(`illnessRelief:${hh}:${year}`);
    expect((await t.call('supervisor', { method: 'POST', url: `/api/processes/${encodeURIComponent(started!)}/cancel`, payload: { reason: '测试结束' } })).statusCode).toBe(200);
  });

  it('refuses a settlement dated in the future (400 naming settlementDate), from the system and in an application', async () => {
    const hh = await household({ status: 'out_of_poverty' });
    const tomorrow = new Date(Date.now() + 8 * 3600_000 + 86_400_000).toISOString().slice(0, 10);
    const res = await post(bySystem, settlement(hh, 50000, { settlementDate: tomorrow }), `${hh}-future`);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details).toEqual([expect.objectContaining({ field: 'settlementDate', rule: 'notFuture' })]);
    expect(await recorded(hh)).toBe(0);
    const apply = await t.call('town.tongjing', { method: 'POST', url: '/api/processes', payload: { type: 'illnessRelief', input: { ...settlement(hh, 100, { settlementDate: tomorrow }), description: '申请' } } });
    expect(apply.statusCode).toBe(400);
    expect(apply.json().error.details).toEqual([expect.objectContaining({ field: 'input.settlementDate', rule: 'notFuture' })]);
  });

  it('records a settlement of a household outside 脱贫户 and 监测户 and says why no case started', async () => {
    const hh = await household({ status: 'ordinary' });
    const res = await post(bySystem, settlement(hh, 30000), `${hh}-1`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ recorded: true, caseStarted: false, yearlyOutOfPocket: 30000 });
    expect(res.json().reason).toContain('脱贫户和监测户');
    expect(await recorded(hh)).toBe(1);
  });

  it('uses half the yearly income from the latest home verification as the threshold when it is lower than the fixed sum', async () => {
    const hh = await household({ status: 'out_of_poverty' });
    const started = await t.call('cadre.rongguang', {
      method: 'POST',
      url: '/api/processes',
      payload: { type: 'identification', input: { householdId: hh, channel: 'cadre_check', category: 'unstable', riskTypes: ['illness'], description: '户主患病' } },
    });
    expect(started.statusCode).toBe(201);
    const verification = {
      verifiedOn: today,
      coVerifierId: 'cadre.rongguang2',
      memberCount: 4,
      perCapitaIncome: 3000,
      guarantees: { foodClothing: 'secure', education: 'secure', medical: 'at_risk', housing: 'secure', water: 'secure' },
      findings: '住院费用高',
    };
    const verified = await t.call('cadre.rongguang', { method: 'POST', url: `/api/processes/${encodeURIComponent(started.json().id)}/steps/homeVerification`, payload: verification });
    expect(verified.statusCode, verified.body).toBe(200);
    // Income 4 × 3,000 = 12,000 a year: half of it (6,000) is below the fixed 10,000, so 7,000 out of pocket passes.
    const res = await post(bySystem, settlement(hh, 7000), `${hh}-income`);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().threshold).toMatchObject({ amount: 6000, basis: 'income', income: { yearly: 12000, perCapitaIncome: 3000, memberCount: 4, processId: started.json().id } });
  });

  it('takes a case handler\'s application for a 监测户 (one case per household and year), refuses it for other households', async () => {
    const monitored = await household({ status: 'ordinary', monitoringStatus: 'monitored' });
    const apply = (as: string, hh: string, over: Record<string, unknown> = {}) =>
      t.call(as, { method: 'POST', url: '/api/processes', payload: { type: 'illnessRelief', input: { ...settlement(hh, 2500), description: '异地就医自付费用较高，申请救助', ...over } } });
    expect((await apply('town.tongjing', monitored, { totalCost: 1 })).statusCode).toBe(400);
    expect((await apply('cadre.jixing', monitored)).statusCode).toBe(404);
    const res = await apply('town.tongjing', monitored);
    expect(res.statusCode, res.body).toBe(201);
    const processId = `illnessRelief:${monitored}:${year}`;
    expect(res.json().id).toBe(processId);
    const d = (await detail('yibao', processId)).json();
    expect(d.openSteps.map((s: { key: string }) => s.key)).toEqual(['expenseVerification']);
    expect(d.state.data.settlements).toEqual([expect.objectContaining({ source: 'application', outOfPocket: 2500 })]);
    expect(d.state.data.application.description).toContain('异地就医');
    const ordinary = await household({ status: 'ordinary' });
    const refused = await apply('town.tongjing', ordinary);
    expect(refused.statusCode).toBe(422);
    expect(refused.json().error.message).toContain('脱贫户和监测户');
  });

  it('starts the year\'s relief case when settlements accumulate past the threshold; later ones join it; departments act on their own steps', async () => {
    const hh = await household({ status: 'out_of_poverty' });
    // 6,000 alone stays under the 10,000 threshold of the policy.
    let res = await post(bySystem, settlement(hh, 6000, { eventId: `YB-${hh}-1` }), `${hh}-1`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ caseStarted: false, yearlyOutOfPocket: 6000, threshold: { amount: 10000, basis: 'fixed' } });
    expect(res.json().reason).toContain('未超过救助标准');
    // Another 5,000.50 in the same year passes it: the case starts with both settlements.
    res = await post(bySystem, settlement(hh, 5000.5, { eventId: `YB-${hh}-2`, settlementDate: `${year}-01-01` }), `${hh}-2`);
    expect(res.statusCode, res.body).toBe(201);
    const processId = `illnessRelief:${hh}:${year}`;
    expect(res.json()).toMatchObject({ recorded: true, caseStarted: true, processId, yearlyOutOfPocket: 11000.5 });

    let d = (await detail('yibao', processId)).json();
    expect(d.status).toBe('running');
    expect(d.openSteps.map((s: { key: string }) => s.key)).toEqual(['expenseVerification']);
    expect(d.openSteps[0].mayComplete).toBe(true);
    expect(d.state.data.settlements.map((s: { eventId: string }) => s.eventId)).toEqual([`YB-${hh}-1`, `YB-${hh}-2`]);
    expect(d.state.data.totals.outOfPocket).toBe(11000.5);

    // A third settlement of the year joins the open case (202); its redelivery does not count again.
    res = await post(bySystem, settlement(hh, 800, { eventId: `YB-${hh}-3` }), `${hh}-3`);
    expect(res.statusCode).toBe(202);
    expect(res.json()).toMatchObject({ caseStarted: false, processId, yearlyOutOfPocket: 11800.5 });
    expect((await post(bySystem, settlement(hh, 800, { eventId: `YB-${hh}-3` }), `${hh}-3-retry`)).json()).toMatchObject({ duplicate: true, yearlyOutOfPocket: 11800.5 });
    d = await eventually(async () => (await detail('yibao', processId)).json(), (x) => x.state.data.settlements.length === 3);
    expect(d.state.data.settlements).toHaveLength(3);
    expect(d.state.data.totals.outOfPocket).toBe(11800.5);
    // The joined settlement is in the case's history by its name (医保结算信息), never as the wire name of its message.
    const history = (await t.call('yibao', { method: 'GET', url: `/api/processes/${encodeURIComponent(processId)}/history` })).json() as { kind: string; summary: string }[];
    const signals = history.filter((e) => e.kind === 'signal');
    expect(signals.length).toBeGreaterThan(0);
    for (const e of signals) expect(e.summary).toBe('医保结算信息');
    // Each settlement the case took is marked as its own, the ones it started with too.
    expect((await t.db.em().find(MedicalSettlement, { householdId: hh })).map((s) => s.processId)).toEqual([processId, processId, processId]);

    // One open case per household: an application for it is a 409 naming the open case.
    const apply = await t.call('town.tongjing', {
      method: 'POST',
      url: '/api/processes',
      payload: { type: 'illnessRelief', input: { ...settlement(hh, 100), description: '申请大病救助' } },
    });
    expect(apply.statusCode).toBe(409);
    expect(apply.json().error.id).toBe(processId);

    // Only 区医保局 verifies the expenses; the health commission, not involved yet, neither finds it in its inbox nor completes it (to it the case is unknown).
    const inbox = async (as: string) =>
      (await t.call(as, { method: 'GET', url: `/api/steps?filter=${encodeURIComponent(JSON.stringify({ mine: true, status: 'open', processId }))}` })).json();
    expect((await inbox('yibao')).map((s: { stepKey: string }) => s.stepKey)).toEqual(['expenseVerification']);
    expect(await inbox('weijian')).toEqual([]);
    const verify = { decision: 'confirm', basicInsuranceApplied: true, criticalIllnessInsuranceApplied: true, medicalAssistanceApplied: true, verifiedOutOfPocket: 11800.5 };
    const step = (as: string, key: string, body: object) => t.call(as, { method: 'POST', url: `/api/processes/${encodeURIComponent(processId)}/steps/${key}`, payload: body });
    expect((await step('weijian', 'expenseVerification', verify)).statusCode).toBe(404);
    // Over the settlements' total: the workflow's rule answers 422 and nothing changes.
    expect((await step('yibao', 'expenseVerification', { ...verify, verifiedOutOfPocket: 20000 })).statusCode).toBe(422);
    res = await step('yibao', 'expenseVerification', verify);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().state.stage).toBe('impactAssessment');
    expect((await inbox('town.tongjing')).map((s: { stepKey: string }) => s.stepKey)).toEqual(['impactAssessment']);
    const cancel = await t.call('supervisor', { method: 'POST', url: `/api/processes/${encodeURIComponent(processId)}/cancel`, payload: { reason: '测试结束' } });
    expect(cancel.statusCode).toBe(200);
  });

  it('a running case started per household and year (before one open case per household) keeps its id: the year\'s settlements join it, an application is 409', async () => {
    const hh = await household({ status: 'out_of_poverty' });
    const processId = `illnessRelief:${hh}:${year}`;
    const policy = t.services.policy();
    // As such a case was started: its guard per household and year, its input without a subject.
    const em = t.db.em();
    em.create(OpenCase, { type: 'illnessRelief', subject: `${hh}:${year}`, processId, createdAt: new Date() });
    await em.flush();
    const input: IllnessReliefInput = {
      processId,
      year,
      household: { id: hh, headName: `结算户${seq}`, town: '统景镇', village: '荣光村', status: 'out_of_poverty', monitoringStatus: 'none' },
      groups: ['out_of_poverty'],
      threshold: reliefThreshold(policy.illnessRelief.threshold),
      settlements: [],
      startedBy: { id: 'system', name: '系统' },
      policy: policy.illnessRelief,
      policyVersion: 'legacy',
    };
    await t.client.workflow.start('illnessRelief', { workflowId: processId, taskQueue: t.taskQueue, args: [input] });
    expect((await eventually(() => detail('yibao', processId), (r) => r.statusCode === 200)).json().status).toBe('running');

    const res = await post(bySystem, settlement(hh, 500, { eventId: `YB-${hh}-legacy` }), `${hh}-legacy`);
    expect(res.statusCode, res.body).toBe(202);
    expect(res.json().processId).toBe(processId);
    const apply = await t.call('town.tongjing', { method: 'POST', url: '/api/processes', payload: { type: 'illnessRelief', input: { ...settlement(hh, 100), description: '申请大病救助' } } });
    expect(apply.statusCode).toBe(409);
    expect(apply.json().error.id).toBe(processId);
    expect((await t.call('supervisor', { method: 'POST', url: `/api/processes/${encodeURIComponent(processId)}/cancel`, payload: { reason: '测试结束' } })).statusCode).toBe(200);
  });

  it('a second illness in the same year, after the first case closed, starts a case of its own (一事一议); the open one takes the rest', async () => {
    const hh = await household({ status: 'out_of_poverty' });
    let res = await post(bySystem, settlement(hh, 12000, { eventId: `YB-${hh}-a` }), `${hh}-a`);
    expect(res.statusCode, res.body).toBe(201);
    const first = `illnessRelief:${hh}:${year}`;
    expect(res.json().processId).toBe(first);
    const cancel = await t.call('supervisor', { method: 'POST', url: `/api/processes/${encodeURIComponent(first)}/cancel`, payload: { reason: '已救助，本案办结' } });
    expect(cancel.statusCode).toBe(200);

    // A new matter: counted on its own (the first case's 12,000 was relieved there), under the threshold at first …
    res = await post(bySystem, settlement(hh, 4000, { eventId: `YB-${hh}-b`, disease: '股骨骨折' }), `${hh}-b`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ caseStarted: false, yearlyOutOfPocket: 16000 });
    expect(res.json().reason).toContain('本年尚未救助的个人自付 4,000.00 元');
    // … then past it: the year's second case, with this matter's settlements only.
    res = await post(bySystem, settlement(hh, 7000, { eventId: `YB-${hh}-c`, disease: '股骨骨折' }), `${hh}-c`);
    expect(res.statusCode, res.body).toBe(201);
    const second = `illnessRelief:${hh}:${year}-2`;
    expect(res.json()).toMatchObject({ caseStarted: true, processId: second, yearlyOutOfPocket: 23000 });
    const d = (await detail('yibao', second)).json();
    expect(d.status).toBe('running');
    expect(d.state.data.settlements.map((s: { eventId: string }) => s.eventId)).toEqual([`YB-${hh}-b`, `YB-${hh}-c`]);
    expect(d.state.data.totals.outOfPocket).toBe(11000);
    // The closed first case keeps its id and answers as before.
    expect((await detail('yibao', first)).json().status).toBe('cancelled');
    // While the second is open, an application is a 409 naming it.
    const apply = await t.call('town.tongjing', { method: 'POST', url: '/api/processes', payload: { type: 'illnessRelief', input: { ...settlement(hh, 100), description: '申请大病救助' } } });
    expect(apply.statusCode).toBe(409);
    expect(apply.json().error.id).toBe(second);
    expect((await t.call('supervisor', { method: 'POST', url: `/api/processes/${encodeURIComponent(second)}/cancel`, payload: { reason: '测试结束' } })).statusCode).toBe(200);
  });
});
