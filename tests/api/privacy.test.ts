/**
 * Personal data: ID numbers, phones and health details masked in API responses and Excel exports for
 * whoever does not need them (server/privacy.ts PRIVACY), never on the printable public notice, never
 * in logs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { Writable } from 'node:stream';
import Fastify from 'fastify';
import ExcelJS from 'exceljs';
import { Household } from '../../db';
import { HIDDEN, PRIVACY, loggerOptions, redactText } from '../../server/privacy';
import { startTestApp, type TestApp } from '../helpers/app';
import { RONGGUANG, createKey, eventually, json, newHousehold, withKey } from '../helpers/integrations';

const policyFile = fileURLToPath(new URL('../fixtures/policy-short.yaml', import.meta.url));
let t: TestApp;
let hh: { id: string; idNumber: string; phone: string };
let caseId: string;

const DESCRIPTION = '户主糖尿病并发症住院，长期服药';
const FINDINGS = '核实：住院治疗三次，需长期透析';
const WEIJIAN_ALERT = '卫健委：慢病随访发现病情加重';
const MINZHENG_ALERT = '民政局：已申请临时救助，患尿毒症';
const HEALTH_TEXTS = [DESCRIPTION, FINDINGS, WEIJIAN_ALERT, MINZHENG_ALERT];

const caseUrl = (id: string) => `/api/processes/${encodeURIComponent(id)}`;
const verification = { verifiedOn: '2026-11-20', coVerifierId: 'cadre.rongguang2', memberCount: 3, perCapitaIncome: 4100, guarantees: { foodClothing: 'secure', education: 'secure', medical: 'at_risk', housing: 'secure', water: 'secure' }, findings: FINDINGS };

beforeAll(async () => {
  t = await startTestApp({ policyFile });
  hh = await newHousehold(t, RONGGUANG, { headName: '周测试' });
  const started = await t.call('cadre.rongguang', {
    method: 'POST',
    url: '/api/processes',
    payload: { type: 'identification', input: { householdId: hh.id, channel: 'cadre_check', category: 'marginal', riskTypes: ['illness', 'lack_of_labour'], description: DESCRIPTION } },
  });
  caseId = started.json().id;
  for (const [who, department, description] of [
    ['weijian', '区卫生健康委', WEIJIAN_ALERT],
    ['minzheng', '区民政局', MINZHENG_ALERT],
  ]) {
    expect((await t.call(who, { method: 'POST', url: '/api/alerts', payload: { householdId: hh.id, department, description, riskTypes: ['illness'] } })).statusCode).toBe(202);
  }
  expect((await t.call('cadre.rongguang', { method: 'POST', url: `${caseUrl(caseId)}/steps/homeVerification`, payload: verification })).statusCode).toBe(200);
  await eventually(
    async () => (await t.call('cadre.rongguang', { method: 'GET', url: caseUrl(caseId) })).json(),
    (d) => d.state.data.alerts.length === 2,
  );
  // As an approved identification records it in the register.
  await t.db.em().nativeUpdate(Household, { id: hh.id }, { riskTypes: ['illness', 'housing'], monitoringStatus: 'monitored', monitoringCategory: 'marginal' });
});
afterAll(async () => t?.close());

describe('a case\'s detail', () => {
  it('shows everything to the household\'s area', async () => {
    for (const who of ['cadre.rongguang', 'town.tongjing', 'supervisor', 'admin']) {
      const d = (await t.call(who, { method: 'GET', url: caseUrl(caseId) })).json();
      expect(d.state.data.request.description, who).toBe(DESCRIPTION);
      expect(d.state.data.request.riskTypes).toEqual(['illness', 'lack_of_labour']);
      expect(d.state.steps.find((s: any) => s.key === 'homeVerification').result.findings).toBe(FINDINGS);
      expect(d.state.data.alerts.map((a: any) => a.description)).toEqual([WEIJIAN_ALERT, MINZHENG_ALERT]);
    }
  });

  it('shows an alerting department its own alert only: the others\' health details are masked', async () => {
    const res = await t.call('weijian', { method: 'GET', url: caseUrl(caseId) });
    expect(res.statusCode).toBe(200);
    const d = res.json();
    expect(d.state.data.request.description).toBe(HIDDEN);
    expect(d.state.data.request.riskTypes).toEqual([HIDDEN, 'lack_of_labour']);
    expect(d.state.steps.find((s: any) => s.key === 'homeVerification').result.findings).toBe(HIDDEN);
    expect(d.state.data.alerts.map((a: any) => [a.department, a.description])).toEqual([
      ['区卫生健康委', WEIJIAN_ALERT],
      ['区民政局', HIDDEN],
    ]);
    const alertEvents = d.state.events.filter((e: any) => e.kind === 'department_alert').map((e: any) => e.summary);
    expect(alertEvents).toEqual([`区卫生健康委 预警：${WEIJIAN_ALERT}`, `区民政局 预警：${HIDDEN}`]);
    expect(res.body).not.toContain(DESCRIPTION);
    expect(res.body).not.toContain(FINDINGS);
    expect(res.body).not.toContain(MINZHENG_ALERT);
    // The case's own routes still work on the masked state.
    expect(d.openSteps.map((s: any) => s.key)).toEqual(['villageReview']);
  });

  it('is not shown to departments not involved, nor to API keys', async () => {
    expect((await t.call('yibao', { method: 'GET', url: caseUrl(caseId) })).statusCode).toBe(404);
    const { key } = await createKey(t, ['alert']);
    expect((await withKey(t, key, { method: 'GET', url: caseUrl(caseId) })).statusCode).toBe(403);
    expect((await withKey(t, key, { method: 'GET', url: `/api/households/${hh.id}` })).statusCode).toBe(403);
  });
});

describe('the household register', () => {
  const masked = { idNumberMasked: true, riskTypes: [HIDDEN, 'housing'] };

  it('masks ID number, phone and health risk types for a department not involved; shows them to the area and to an involved department', async () => {
    const yibao = (await t.call('yibao', { method: 'GET', url: `/api/households/${hh.id}` })).json();
    expect(yibao).toMatchObject({ ...masked, idNumber: `${hh.idNumber.slice(0, 6)}********${hh.idNumber.slice(-4)}`, phone: `${hh.phone.slice(0, 3)}****${hh.phone.slice(-4)}` });
    for (const who of ['cadre.rongguang', 'town.tongjing', 'supervisor', 'weijian']) {
      const full = (await t.call(who, { method: 'GET', url: `/api/households/${hh.id}` })).json();
      expect(full, who).toMatchObject({ idNumber: hh.idNumber, phone: hh.phone, idNumberMasked: false, riskTypes: ['illness', 'housing'] });
    }
    const list = (who: string) => t.call(who, { method: 'GET', url: `/api/households?filter=${json({ id: [hh.id] })}` });
    expect((await list('yibao')).json()[0]).toMatchObject(masked);
    expect((await list('weijian')).json()[0]).toMatchObject({ idNumber: hh.idNumber, idNumberMasked: false });
    // Searching by a whole ID number finds the household, without revealing it.
    const found = await t.call('yibao', { method: 'GET', url: `/api/households?filter=${json({ q: hh.idNumber })}` });
    expect(found.json().map((h: any) => h.id)).toEqual([hh.id]);
    expect(found.body).not.toContain(hh.idNumber);
  });

  it('Excel exports follow the same rule', async () => {
    const rowOf = async (who: string) => {
      const res = await t.call(who, { method: 'GET', url: `/api/households/export.xlsx?filter=${json({ id: [hh.id] })}` });
      expect(res.statusCode).toBe(200);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
      const sheet = wb.worksheets[0];
      const header = (sheet.getRow(1).values as string[]).slice(1);
      const values = (sheet.getRow(2).values as string[]).slice(1);
      return Object.fromEntries(header.map((h, i) => [h, values[i]]));
    };
    const yibao = await rowOf('yibao');
    expect(yibao['身份证号']).toBe(`${hh.idNumber.slice(0, 6)}********${hh.idNumber.slice(-4)}`);
    expect(yibao['联系电话']).toBe(`${hh.phone.slice(0, 3)}****${hh.phone.slice(-4)}`);
    expect(yibao['风险类型']).toBe(`${HIDDEN}、住房安全`);
    const cadre = await rowOf('cadre.rongguang');
    expect(cadre['身份证号']).toBe(hh.idNumber);
    expect(cadre['风险类型']).toBe('因病、住房安全');
  });
});

describe('the printable public notice', () => {
  const notice = (who: string, format = '') => t.call(who, { method: 'GET', url: `${caseUrl(caseId)}/notice${format}` });

  it('names the head, the village, the category, the risk types and the period; never an ID number, a phone or health details', async () => {
    let res = await notice('cadre.rongguang');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'draft', householdHead: '周测试', town: '统景镇', village: '荣光村', category: { code: 'marginal', label: '边缘易致贫户' } });
    // Village review: the notice goes up.
    const review = await t.call('cadre.rongguang2', { method: 'POST', url: `${caseUrl(caseId)}/steps/villageReview`, payload: { heldOn: '2026-11-21', participants: 30, result: 'pass', minutes: '同意' } });
    expect(review.json().state.stage).toBe('publicNotice');
    res = await notice('town.tongjing');
    const n = res.json();
    expect(n.status).toBe('posted');
    // 因病 is a health detail: the notice names the other risk types only.
    expect(n.riskTypes.map((r: any) => r.label)).toEqual(['缺劳动力']);
    expect(n.period.postedOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(n.text).toContain('防止返贫监测对象认定公示');
    expect(n.text).toContain('户主姓名：周测试');
    expect(n.text).toContain('所在村：统景镇荣光村');
    expect(n.text).toContain('风险类型：缺劳动力');
    const html = await notice('supervisor', '?format=html');
    expect(html.headers['content-type']).toContain('text/html');
    expect(html.body).toContain('<h1>防止返贫监测对象认定公示</h1>');
    for (const body of [res.body, html.body]) {
      for (const secret of [hh.idNumber, hh.phone, hh.idNumber.slice(-6), '因病', ...HEALTH_TEXTS]) expect(body).not.toContain(secret);
    }
    expect(PRIVACY.neverOnNotice).toEqual(['identity', 'health']);
  });

  it('is for whoever may see the case', async () => {
    expect((await notice('weijian')).statusCode).toBe(200);
    expect((await notice('cadre.jixing')).statusCode).toBe(404);
    expect((await notice('yibao')).statusCode).toBe(404);
    expect((await t.call('admin', { method: 'GET', url: `/api/processes/identification:H99999999:1/notice` })).statusCode).toBe(404);
    expect((await notice('admin', '?format=pdf')).statusCode).toBe(400);
  });
});

describe('logs', () => {
  it('never carry credentials, ID numbers, phones or health details: headers, bodies, URLs and errors', async () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const app = Fastify({ logger: { ...loggerOptions('debug'), stream } });
    app.post('/api/probe', async (request) => {
      request.log.info({ body: request.body, headers: request.headers }, 'received');
      throw new Error(`insert into household (id_number, phone) values ('500112196711041156', '13800000001') failed`);
    });
    await app.ready();
    const res = await app.inject({
      method: 'POST',
      url: `/api/probe?filter=${encodeURIComponent(JSON.stringify({ q: '500112196711041156' }))}&phone=13912345678`,
      headers: { authorization: 'Bearer ffk_0123456789ab_secretsecret', cookie: 'sid=abc' },
      payload: { username: 'a', password: 'hunter2', idNumber: '50011219580312101X', phone: '13800000002', description: DESCRIPTION, findings: FINDINGS },
    });
    expect(res.statusCode).toBe(500);
    await app.close();
    const log = lines.join('');
    expect(log).toContain('received');
    expect(log).toContain('500112********1156'); // the URL and the error, masked
    for (const secret of ['500112196711041156', '50011219580312101X', '13800000001', '13800000002', '13912345678', 'hunter2', 'secretsecret', 'sid=abc', DESCRIPTION, FINDINGS]) {
      expect(log, secret).not.toContain(secret);
    }
    expect(redactText('/api/households?filter=%7B%22q%22%3A%2213800000001%22%7D')).toBe('/api/households?filter={"q":"138****0001"}');
    // Numbers that only look alike stay (case ids, timestamps).
    expect(redactText('identification:H00000001:1 at 1732867200000')).toBe('identification:H00000001:1 at 1732867200000');
  });
});
