/**
 * Printed documents over HTTP (server/documents/): real cases run far enough to offer each one — the
 * identification's public notice, the illness-relief decision letter, the house-rebuilding acceptance
 * and subsidy notice, a village's campaign problem list — each an A4 page with the place, the period
 * or amounts, and whom to contact; never an ID number, a phone or health details. Printing follows
 * the rules of reading the case, a kind the case does not offer is a 404, and every print is audited.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { AuditEntry, Household } from '../../db';
import { CHECKLIST_KEYS, townCaseId, visitCaseId } from '../../processes/campaign/contract';
import { rectificationId } from '../../processes/rectification/contract';
import { startTestApp, type TestApp } from '../helpers/app';
import sharp from 'sharp';
import { identificationAtNotice, photo, photoId, upload } from '../helpers/evidence';
import { RONGGUANG, eventually, newHousehold } from '../helpers/integrations';

const policyFile = fileURLToPath(new URL('../fixtures/policy-short.yaml', import.meta.url));
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ policyFile });
});
afterAll(async () => t?.close());

const day = (plus = 0) => new Date(Date.now() + 8 * 3600_000 + plus * 86_400_000).toISOString().slice(0, 10);
const zh = (d: string) => `${Number(d.slice(0, 4))}年${Number(d.slice(5, 7))}月${Number(d.slice(8, 10))}日`;
const caseUrl = (id: string) => `/api/processes/${encodeURIComponent(id)}`;
const step = (as: string, id: string, key: string, form: object) => t.call(as, { method: 'POST', url: `${caseUrl(id)}/steps/${key}`, payload: form });
const offers = async (as: string, id: string) => (await t.call(as, { method: 'GET', url: `${caseUrl(id)}/documents` })).json();
const print = (as: string, id: string, kind: string, query = '') => t.call(as, { method: 'GET', url: `${caseUrl(id)}/documents/${kind}${query}` });
/** Waits until the case offers the kind (the case's state follows a step by a moment). */
const offered = (as: string, id: string, kind: string) =>
  eventually(() => offers(as, id), (o) => Array.isArray(o) && o.some((d: { kind: string }) => d.kind === kind), 30_000);
const expectA4 = (res: Awaited<ReturnType<TestApp['call']>>) => {
  expect(res.statusCode, res.body).toBe(200);
  expect(res.headers['content-type']).toContain('text/html');
  expect(res.body).toContain('@page { size: A4;');
};

describe('the public notice of an identification', () => {
  const DESCRIPTION = '户主尿毒症长期透析，医疗支出大';
  let hh: { id: string; idNumber: string; phone: string };
  let id: string;

  beforeAll(async () => {
    hh = await newHousehold(t, RONGGUANG, { headName: '赵公示' });
    const started = await t.call('cadre.rongguang', {
      method: 'POST',
      url: '/api/processes',
      payload: { type: 'identification', input: { householdId: hh.id, channel: 'cadre_check', category: 'marginal', riskTypes: ['illness', 'lack_of_labour'], description: DESCRIPTION } },
    });
    expect(started.statusCode, started.body).toBe(201);
    id = started.json().id;
  });

  it('is offered once the notice is up, with the village, the period and how to object; no ID number, phone or health detail', async () => {
    // Before the notice goes up the case offers nothing to print.
    expect(await offers('cadre.rongguang', id)).toEqual([]);
    expect((await print('cadre.rongguang', id, 'notice')).statusCode).toBe(404);
    const verification = {
      verifiedOn: day(),
      coVerifierId: 'cadre.rongguang2',
      memberCount: 3,
      perCapitaIncome: 4100,
      guarantees: { foodClothing: 'secure', education: 'secure', medical: 'at_risk', housing: 'secure', water: 'secure' },
      findings: '透析治疗，每周三次',
    };
    expect((await step('cadre.rongguang', id, 'homeVerification', verification)).statusCode).toBe(200);
    const review = await step('cadre.rongguang2', id, 'villageReview', { heldOn: day(), participants: 25, result: 'pass', minutes: '同意' });
    expect(review.json().state.stage).toBe('publicNotice');

    expect(await offered('town.tongjing', id, 'notice')).toEqual([{ kind: 'notice', title: '防止返贫监测对象认定公示' }]);
    const res = await print('town.tongjing', id, 'notice');
    expectA4(res);
    expect(res.body).toContain('<h1>防止返贫监测对象认定公示</h1>');
    expect(res.body).toContain('统景镇荣光村');
    expect(res.body).toContain('赵公示');
    expect(res.body).toContain(`<dt>公示期</dt><dd>自${zh(day())}起`); // the period (the test policy's minimum is seconds, not days)
    expect(res.body).toContain('如有异议，请向荣光村村民委员会或统景镇人民政府实名反映');
    expect(res.body).toContain('缺劳动力');
    for (const secret of [hh.idNumber, hh.phone, hh.idNumber.slice(-6), '因病', '尿毒症', '透析', DESCRIPTION]) expect(res.body, secret).not.toContain(secret);
    // No photo of the notice yet: the page has none.
    expect(res.body).not.toContain('<img');

    // The same notice as GET /notice answers it, its contract unchanged.
    const json = (await t.call('cadre.rongguang', { method: 'GET', url: `${caseUrl(id)}/notice` })).json();
    expect(json).toMatchObject({ status: 'posted', householdHead: '赵公示', town: '统景镇', village: '荣光村', riskTypes: [{ code: 'lack_of_labour', label: '缺劳动力' }] });
    expect(json.text).toContain('户主姓名：赵公示');

    // Every print is in the audit log: who, which case, which document.
    const entries = await t.db.em().find(AuditEntry, { action: 'print', processId: id, actorId: 'town.tongjing' });
    expect(entries.map((e) => [e.target, e.outcome])).toEqual([['notice', 'ok']]);
  });

  it('is for whoever may read the case: another village or an uninvolved department gets what an unknown case gets (404)', async () => {
    await offered('cadre.rongguang', id, 'notice');
    for (const who of ['cadre.rongguang', 'town.tongjing', 'supervisor', 'admin']) expect((await print(who, id, 'notice')).statusCode, who).toBe(200);
    for (const who of ['cadre.jixing', 'town.gulu', 'yibao']) {
      expect((await t.call(who, { method: 'GET', url: caseUrl(id) })).statusCode, who).toBe(404);
      expect((await print(who, id, 'notice')).statusCode, who).toBe(404);
      expect((await t.call(who, { method: 'GET', url: `${caseUrl(id)}/documents` })).statusCode, who).toBe(404);
    }
    // Refused prints are audited too.
    expect(await t.db.em().count(AuditEntry, { processId: id, actorId: 'cadre.jixing', outcome: 'refused' })).toBeGreaterThan(0);
  });

  it('answers 404 for a kind the case does not offer, an unknown kind and an unknown case; 400 for an unknown query field', async () => {
    expect((await print('cadre.rongguang', id, 'reliefDecision')).statusCode).toBe(404);
    expect((await print('cadre.rongguang', id, 'problemList', `?village=${encodeURIComponent('荣光村')}`)).statusCode).toBe(404);
    const unknown = await print('cadre.rongguang', id, 'passport');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.message).toContain('passport');
    expect((await print('admin', 'identification:H99999999:1', 'notice')).statusCode).toBe(404);
    expect((await t.call('admin', { method: 'GET', url: `${caseUrl('identification:H99999999:1')}/documents` })).statusCode).toBe(404);
    const extra = await print('cadre.rongguang', id, 'notice', '?format=pdf');
    expect(extra.statusCode).toBe(400);
  });
});

/** The `data:` images of a printed page. */
const images = (html: string) => [...html.matchAll(/<img src="data:image\/webp;base64,([^"]+)" alt="([^"]*)">/g)].map((m) => ({ bytes: Buffer.from(m[1], 'base64'), caption: m[2] }));

describe('the public notice with the photo of the posted notice', () => {
  it('prints the photo the notice step used, re-encoded and without its EXIF', async () => {
    const id = await identificationAtNotice(t);
    const exif = { takenAt: '2026:11:22 09:30:00', latitude: '29/1 50/1 0/1' };
    const file = (await upload(t, 'cadre.rongguang', '公示照片.jpg', await photo({ colour: '#c01020', exif }), 'image/jpeg')).json();
    const today = day();
    expect((await step('cadre.rongguang', id, 'publicNotice', { postedOn: today, endedOn: today, location: '村务公开栏', photos: [file.id] })).statusCode).toBe(200);
    const res = await eventually(() => print('town.tongjing', id, 'notice'), (r) => r.body.includes('<img'), 30_000);
    expectA4(res);
    expect(res.body).toContain('公示现场照片');
    const shown = images(res.body);
    expect(shown.map((i) => i.caption)).toEqual(['公示张贴照片']);
    const meta = await sharp(shown[0].bytes).metadata();
    expect(meta.format).toBe('webp');
    expect(meta.exif).toBeUndefined();
    // The same page from GET /notice?format=html.
    const html = await t.call('town.tongjing', { method: 'GET', url: `${caseUrl(id)}/notice?format=html` });
    expect(images(html.body)).toHaveLength(1);
  }, 60_000);
});

describe('the illness-relief decision letter', () => {
  it('names the household, the patient, the decision and the amounts as ¥12,345.00; no ID number, phone or disease', async () => {
    const hh = await newHousehold(t, RONGGUANG, { headName: '钱救助' });
    await t.db.em().nativeUpdate(Household, { id: hh.id }, { monitoringStatus: 'monitored', monitoringCategory: 'marginal' });
    const application = {
      householdId: hh.id,
      patient: { name: '孙病人', relation: '配偶' },
      disease: '慢性肾衰竭（透析）',
      settlementDate: day(),
      totalCost: 32345,
      paidByBasicInsurance: 12000,
      paidByCriticalIllnessInsurance: 5000,
      paidByMedicalAssistance: 3000,
      outOfPocket: 12345,
      description: '透析费用自付较高，申请救助',
    };
    const started = await t.call('town.tongjing', { method: 'POST', url: '/api/processes', payload: { type: 'illnessRelief', input: application } });
    expect(started.statusCode, started.body).toBe(201);
    const id = started.json().id;
    expect((await step('yibao', id, 'expenseVerification', { decision: 'confirm', basicInsuranceApplied: true, criticalIllnessInsuranceApplied: true, medicalAssistanceApplied: true, verifiedOutOfPocket: 12345 })).statusCode).toBe(200);
    expect((await step('town.tongjing', id, 'impactAssessment', { decision: 'proceed', visitedOn: day(), findings: '透析后无法务工' })).statusCode).toBe(200);
    for (const [who, key] of [['yibao', 'opinionMedicalInsurance'], ['weijian', 'opinionHealth'], ['minzheng', 'opinionCivilAffairs']]) {
      const res = await eventually(() => step(who, id, key, { recommendation: 'support', suggestedAmount: 12345, opinion: '同意救助' }), (r) => r.statusCode === 200, 30_000);
      expect(res.statusCode, `${key} ${res.body}`).toBe(200);
    }
    expect(await offers('supervisor', id)).toEqual([]);
    const decision = await eventually(
      () => step('supervisor', id, 'decision', { decision: 'grant', heldOn: day(), channels: [{ channel: 'social_assistance', amount: 12345 }], reasons: '透析费用负担重' }),
      (r) => r.statusCode === 200,
      30_000,
    );
    expect(decision.statusCode, decision.body).toBe(200);

    expect(await offered('town.tongjing', id, 'reliefDecision')).toEqual([{ kind: 'reliefDecision', title: '大病一事一议特殊救助决定书' }]);
    const res = await print('town.tongjing', id, 'reliefDecision');
    expectA4(res);
    for (const shown of ['大病一事一议特殊救助决定书', '统景镇荣光村', '钱救助户', '孙病人（配偶）', '给予一事一议特殊救助', '¥12,345.00', zh(day()), '如对本决定有异议']) expect(res.body, shown).toContain(shown);
    for (const secret of [hh.idNumber, hh.phone, '慢性肾衰竭', '透析']) expect(res.body, secret).not.toContain(secret);
    // Departments that worked on the case print it too; another village's cadre does not.
    expect((await print('minzheng', id, 'reliefDecision')).statusCode).toBe(200);
    expect((await print('cadre.jixing', id, 'reliefDecision')).statusCode).toBe(404);
  }, 120_000);
});

describe('the house-rebuilding acceptance and subsidy notice', () => {
  it('is offered once the works pass acceptance, with the grade, the acceptance and the subsidy, then the payment', async () => {
    const hh = await newHousehold(t, RONGGUANG, { headName: '孙危房', status: 'out_of_poverty' });
    const started = await t.call('cadre.rongguang', { method: 'POST', url: '/api/processes', payload: { type: 'houseRebuild', input: { householdId: hh.id, description: '墙体开裂', onlyHouse: true } } });
    expect(started.statusCode, started.body).toBe(201);
    const id = started.json().id;
    const today = day();
    for (const [who, key, form] of [
      ['town.tongjing', 'eligibility', { decision: 'eligible', checkedOn: today }],
      ['zhujian', 'appraisal', { grade: 'C', appraiser: '区房屋安全鉴定站 张工', appraisedOn: today, findings: '承重墙开裂' }],
      ['town.tongjing', 'plan', { summary: '加固承重墙' }],
      ['cadre.rongguang', 'constructionStart', { startedOn: today }],
      ['cadre.rongguang', 'reinforcement', { finishedOn: today, summary: '加固完成' }],
    ] as const) {
      expect(await offers('zhujian', id)).toEqual([]);
      const res = await step(who, id, key, form);
      expect(res.statusCode, `${key} ${res.body}`).toBe(200);
    }
    expect((await step('zhujian', id, 'acceptance', { result: 'pass', inspectedOn: today, inspectors: '区住房城乡建委 李工', sitePhotos: [await photoId(t, 'zhujian')] })).statusCode).toBe(200);

    await offered('cadre.rongguang', id, 'rebuildAcceptance');
    let res = await print('cadre.rongguang', id, 'rebuildAcceptance');
    expectA4(res);
    for (const shown of ['农村危房改造竣工验收及补助通知', '统景镇荣光村', '孙危房', 'C级危房', '加固改造', '合格', '¥7,500.00', '由区财政局通过“一卡通”发放至你户账户']) expect(res.body, shown).toContain(shown);
    for (const secret of [hh.idNumber, hh.phone, '承重墙开裂']) expect(res.body, secret).not.toContain(secret);
    // The acceptance's site photo, as its thumbnail.
    expect(res.body).toContain('竣工验收现场照片');
    expect(images(res.body).map((i) => i.caption)).toEqual(['验收现场照片']);

    expect((await step('caizheng', id, 'payment', { amount: 7500, voucherNo: 'YKT-DOC-1', voucher: [await photoId(t, 'caizheng')], paidOn: today })).statusCode).toBe(200);
    res = await eventually(() => print('zhujian', id, 'rebuildAcceptance'), (r) => r.body.includes('已于'), 30_000);
    expect(res.body).toContain(`已于${zh(today)}由区财政局通过“一卡通”发放`);
    expect(res.body).not.toContain('YKT-DOC-1');
  }, 120_000);
});

describe("a village's campaign problem list", () => {
  // Two years ahead: campaign.test.ts starts this year's and security-findings.test.ts next year's (one campaign per year in the namespace).
  const year = Number(day().slice(0, 4)) + 2;
  const town = townCaseId(year, '统景镇');
  const NOTE = '自来水管老化，户主糖尿病需每日用水，联系13912345678';

  it('lists the village\'s problems with the responsible department and deadline, printed from the town\'s case', async () => {
    const input = { year, towns: ['统景镇'], visitEndsOn: `${year}-06-30`, rectifyEndsOn: `${year}-12-31` };
    expect((await t.call('supervisor', { method: 'POST', url: '/api/processes', payload: { type: 'campaign', input } })).statusCode).toBe(201);
    const formable = await eventually(
      () => t.call('town.tongjing', { method: 'GET', url: caseUrl(town) }).then((r) => r.json()),
      (d) => d.openSteps?.some((s: { key: string }) => s.key === 'formTeams'),
      60_000,
    );
    const villages: string[] = formable.state.data.villages.map((v: { village: string }) => v.village);
    expect(villages).toContain('荣光村');
    // Before the teams are formed there is nothing to print.
    expect(await offers('town.tongjing', town)).toEqual([]);
    expect((await step('town.tongjing', town, 'formTeams', { teams: [{ members: ['cadre.rongguang', 'cadre.rongguang2'], villages }] })).statusCode).toBe(200);

    const lists = await offered('town.tongjing', town, 'problemList');
    expect(lists).toContainEqual({ kind: 'problemList', title: '荣光村大走访大排查问题清单', village: '荣光村' });
    let res = await print('town.tongjing', town, 'problemList', `?village=${encodeURIComponent('荣光村')}`);
    expectA4(res);
    expect(res.body).toContain('本村暂未发现问题');
    expect(res.body).not.toContain('<img');

    // A visit finds a water problem; the town's analysis hands it to 区水利局 with a deadline.
    const visit = visitCaseId(year, 'H00000001');
    const items = Object.fromEntries(CHECKLIST_KEYS.map((k) => [k, k === 'water' ? { result: 'fail', note: NOTE } : { result: 'pass' }]));
    const visited = await eventually(() => step('cadre.rongguang', visit, 'campaignVisit', { visitedOn: day(), items }), (r) => r.statusCode === 200, 60_000);
    expect(visited.statusCode, visited.body).toBe(200);
    // The team's second member confirms it (两人一组).
    const confirmed = await eventually(() => step('cadre.rongguang2', visit, 'confirmVisit', { decision: 'confirm' }), (r) => r.statusCode === 200, 60_000);
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    const problem = rectificationId(year, 'H00000001', 'water');
    const analysed = await eventually(() => step('town.tongjing', problem, 'analysis', { category: 'water', measure: '更换入户水管', deadline: day(10) }), (r) => r.statusCode === 200, 60_000);
    expect(analysed.statusCode, analysed.body).toBe(200);

    res = await eventually(() => print('town.tongjing', town, 'problemList', `?village=${encodeURIComponent('荣光村')}`), (r) => r.body.includes('区水利局'), 30_000);
    expectA4(res);
    for (const shown of ['荣光村大走访大排查问题清单', '统景镇荣光村', '饮水安全', '区水利局', zh(day(10)), '整改中', '统景镇人民政府']) expect(res.body, shown).toContain(shown);
    for (const secret of ['13912345678', '糖尿病', NOTE]) expect(res.body, secret).not.toContain(secret);
    expect(res.body).not.toContain('<img');

    // 区水利局 fixes it with a photo: the list then shows it under the problem's number.
    const fixed = await eventually(() => step('shuili', problem, 'fix', { fixedOn: day(), measureTaken: '已更换水管', evidence: [] }), (r) => r.statusCode !== 404 && r.statusCode !== 409, 60_000);
    expect(fixed.statusCode).toBe(422); // the fix needs its evidence
    expect((await step('shuili', problem, 'fix', { fixedOn: day(), measureTaken: '已更换水管', evidence: [await photoId(t, 'shuili')] })).statusCode).toBe(200);
    res = await eventually(() => print('town.tongjing', town, 'problemList', `?village=${encodeURIComponent('荣光村')}`), (r) => r.body.includes('<img'), 30_000);
    expect(res.body).toContain('整改佐证照片');
    expect(images(res.body).map((i) => i.caption)).toEqual(['第1项 ' + res.body.match(/<td>1<\/td><td>([^<]+)<\/td>/)![1]]);

    // The village must be named, and be one of the town's; the town case is the town's (a village cadre does not read it).
    const missing = await print('town.tongjing', town, 'problemList');
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.details[0]).toMatchObject({ field: 'village', rule: 'required' });
    expect((await print('town.tongjing', town, 'problemList', `?village=${encodeURIComponent('吉星村')}`)).statusCode).toBe(404);
    expect((await print('town.gulu', town, 'problemList', `?village=${encodeURIComponent('荣光村')}`)).statusCode).toBe(404);
    expect((await print('supervisor', town, 'problemList', `?village=${encodeURIComponent('荣光村')}`)).statusCode).toBe(200);
  }, 240_000);
});
