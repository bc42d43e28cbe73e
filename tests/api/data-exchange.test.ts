/**
 * Department data exchange (issue 20) over HTTP: single alerts from every department of plan item 47,
 * batches from a department matched against the register, the warnings' verification steps in the village
 * cadres' inbox, confirming and dismissing them, the department's feedback, redelivery and department binding.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { startTestApp, type TestApp } from '../helpers/app';
import ExcelJS from 'exceljs';
import { RONGGUANG, createKey, eventually, json, newHousehold, randomIdNumber, withKey } from '../helpers/integrations';

const policyFile = fileURLToPath(new URL('../fixtures/policy-short.yaml', import.meta.url));
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ policyFile });
});
afterAll(async () => t?.close());

describe('single department alerts', () => {
  it('accepts 区残联 and 区统计局 (plan item 47) like every other department', async () => {
    for (const department of ['区残联', '区统计局']) {
      const hh = await newHousehold(t, RONGGUANG);
      const res = await t.call('admin', { method: 'POST', url: '/api/alerts', payload: { householdId: hh.id, department, riskTypes: ['disability'], description: `${department}比对发现风险` } });
      expect(res.statusCode, res.body).toBe(201);
      const detail = await t.call('admin', { method: 'GET', url: `/api/processes/${encodeURIComponent(res.json().processId)}` });
      expect(detail.json().state.data.request.alert.department).toBe(department);
    }
  });
});

const CADRE = 'cadre.rongguang';

/** A member of a registered household, written into the register as the members' import does. */
async function addMember(householdId: string, name: string, relation = 'child'): Promise<string> {
  const idNumber = randomIdNumber();
  const now = new Date();
  await t.db.em().getKnex()('household_member').insert({ household_id: householdId, name, id_number: idNumber, relation, student: false, labour_capacity: 'full', insured: true, created_at: now, updated_at: now });
  return idNumber;
}

const records = async (as: string | { key: string }, batchId: string, filter: Record<string, unknown> = {}) => {
  const opts = { method: 'GET' as const, url: `/api/data-exchange/batches/${batchId}/records?filter=${json(filter)}` };
  const res = typeof as === 'string' ? await t.call(as, opts) : await withKey(t, as.key, opts);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as any[];
};

/** The cadre's open verification step of a case, once the batch's workflow has opened it. */
async function inboxStep(processId: string) {
  const steps = await eventually(
    async () => (await t.call(CADRE, { method: 'GET', url: `/api/steps?filter=${json({ mine: true, status: 'open', processType: 'dataVerification' })}&range=[0,199]` })).json() as any[],
    (list) => list.some((s) => s.processId === processId),
    20_000,
  );
  return steps.find((s) => s.processId === processId);
}

describe('department data batches', () => {
  it('matches a 区残联 batch, opens a verification for the warning, and feeds the outcomes back', async () => {
    const hh = await newHousehold(t, RONGGUANG);
    const memberId = await addMember(hh.id, '王小残');
    const body = { department: '区残联', kind: '新办残疾证', records: [{ idNumber: memberId, name: '王小残', disabilityGrade: 2 }, { idNumber: randomIdNumber(), name: '查无此人', disabilityGrade: 3 }] };
    const sent = await t.call('canlian', { method: 'POST', url: '/api/data-exchange/batches', payload: body, headers: { 'idempotency-key': `canlian-${hh.id}` } });
    expect(sent.statusCode, sent.body).toBe(201);
    const summary = sent.json();
    expect(summary).toMatchObject({ received: 2, matched: 1, unmatched: 1, warnings: 1 });

    // A second delivery of the same batch creates nothing new.
    const again = await t.call('canlian', { method: 'POST', url: '/api/data-exchange/batches', payload: body, headers: { 'idempotency-key': `canlian-${hh.id}` } });
    expect(again.statusCode).toBe(201);
    expect(again.json()).toEqual(summary);
    const batches = (await t.call('canlian', { method: 'GET', url: `/api/data-exchange/batches?filter=${json({ department: '区残联' })}&range=[0,99]` })).json();
    expect(batches.filter((b: any) => b.id === summary.id)).toHaveLength(1);
    expect(batches).toHaveLength(1);

    // The unmatched record is kept and listed for the department.
    expect((await records('canlian', summary.id, { result: 'unmatched' })).map((r) => r.name)).toEqual(['查无此人']);
    const [warned] = await records('canlian', summary.id, { result: 'warning' });
    expect(warned).toMatchObject({ householdId: hh.id, relation: 'child', rules: [{ rule: 'newDisability', riskType: 'disability' }] });

    // The warning is a verification step in the village cadre's inbox; progress reaches the whole batch.
    const processId = await eventually(async () => (await records('canlian', summary.id, { result: 'warning' }))[0].verificationId, (id) => !!id, 20_000);
    const step = await inboxStep(processId);
    expect(step.title.zh).toBe('比对预警核实');
    const batch = await eventually(async () => (await t.call('canlian', { method: 'GET', url: `/api/data-exchange/batches/${summary.id}` })).json(), (b) => b.status === 'done', 20_000);
    expect(batch).toMatchObject({ processed: 2, received: 2, status: 'done' });

    // Confirmed: an identification starts with channel department_alert naming 区残联.
    const done = await t.call(CADRE, { method: 'POST', url: `/api/processes/${encodeURIComponent(processId)}/steps/dataVerification`, payload: { decision: 'confirm', reasons: '入户核实，新办二级残疾证属实' } });
    expect(done.statusCode, done.body).toBe(200);
    const confirmed = await eventually(async () => (await records('canlian', summary.id, { result: 'warning' }))[0], (r) => r.outcome === 'confirmed', 20_000);
    expect(confirmed.caseId).toMatch(/^identification:/);
    const identification = (await t.call('admin', { method: 'GET', url: `/api/processes/${encodeURIComponent(confirmed.caseId)}` })).json();
    expect(identification.state.data.request).toMatchObject({ channel: 'department_alert', alert: { department: '区残联' }, riskTypes: ['disability'] });
    expect(identification.state.data.request.description).toContain('残疾等级 2 级');
  });

  it('dismissing needs reasons; the feedback shows confirmed and dismissed records; keys send their own department only', async () => {
    const minzheng = await createKey(t, ['exchange', 'department:区民政局']);
    const refused = await withKey(t, minzheng.key, { method: 'POST', url: '/api/data-exchange/batches', payload: { department: '区医保局', kind: '年度自付医疗费用', records: [{ idNumber: randomIdNumber(), name: '某', outOfPocket: 50000 }] } });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.details[0]).toMatchObject({ field: 'department', rule: 'own' });
    expect((await t.call('yibao', { method: 'POST', url: '/api/data-exchange/batches', payload: { department: '区残联', kind: 'x', records: [{ idNumber: randomIdNumber(), name: '某' }] } })).statusCode).toBe(403);
    expect((await t.call(CADRE, { method: 'GET', url: '/api/data-exchange/batches' })).statusCode).toBe(403);

    const hh = await newHousehold(t, RONGGUANG);
    const sent = await withKey(t, minzheng.key, { method: 'POST', url: '/api/data-exchange/batches', payload: { department: '区民政局', kind: '收入核查', records: [{ idNumber: hh.idNumber, name: '测试户', perCapitaIncome: 3000 }, { idNumber: hh.idNumber, name: '测试户' }] } });
    expect(sent.statusCode, sent.body).toBe(201);
    const { id } = sent.json();
    expect(sent.json()).toMatchObject({ received: 2, matched: 1, unmatched: 0, warnings: 1 });
    expect((await records({ key: minzheng.key }, id, { result: 'duplicate' })).map((r) => r.seq)).toEqual([2]);
    const processId = await eventually(async () => (await records({ key: minzheng.key }, id, { result: 'warning' }))[0].verificationId, (v) => !!v, 20_000);
    await inboxStep(processId);
    const step = (body: object) => t.call(CADRE, { method: 'POST', url: `/api/processes/${encodeURIComponent(processId)}/steps/dataVerification`, payload: body });
    const noReasons = await step({ decision: 'dismiss' });
    expect(noReasons.statusCode).toBe(422);
    expect(noReasons.json().error.details[0]).toMatchObject({ field: 'reasons', rule: 'required' });
    expect((await step({ decision: 'dismiss', reasons: '该户在外务工，工资收入未计入' })).statusCode).toBe(200);
    await eventually(async () => (await records({ key: minzheng.key }, id, { result: 'warning' }))[0], (r) => r.outcome === 'dismissed', 20_000);

    // Another department does not see the batch.
    expect((await t.call('canlian', { method: 'GET', url: `/api/data-exchange/batches/${id}` })).statusCode).toBe(404);
    const xlsx = await withKey(t, minzheng.key, { method: 'GET', url: `/api/data-exchange/batches/${id}/feedback.xlsx`, headers: { 'accept-language': 'zh-CN' } });
    expect(xlsx.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const sheet = wb.worksheets[0];
    expect((sheet.getRow(1).values as string[]).slice(1)).toEqual(['序号', '身份证号', '姓名', '比对结果', '户编号', '预警内容', '建议风险类型', '核实结论', '核实情况/理由', '监测对象认定流程', '核实时间']);
    expect(sheet.getRow(2).getCell(4).value).toBe('预警');
    expect(sheet.getRow(2).getCell(8).value).toBe('不属实');
    expect(sheet.getRow(2).getCell(9).value).toBe('该户在外务工，工资收入未计入');
    expect(sheet.getRow(3).getCell(4).value).toBe('重复');
  });

  it('reads an uploaded XLSX list with Chinese headers, and shows the rules with the values in force', async () => {
    const hh = await newHousehold(t, RONGGUANG);
    const wb = new ExcelJS.Workbook();
    const sheet = wb.addWorksheet('名单');
    sheet.addRow(['身份证号', '姓名', '房屋安全鉴定等级']);
    sheet.addRow([hh.idNumber, '测试户', 'D级']);
    sheet.addRow([randomIdNumber(), '外地户', 'B']);
    const file = Buffer.from(await wb.xlsx.writeBuffer());
    const boundary = 'exchange-boundary';
    const payload = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\n房屋安全鉴定\r\n`),
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="list.xlsx"\r\nContent-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n`),
      file,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const sent = await t.call('zhujian', { method: 'POST', url: '/api/data-exchange/batches', payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } });
    expect(sent.statusCode, sent.body).toBe(201);
    expect(sent.json()).toMatchObject({ received: 2, matched: 1, unmatched: 1, warnings: 1 });
    const batch = (await t.call('zhujian', { method: 'GET', url: `/api/data-exchange/batches/${sent.json().id}` })).json();
    expect(batch).toMatchObject({ department: '区住房城乡建委', kind: '房屋安全鉴定', source: 'upload' });

    const rules = (await t.call('admin', { method: 'GET', url: '/api/data-exchange/rules' })).json();
    expect(rules.find((r: any) => r.key === 'unsafeHouse')).toMatchObject({ riskTypeTitle: '住房安全' });
    expect(rules.find((r: any) => r.key === 'outOfPocketAboveThreshold').value).toBe('¥10,000.00');
    expect(rules.find((r: any) => r.key === 'incomeBelowLine').value).toMatch(/^¥7,[58]00\.00\/人·年$/);
  });
});
