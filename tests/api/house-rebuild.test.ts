/**
 * P4 over HTTP against the real dev server (short test policy): start, refusals (400 naming fields,
 * 401, 403 out of area, 404, 409 duplicate, 422 rules), every step by the role that owns it, progress
 * reports, the housing history in the household register and the re-eligibility it decides, and a
 * start by the housing system (an integration actor scoped `start:houseRebuild`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { startTestApp, type TestApp } from '../helpers/app';
import { photoId } from '../helpers/evidence';
import { startProcess } from '../../server/processes/start';
import { Refusal } from '../../server/commands/refusal';
import type { Actor } from '../../contracts/roles';

const policyFile = fileURLToPath(new URL('../fixtures/policy-short.yaml', import.meta.url));
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ policyFile });
});
afterAll(async () => t?.close());

const CADRE = 'cadre.rongguang';
const OTHER_CADRE = 'cadre.jixing';
const TOWN = 'town.tongjing';
const ZHUJIAN = 'zhujian';
const FINANCE = 'caizheng';
const SUPERVISOR = 'supervisor';
// Demo households of 统景镇荣光村: H00000002 脱贫户 + 低保户, H00000003 一般农户 (no low-income group), H00000004 特困人员.
const DIBAO = 'H00000002';
const ORDINARY = 'H00000003';
const TEKUN = 'H00000004';
const H_OUT_OF_POVERTY = 'H00000001';

const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
const input = (householdId: string, extra: Record<string, unknown> = {}) => ({ householdId, description: '墙体开裂，屋面漏雨', onlyHouse: true, attachments: ['photos/a.jpg'], ...extra });
const start = (as: string | null, householdId: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
  t.call(as, { method: 'POST', url: '/api/processes', payload: { type: 'houseRebuild', input: input(householdId, extra) }, headers });
const step = (as: string, id: string, key: string, body: unknown) =>
  t.call(as, { method: 'POST', url: `/api/processes/${encodeURIComponent(id)}/steps/${key}`, payload: body as object });
const signal = (as: string, id: string, body: unknown) =>
  t.call(as, { method: 'POST', url: `/api/processes/${encodeURIComponent(id)}/signals/progressReport`, payload: body as object });
const detail = (as: string, id: string) => t.call(as, { method: 'GET', url: `/api/processes/${encodeURIComponent(id)}` });
const household = async (as: string, id: string) => (await t.call(as, { method: 'GET', url: `/api/households/${id}` })).json();
const cancel = (id: string) => t.call(SUPERVISOR, { method: 'POST', url: `/api/processes/${encodeURIComponent(id)}/cancel`, payload: { reason: '测试结束' } });

const eligible = { decision: 'eligible', checkedOn: today };
const appraisalC = { grade: 'C', appraiser: '区房屋安全鉴定站 张工', appraisedOn: today, reportNo: 'JD-001' };
const progress = { reportedOn: today, percent: 50, description: '承重墙加固过半', attachments: ['site/1.jpg'] };
const passed = { result: 'pass', inspectedOn: today, inspectors: '区住房城乡建委 李工' };

describe('P4 dilapidated-house rebuilding over HTTP', () => {
  it('runs a C case step by step, each by its role, and keeps the housing history that decides re-eligibility', async () => {
    let res = await start(CADRE, DIBAO);
    expect(res.statusCode).toBe(201);
    const { id, type } = res.json();
    expect(type).toBe('houseRebuild');
    const dup = await start(TOWN, DIBAO);
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.id).toBe(id);

    let d = (await detail(CADRE, id)).json();
    expect(d.openSteps.map((s: any) => [s.key, s.mayComplete])).toEqual([['eligibility', false]]);
    expect(d.state.data.facts).toEqual({ lowIncome: ['out_of_poverty', 'subsistence_allowance'], onlyHouse: true });
    // The housing department sees the case from the start; to another department it is unknown.
    expect((await detail(ZHUJIAN, id)).statusCode).toBe(200);
    expect((await detail('yibao', id)).statusCode).toBe(404);

    expect((await step(CADRE, id, 'eligibility', eligible)).statusCode).toBe(403);
    res = await step(TOWN, id, 'eligibility', { ...eligible, decision: 'maybe' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details[0].field).toBe('decision');
    res = await step(TOWN, id, 'eligibility', eligible);
    expect(res.statusCode).toBe(200);
    expect(res.json().state.stage).toBe('appraisal');

    expect((await step(TOWN, id, 'appraisal', appraisalC)).statusCode).toBe(403);
    res = await step(ZHUJIAN, id, 'appraisal', { ...appraisalC, grade: 'E' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details[0].field).toBe('grade');
    res = await step(ZHUJIAN, id, 'appraisal', appraisalC);
    expect(res.json().state.stage).toBe('plan');
    let hh = await household(CADRE, DIBAO);
    expect(hh.housingHistory).toEqual({
      status: 'grade_c',
      appraisals: [{ processId: id, grade: 'C', appraisedOn: today, appraiser: '区房屋安全鉴定站 张工', reportNo: 'JD-001' }],
      renovations: [],
    });

    // Progress reports only while the works are under way.
    expect((await signal(CADRE, id, progress)).statusCode).toBe(409);
    res = await step(TOWN, id, 'plan', { summary: '加固承重墙，更换屋面' });
    expect(res.json().state.stage).toBe('constructionStart');
    res = await step(CADRE, id, 'constructionStart', { startedOn: today });
    expect(res.json().state.stage).toBe('construction');
    expect((await signal(CADRE, id, { ...progress, percent: 150 })).statusCode).toBe(400);
    expect((await signal(OTHER_CADRE, id, progress)).statusCode).toBe(404);
    res = await signal(CADRE, id, progress);
    expect(res.statusCode).toBe(202);

    res = await step(CADRE, id, 'reinforcement', { finishedOn: today, summary: '加固完成' });
    expect(res.json().state.stage).toBe('acceptance');
    expect(res.json().state.data.progress.map((p: any) => p.percent)).toEqual([50]);
    // Site photos are required evidence of an acceptance (contracts/evidence.ts): without them, 422 naming the field.
    res = await step(ZHUJIAN, id, 'acceptance', passed);
    expect(res.statusCode).toBe(422);
    expect(res.json().error.details[0]).toMatchObject({ field: 'sitePhotos', rule: 'requiredEvidence' });
    const sitePhotos = [await photoId(t, ZHUJIAN)];
    res = await step(ZHUJIAN, id, 'acceptance', { ...passed, sitePhotos, result: 'fail' });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.message).toContain('存在的问题');
    res = await step(ZHUJIAN, id, 'acceptance', { ...passed, sitePhotos, result: 'fail', defects: ['屋面防水未做'] });
    expect(res.json().state.stage).toBe('construction');
    res = await step(CADRE, id, 'reinforcement', { finishedOn: today, summary: '屋面防水已完成' });
    res = await step(ZHUJIAN, id, 'acceptance', { ...passed, sitePhotos });
    expect(res.json().state.stage).toBe('payment');

    // 区财政局 pays the grade's amount from the policy, with a voucher (its number, and the voucher itself as evidence).
    expect((await step(ZHUJIAN, id, 'payment', { amount: 7500, voucherNo: 'YKT-1', paidOn: today })).statusCode).toBe(403);
    res = await step(FINANCE, id, 'payment', { amount: 7500, voucherNo: 'YKT-1', paidOn: today });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.details[0]).toMatchObject({ field: 'voucher', rule: 'requiredEvidence' });
    expect(res.json().error.message).toContain('补助资金发放凭证');
    const voucher = [await photoId(t, FINANCE)];
    res = await step(FINANCE, id, 'payment', { amount: 5000, voucherNo: 'YKT-1', voucher, paidOn: today });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.message).toContain('7,500.00 元');
    res = await step(FINANCE, id, 'payment', { amount: 7500, voucherNo: 'YKT-1', voucher, paidOn: today });
    expect(res.statusCode).toBe(200);
    expect(res.json().state.status).toBe('completed');
    expect(res.json().state.data.result).toBe('reinforced');

    hh = await household(CADRE, DIBAO);
    expect(hh.housingHistory.status).toBe('safe');
    expect(hh.housingHistory.renovations).toEqual([
      { processId: id, year: Number(today.slice(0, 4)), grade: 'C', method: 'reinforcement', completedOn: today, subsidy: 7500, voucherNo: 'YKT-1' },
    ]);
    expect(hh.cases.find((c: any) => c.id === id).status).toBe('completed');
    // Department officers read the register too.
    expect((await household(ZHUJIAN, DIBAO)).housingHistory.renovations).toHaveLength(1);

    // Renovated before (known from the history): eligible again only after a natural disaster (item 22).
    res = await start(CADRE, DIBAO);
    expect(res.statusCode).toBe(201);
    const again = res.json().id;
    expect((await detail(TOWN, again)).json().state.data.facts.earlierRenovation).toEqual({ year: Number(today.slice(0, 4)), source: 'register' });
    res = await step(TOWN, again, 'eligibility', eligible);
    expect(res.statusCode).toBe(422);
    expect(res.json().error.message).toContain('第22项');
    res = await step(TOWN, again, 'eligibility', { ...eligible, decision: 'ineligible', reasons: '已改造，本次系使用不当' });
    expect(res.json().state.status).toBe('rejected');

    res = await start(CADRE, DIBAO, { earlierRenovation: { year: Number(today.slice(0, 4)), dangerCause: 'natural_disaster' } });
    expect(res.statusCode).toBe(201);
    const disaster = res.json().id;
    res = await step(TOWN, disaster, 'eligibility', eligible);
    expect(res.statusCode).toBe(200);
    expect(res.json().state.stage).toBe('appraisal');
    expect((await cancel(disaster)).statusCode).toBe(200);
  });

  it('refuses bad starts with the right status, naming the fields, and starts nothing', async () => {
    const count = async () => (await t.call(SUPERVISOR, { method: 'GET', url: '/api/processes' })).headers['content-range'];
    const before = await count();
    const cases: [string | null, string, Record<string, unknown>, number, string?][] = [
      [CADRE, H_OUT_OF_POVERTY, { onlyHouse: undefined }, 400, 'input.onlyHouse'],
      [CADRE, H_OUT_OF_POVERTY, { attachments: Array.from({ length: 21 }, (_, i) => `p${i}.jpg`) }, 400, 'input.attachments'],
      [CADRE, H_OUT_OF_POVERTY, { earlierRenovation: { year: 2019, dangerCause: 'termites' } }, 400, 'input.earlierRenovation.dangerCause'],
      [CADRE, H_OUT_OF_POVERTY, { earlierRenovation: { year: 2019 } }, 400, 'input.earlierRenovation.dangerCause'],
      [CADRE, H_OUT_OF_POVERTY, { earlierRenovation: { year: 2099, dangerCause: 'natural_disaster' } }, 400, 'input.earlierRenovation.year'],
      [CADRE, H_OUT_OF_POVERTY, { roofColour: 'red' }, 400, 'input.roofColour'],
      [CADRE, 'H99999999', {}, 404],
      [OTHER_CADRE, H_OUT_OF_POVERTY, {}, 404],
      [ZHUJIAN, H_OUT_OF_POVERTY, {}, 403],
      [null, H_OUT_OF_POVERTY, {}, 401],
    ];
    for (const [as, hh, extra, status, field] of cases) {
      const body = input(hh, extra);
      for (const k of Object.keys(body)) if ((body as Record<string, unknown>)[k] === undefined) delete (body as Record<string, unknown>)[k];
      const res = await t.call(as, { method: 'POST', url: '/api/processes', payload: { type: 'houseRebuild', input: body } });
      expect(res.statusCode, JSON.stringify(extra)).toBe(status);
      if (field) expect(res.json().error.details.map((d: any) => d.field)).toContain(field);
    }
    expect(await count()).toBe(before);
  });

  it('publishes the process in the catalogue with the works due by grade from the policy', async () => {
    const res = await t.call(CADRE, { method: 'GET', url: '/api/process-types?lang=en' });
    const p = res.json().find((x: any) => x.type === 'houseRebuild');
    expect(p.steps.map((s: any) => s.key)).toEqual(['eligibility', 'appraisal', 'plan', 'temporaryHousing', 'demolition', 'constructionStart', 'reinforcement', 'rebuilding', 'acceptance', 'payment']);
    const due = (key: string) => p.steps.find((s: any) => s.key === key).due.rule;
    expect([due('reinforcement'), due('rebuilding'), due('payment')]).toEqual([{ duration: 'PT2H' }, { duration: 'PT3H' }, { duration: 'PT1H' }]);
    expect(p.steps.find((s: any) => s.key === 'payment').department).toBe('区财政局');
    expect(p.signals.map((s: any) => [s.name, s.stages])).toEqual([['progressReport', ['construction']]]);
    expect(p.startSchema.properties.attachments.maxItems).toBe(20);
  });

  it('refuses to find a household in no low-income group eligible (422), and the town closes it as ineligible', async () => {
    const res = await start(CADRE, ORDINARY);
    expect(res.statusCode).toBe(201);
    const { id } = res.json();
    let r = await step(TOWN, id, 'eligibility', eligible);
    expect(r.statusCode).toBe(422);
    expect(r.json().error.message).toContain('低收入群体');
    r = await step(TOWN, id, 'eligibility', { ...eligible, decision: 'ineligible', reasons: '非低收入群体，引导自行修缮' });
    expect(r.json().state.status).toBe('rejected');
    expect((await detail(CADRE, id)).json().status).toBe('rejected');
  });

  it('answers a retried start with the same Idempotency-Key as the first time', async () => {
    const first = await start(CADRE, H_OUT_OF_POVERTY, {}, { 'idempotency-key': 'house-start-1' });
    expect(first.statusCode).toBe(201);
    const again = await start(CADRE, H_OUT_OF_POVERTY, {}, { 'idempotency-key': 'house-start-1' });
    expect(again.statusCode).toBe(201);
    expect(again.json().id).toBe(first.json().id);
    expect(again.headers['idempotent-replayed']).toBe('true');
    const c = await cancel(first.json().id);
    expect(c.statusCode, c.body).toBe(200);
  });

  it('the housing system starts a case with a key scoped start:houseRebuild; other keys are refused', async () => {
    const housingSystem: Actor = { kind: 'integration', id: 'key-housing', name: '住房安全信息系统', roles: [], scopes: ['start:houseRebuild', 'signal:houseRebuild.progressReport'] };
    const otherSystem: Actor = { kind: 'integration', id: 'key-yibao', name: '医保结算系统', roles: [], scopes: ['start:illnessRelief'] };
    const refused = await startProcess(t.services, otherSystem, 'houseRebuild', input(TEKUN)).catch((e) => e);
    expect(refused).toBeInstanceOf(Refusal);
    expect((refused as Refusal).kind).toBe('forbidden');

    const started = await startProcess(t.services, housingSystem, 'houseRebuild', input(TEKUN, { reference: 'ZF-2026-0042' }));
    const d = (await detail(TOWN, started.id)).json();
    expect(d.state.data.request).toMatchObject({ channel: 'housing_system', reference: 'ZF-2026-0042' });
    expect(d.openSteps.map((s: any) => s.key)).toEqual(['eligibility']);
    const dup = await startProcess(t.services, housingSystem, 'houseRebuild', input(TEKUN)).catch((e) => e);
    expect((dup as Refusal).kind).toBe('conflict');
    const history = (await t.call(TOWN, { method: 'GET', url: `/api/processes/${encodeURIComponent(started.id)}/history` })).json();
    expect(history[0].actor).toEqual({ id: 'key-housing', name: '住房安全信息系统' });
    expect((await cancel(started.id)).statusCode).toBe(200);
  });
});
