/**
 * Health documents (issue 22): the medical bills and diagnosis documents an illness-relief step names
 * are served — the file, its thumbnail, a signed link — only to whoever sees the case's health details
 * (its area, the departments working on it). Whoever else may see the case (a department involved without a step
 * of its own) gets what an unknown file gets (404), and the case it reads names no such file (***).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { Household, Process } from '../../db';
import { HIDDEN } from '../../server/privacy';
import { startTestApp, type TestApp } from '../helpers/app';
import { photoId, upload } from '../helpers/evidence';
import { RONGGUANG, newHousehold } from '../helpers/integrations';

const policyFile = fileURLToPath(new URL('../fixtures/policy-short.yaml', import.meta.url));
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ policyFile });
});
afterAll(async () => t?.close());

const day = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
const caseUrl = (id: string) => `/api/processes/${encodeURIComponent(id)}`;
const get = (as: string, url: string) => t.call(as, { method: 'GET', url });

describe('medical bills and diagnosis documents of an illness-relief case', () => {
  let id: string;
  let bill: string;
  let diagnosis: string;

  beforeAll(async () => {
    const hh = await newHousehold(t, RONGGUANG, { headName: '李票据' });
    await t.db.em().nativeUpdate(Household, { id: hh.id }, { monitoringStatus: 'monitored', monitoringCategory: 'marginal' });
    const application = {
      householdId: hh.id,
      patient: { name: '李病人', relation: '本人' },
      disease: '肺癌',
      settlementDate: day(),
      totalCost: 50000,
      paidByBasicInsurance: 20000,
      paidByCriticalIllnessInsurance: 10000,
      paidByMedicalAssistance: 5000,
      outOfPocket: 15000,
      description: '化疗费用高',
    };
    const started = await t.call('town.tongjing', { method: 'POST', url: '/api/processes', payload: { type: 'illnessRelief', input: application } });
    expect(started.statusCode, started.body).toBe(201);
    id = started.json().id;
    bill = await photoId(t, 'yibao');
    const pdf = await upload(t, 'yibao', '诊断证明.pdf', Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n'));
    expect(pdf.statusCode, pdf.body).toBe(201);
    diagnosis = pdf.json().id;
    const verification = { decision: 'confirm', basicInsuranceApplied: true, criticalIllnessInsuranceApplied: true, medicalAssistanceApplied: true, verifiedOutOfPocket: 15000, medicalBills: [bill], diagnosisDocuments: [diagnosis] };
    const res = await t.call('yibao', { method: 'POST', url: `${caseUrl(id)}/steps/expenseVerification`, payload: verification });
    expect(res.statusCode, res.body).toBe(200);
  }, 60_000);

  it('are the step’s evidence, served with their thumbnails and signed links to the area and the department that verified them', async () => {
    const done = (await get('town.tongjing', caseUrl(id))).json().state.steps.find((s: { key: string }) => s.key === 'expenseVerification');
    expect(done.evidence.map((e: { field: string; id: string }) => [e.field, e.id])).toEqual([['medicalBills', bill], ['diagnosisDocuments', diagnosis]]);
    for (const who of ['yibao', 'town.tongjing', 'cadre.rongguang', 'supervisor']) {
      expect((await get(who, `/api/files/${bill}`)).statusCode, who).toBe(200);
      expect((await get(who, `/api/files/${bill}/thumbnail`)).statusCode, who).toBe(200);
      expect((await get(who, `/api/files/${diagnosis}`)).statusCode, who).toBe(200);
      const link = await get(who, `/api/files/${bill}/link?thumbnail=true`);
      expect(link.statusCode, who).toBe(200);
      expect((await t.call(null, { method: 'GET', url: link.json().url })).statusCode, who).toBe(200);
    }
  });

  it('are hidden from a caller who sees the case but not its health details: 404 like an unknown file, *** in the case', async () => {
    // 区民政局 is involved in the case without working on a step of it yet (as an alerting department
    // is): it reads the case, not its health details.
    const row = await t.db.em().findOneOrFail(Process, { id });
    await t.db.em().nativeUpdate(Process, { id }, { departments: [...new Set([...(row.departments ?? []), '区民政局'])] });
    const kase = await get('minzheng', caseUrl(id));
    expect(kase.statusCode, kase.body).toBe(200);
    expect(kase.json().state.data.disease ?? kase.json().state.data.settlements?.[0]?.disease).toBe(HIDDEN);
    const done = kase.json().state.steps.find((s: { key: string }) => s.key === 'expenseVerification');
    expect(done.evidence.map((e: { field: string; id: string; sha256: string }) => [e.field, e.id, e.sha256])).toEqual([
      ['medicalBills', HIDDEN, HIDDEN],
      ['diagnosisDocuments', HIDDEN, HIDDEN],
    ]);
    expect(done.result.medicalBills).toEqual([HIDDEN]);
    expect(JSON.stringify(kase.json())).not.toContain(bill);
    // Nor does the case's history.
    const history = await get('minzheng', `${caseUrl(id)}/history`);
    expect(history.statusCode).toBe(200);
    const verified = history.json().find((e: { step?: string }) => e.step === 'expenseVerification');
    expect(verified.files.map((f: { field: string; id: string }) => [f.field, f.id])).toEqual([['medicalBills', HIDDEN], ['diagnosisDocuments', HIDDEN]]);
    expect(history.body).not.toContain(bill);
    const whole = (await get('yibao', `${caseUrl(id)}/history`)).json().find((e: { step?: string }) => e.step === 'expenseVerification');
    expect(whole.files.map((f: { id: string }) => f.id)).toEqual([bill, diagnosis]);
    // … nor its health documents, in any form.
    for (const url of [`/api/files/${bill}`, `/api/files/${bill}/thumbnail`, `/api/files/${bill}/link`, `/api/files/${diagnosis}`]) {
      expect((await get('minzheng', url)).statusCode, url).toBe(404);
    }
    // The department that verified them still reads them; a village cadre elsewhere sees nothing of the case.
    expect((await get('yibao', `/api/files/${bill}`)).statusCode).toBe(200);
    expect((await get('cadre.jixing', `/api/files/${bill}`)).statusCode).toBe(404);
  });
});
