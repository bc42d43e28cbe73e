/**
 * 家庭成员 over HTTP: a household's members read and written as a whole list by the household's own
 * scope (a cadre of another village sees nothing, a department officer reads them masked and writes
 * nothing), each rule refused with a 400 naming the field, a person of another household a 409,
 * every change audited; and the register workbook's 家庭成员 sheet, exported and imported again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { AuditEntry, HouseholdMember } from '../../db';
import { startTestApp, type TestApp } from '../helpers/app';
import { RONGGUANG, newHousehold, randomIdNumber } from '../helpers/integrations';

let t: TestApp;
let hh: { id: string; idNumber: string };
beforeAll(async () => {
  t = await startTestApp({ worker: false });
  hh = await newHousehold(t, RONGGUANG);
});
afterAll(async () => t?.close());

const CADRE = 'cadre.rongguang';
const url = () => `/api/households/${hh.id}/members`;
const put = (as: string, members: object[]) => t.call(as, { method: 'PUT', url: url(), payload: { members } });
const fields = (res: { json(): any }) => res.json().error.details.map((d: { field: string; rule: string }) => `${d.field}:${d.rule}`);

const spouse = randomIdNumber();
const child = randomIdNumber();
const family = () => [
  { name: '测试户', idNumber: hh.idNumber, relation: 'head' },
  { name: '王配偶', idNumber: spouse, relation: 'spouse', labourCapacity: 'partial', disabilityGrade: 3 },
  { name: '测小明', idNumber: child, relation: 'child', student: true, insured: false },
];

describe('members of a household', () => {
  it('a cadre of the village writes the list; the household counts them; the change is audited', async () => {
    const res = await put(CADRE, family());
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.memberCount).toBe(3);
    expect(body.members.map((m: any) => m.relation)).toEqual(['head', 'spouse', 'child']);
    expect(body.members[1]).toMatchObject({ name: '王配偶', idNumber: spouse, disabilityGrade: 3, labourCapacity: 'partial', student: false, insured: true });
    expect(body.members[2]).toMatchObject({ student: true, insured: false, disabilityGrade: null, labourCapacity: 'full' });
    const entry = await t.db.em().findOne(AuditEntry, { action: 'household_members', target: hh.id, outcome: 'ok' });
    expect(entry?.detail).toMatchObject({ added: 3, removed: 0, members: 3 });
    expect(JSON.stringify(entry?.detail)).not.toContain(spouse);
  });

  it('editing keeps the people and removing one leaves the others', async () => {
    const [head, wife] = family();
    const res = await put(CADRE, [head, { ...wife, labourCapacity: 'none' }]);
    expect(res.statusCode).toBe(200);
    expect(res.json().members).toHaveLength(2);
    expect(res.json().memberCount).toBe(2);
    expect(await t.db.em().count(HouseholdMember, { householdId: hh.id })).toBe(2);
    expect((await put(CADRE, family())).statusCode).toBe(200);
  });

  it('a department officer reads them masked; a cadre of another village sees no such household', async () => {
    const res = await t.call('yibao', { method: 'GET', url: url() });
    expect(res.statusCode).toBe(200);
    expect(res.json().members[1].idNumber).toMatch(/^500112\*{8}\w{4}$/);
    expect((await t.call('yibao', { method: 'PUT', url: url(), payload: { members: family() } })).statusCode).toBe(403);
    expect((await t.call('cadre.jixing', { method: 'GET', url: url() })).statusCode).toBe(404);
    expect((await t.call('town.tongjing', { method: 'GET', url: url() })).json().members[1].idNumber).toBe(spouse);
  });

  it('each rule is refused with the field and the rule, and nothing is written', async () => {
    const [head, wife, kid] = family();
    expect(fields(await put(CADRE, [wife, kid]))).toEqual(['members:oneHead']);
    expect(fields(await put(CADRE, [{ ...head, idNumber: randomIdNumber() }, wife]))).toEqual(['members[0].idNumber:head']);
    expect(fields(await put(CADRE, [head, wife, { ...kid, idNumber: spouse }]))).toEqual(['members[2].idNumber:unique']);
    const wrongCheck = spouse.slice(0, 17) + (spouse[17] === '0' ? '1' : '0');
    expect(fields(await put(CADRE, [head, { ...wife, idNumber: wrongCheck }]))).toEqual(['members[1].idNumber:checkDigit']);
    const bad = await put(CADRE, [head, { ...wife, relation: 'cousin' }]);
    expect(bad.statusCode).toBe(400);
    expect(JSON.stringify(bad.json())).toContain('relation');
    expect((await t.call(CADRE, { method: 'GET', url: url() })).json().members).toHaveLength(3);
  });

  it('a person registered with another household is a conflict', async () => {
    const other = await newHousehold(t, RONGGUANG);
    const res = await t.call(CADRE, { method: 'PUT', url: `/api/households/${other.id}/members`, payload: { members: [{ name: '测试户', idNumber: other.idNumber, relation: 'head' }, { name: '王配偶', idNumber: spouse, relation: 'spouse' }] } });
    expect(res.statusCode).toBe(409);
  });
});

describe('the register workbook', () => {
  it('exports a 家庭成员 sheet in Chinese, and importing it back changes what the sheet changes', async () => {
    const res = await t.call(CADRE, { method: 'GET', url: `/api/households/export.xlsx?filter=${encodeURIComponent(JSON.stringify({ id: [hh.id] }))}` });
    expect(res.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sheet = wb.getWorksheet('家庭成员')!;
    expect(sheet.getRow(1).values).toEqual([undefined, '户编号', '户主身份证号', '姓名', '身份证号', '与户主关系', '在校生', '残疾等级', '劳动能力', '参保']);
    const rows = [2, 3, 4].map((i) => (sheet.getRow(i).values as unknown[]).slice(1));
    expect(rows[1]).toEqual([hh.id, hh.idNumber, '王配偶', spouse, '配偶', '否', '三级', '弱劳动能力', '是']);
    expect(rows[2]).toEqual([hh.id, hh.idNumber, '测小明', child, '子女', '是', '', '有劳动能力', '否']);

    // The child leaves school; a grandchild is born.
    sheet.getRow(4).getCell(6).value = '否';
    const baby = randomIdNumber();
    sheet.addRow([hh.id, hh.idNumber, '测小小', baby, '孙辈', '否', '', '无劳动能力', '是']);
    const file = Buffer.from(await wb.xlsx.writeBuffer());
    const boundary = 'x-fangfan-test';
    const payload = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="农户花名册.xlsx"\r\nContent-Type: application/octet-stream\r\n\r\n`),
      file,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const imported = await t.call(CADRE, { method: 'POST', url: '/api/households/import', payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } });
    expect(imported.statusCode).toBe(200);
    expect(imported.json().members).toEqual({ households: 1, refused: [] });
    const members = (await t.call(CADRE, { method: 'GET', url: url() })).json();
    expect(members.memberCount).toBe(4);
    expect(members.members.find((m: any) => m.name === '测小明').student).toBe(false);
    expect(members.members.find((m: any) => m.name === '测小小')).toMatchObject({ relation: 'grandchild', labourCapacity: 'none' });
  });

  it('the export masks member ID numbers for whoever sees the head masked', async () => {
    const res = await t.call('yibao', { method: 'GET', url: `/api/households/export.xlsx?filter=${encodeURIComponent(JSON.stringify({ id: [hh.id] }))}` });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const ids = (wb.getWorksheet('家庭成员')!.getColumn(4).values as unknown[]).slice(2);
    expect(ids.length).toBeGreaterThan(0);
    for (const v of ids) expect(String(v)).toMatch(/^500112\*{8}\w{4}$/);
  });
});
