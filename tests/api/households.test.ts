/**
 * The household register over HTTP: scope (a cadre sees and edits their village only), masking of ID
 * numbers and phones, each field rule refused with a 400 naming the field (and nothing written),
 * duplicates (409), CSV/XLSX import, the Excel ledger, and the directory lists behind the pickers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { AuditEntry, Household, Process } from '../../db';
import { idCheckChar } from '../../server/validation/id-number';
import { startTestApp, type TestApp } from '../helpers/app';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ worker: false });
});
afterAll(async () => t?.close());

const CADRE = 'cadre.rongguang'; // 统景镇荣光村
const OTHER_CADRE = 'cadre.jixing'; // 古路镇吉星村
const TOWN = 'town.tongjing';
const DEPT = 'yibao';
const SUPERVISOR = 'supervisor';

const RONGGUANG_HH = 'H00000001'; // 张示例, 统景镇荣光村, 50011219580312101X, 13800000001
const JIXING_HH = 'H00000005'; // 古路镇吉星村

/** A valid ID number of 渝北区 for a birth date and a sequence number. */
let seq = 100;
const newIdNumber = (birth = '19800101') => {
  const first17 = `500112${birth}${String(++seq).padStart(3, '0')}`;
  return first17 + idCheckChar(first17);
};
const q = (o: unknown) => encodeURIComponent(JSON.stringify(o));
const total = (res: { headers: Record<string, unknown> }) => Number(String(res.headers['content-range']).split('/')[1]);
const count = () => t.db.em().count(Household, {});

const get = (as: string, url: string) => t.call(as, { method: 'GET', url });
const post = (as: string, url: string, payload: object) => t.call(as, { method: 'POST', url, payload });
const put = (as: string, url: string, payload: object) => t.call(as, { method: 'PUT', url, payload });

const validBody = () => ({
  headName: '赵测试',
  idNumber: newIdNumber(),
  phone: '13812345678',
  town: '统景镇',
  village: '荣光村',
  memberCount: 3,
  status: 'out_of_poverty',
  lowIncomeGroups: ['subsistence_allowance'],
});

function fieldsOf(res: { json(): any }): string[] {
  return res.json().error.details.map((d: { field: string }) => d.field);
}

describe('list and detail: scope', () => {
  it('the supervisor sees the whole register', async () => {
    const res = await get(SUPERVISOR, '/api/households?range=[0,4]');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toHaveLength(5);
    expect(res.headers['content-range']).toMatch(/^households 0-4\/\d+$/);
    expect(total(res)).toBeGreaterThanOrEqual(12);
  });

  it('a village cadre lists only their village, whatever the filter', async () => {
    const res = await get(CADRE, '/api/households?range=[0,99]');
    expect(res.statusCode).toBe(200);
    const rows = res.json() as { town: string; village: string }[];
    expect(rows.length).toBe(total(res));
    expect(total(res)).toBeGreaterThanOrEqual(4);
    expect(rows.every((r) => r.town === '统景镇' && r.village === '荣光村')).toBe(true);
    const other = await get(CADRE, `/api/households?filter=${q({ village: '吉星村' })}`);
    expect(total(other)).toBe(0);
    expect(other.json()).toEqual([]);
  });

  it('a town officer lists their town', async () => {
    const res = await get('town.gulu', '/api/households?range=[0,99]');
    expect(total(res)).toBeGreaterThanOrEqual(3);
    expect((res.json() as { town: string }[]).every((r) => r.town === '古路镇')).toBe(true);
  });

  it("another village's household is unknown to a cadre (404, as one that does not exist); their own is answered with its cases", async () => {
    const refused = await get(CADRE, `/api/households/${JIXING_HH}`);
    expect(refused.statusCode).toBe(404);
    expect(refused.json()).toEqual({ error: { code: 'not_found', message: `农户 ${JIXING_HH} 不存在`, details: [] } });
    // In English when the caller asks for it (Accept-Language), in the same words for both.
    const inEnglish = await t.call(CADRE, { method: 'GET', url: `/api/households/${JIXING_HH}`, headers: { 'accept-language': 'en-GB,en;q=0.9' } });
    expect(inEnglish.json().error.message).toBe('no such household');
    const own = await get(CADRE, `/api/households/${RONGGUANG_HH}`);
    expect(own.statusCode).toBe(200);
    expect(own.json()).toMatchObject({ id: RONGGUANG_HH, town: '统景镇', village: '荣光村', monitoringStatus: 'none', cases: [] });
  });

  it('the detail lists the household\'s cases (those the caller may see)', async () => {
    const em = t.db.em();
    const base = { status: 'running', stage: 'verification', subject: 'H00000003', householdId: 'H00000003', title: '王样本', town: '统景镇', village: '荣光村', revision: 1 };
    em.create(Process, { ...base, id: 'identification:H00000003:1', type: 'identification', startedAt: new Date('2026-01-05T02:00:00Z'), dueDate: '2026-01-20' });
    em.create(Process, { ...base, id: 'illnessRelief:H00000003:1', type: 'illnessRelief', departments: ['区医保局'], startedAt: new Date('2026-02-01T02:00:00Z') });
    await em.flush();
    const res = await get(CADRE, '/api/households/H00000003');
    expect(res.json().cases).toEqual([
      { id: 'illnessRelief:H00000003:1', type: 'illnessRelief', status: 'running', stage: 'verification', startedAt: '2026-02-01T10:00:00.000+08:00', closedAt: null, dueDate: null },
      { id: 'identification:H00000003:1', type: 'identification', status: 'running', stage: 'verification', startedAt: '2026-01-05T10:00:00.000+08:00', closedAt: null, dueDate: '2026-01-20' },
    ]);
    // 区医保局 sees the case its department works on, 区民政局 none
    expect((await get(DEPT, '/api/households/H00000003')).json().cases.map((c: { id: string }) => c.id)).toEqual(['illnessRelief:H00000003:1']);
    expect((await get('minzheng', '/api/households/H00000003')).json().cases).toEqual([]);
  });

  it('an unknown household is 404', async () => {
    expect((await get(SUPERVISOR, '/api/households/H99999999')).statusCode).toBe(404);
  });

  it('filters by status, monitoring status, town, free text and ids (getMany)', async () => {
    const poor = await get(SUPERVISOR, `/api/households?filter=${q({ status: 'out_of_poverty' })}&range=[0,99]`);
    expect((poor.json() as { status: string }[]).every((r) => r.status === 'out_of_poverty')).toBe(true);
    expect(total(poor)).toBeGreaterThanOrEqual(6);
    const none = await get(SUPERVISOR, `/api/households?filter=${q({ monitoringStatus: 'monitored' })}`);
    expect(none.statusCode).toBe(200);
    const byName = await get(SUPERVISOR, `/api/households?filter=${q({ q: '张示例' })}`);
    expect((byName.json() as { id: string }[]).map((r) => r.id)).toEqual([RONGGUANG_HH]);
    const many = await get(SUPERVISOR, `/api/households?filter=${q({ id: [RONGGUANG_HH, JIXING_HH] })}`);
    expect((many.json() as { id: string }[]).map((r) => r.id).sort()).toEqual([RONGGUANG_HH, JIXING_HH]);
    const sorted = await get(SUPERVISOR, `/api/households?sort=${q(['memberCount', 'DESC'])}&range=[0,0]`);
    expect(sorted.json()[0].memberCount).toBeGreaterThanOrEqual(6);
  });

  it('refuses unknown filters and sorts (400)', async () => {
    const bad = await get(SUPERVISOR, `/api/households?filter=${q({ colour: 'red' })}`);
    expect(bad.statusCode).toBe(400);
    expect(fieldsOf(bad)).toEqual(['filter.colour']);
    const badSort = await get(SUPERVISOR, `/api/households?sort=${q(['idNumber', 'ASC'])}`);
    expect(badSort.statusCode).toBe(400);
    const badStatus = await get(SUPERVISOR, `/api/households?filter=${q({ status: 'rich' })}`);
    expect(fieldsOf(badStatus)).toEqual(['filter.status']);
  });
});

describe('masking of ID numbers and phones', () => {
  it('a department officer reads every household, masked', async () => {
    const res = await get(DEPT, `/api/households/${RONGGUANG_HH}`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ idNumber: '500112********101X', phone: '138****0001', idNumberMasked: true });
    const list = await get(DEPT, '/api/households?range=[0,99]');
    expect(total(list)).toBeGreaterThanOrEqual(12);
    // Masked except the department's own business: H00000003 has an illness-relief case of 区医保局 (above).
    for (const h of list.json() as { id: string; idNumber: string }[]) {
      if (h.id === 'H00000003') expect(h.idNumber).toBe('500112196711041156');
      else expect(h.idNumber).toMatch(/^\d{6}\*{8}[\dX]{4}$/);
    }
  });

  it('the village cadre, the town officer and the supervisor see it whole', async () => {
    for (const who of [CADRE, TOWN, SUPERVISOR, 'admin']) {
      const res = await get(who, `/api/households/${RONGGUANG_HH}`);
      expect(res.json(), who).toMatchObject({ idNumber: '50011219580312101X', phone: '13800000001', idNumberMasked: false });
    }
  });

  it('a masked caller cannot find an ID number digit by digit, only by the whole number', async () => {
    const partial = await get(DEPT, `/api/households?filter=${q({ q: '5001121958' })}`);
    expect(total(partial)).toBe(0);
    const whole = await get(DEPT, `/api/households?filter=${q({ q: '50011219580312101X' })}`);
    expect((whole.json() as { id: string }[]).map((r) => r.id)).toEqual([RONGGUANG_HH]);
    const cadre = await get(CADRE, `/api/households?filter=${q({ q: '5001121958' })}`);
    expect((cadre.json() as { id: string }[]).map((r) => r.id)).toEqual([RONGGUANG_HH]);
  });
});

describe('POST /api/households', () => {
  it('a cadre registers a household of their village (201, id H + 8 digits, audited)', async () => {
    const body = validBody();
    const res = await post(CADRE, '/api/households', body);
    expect(res.statusCode, res.body).toBe(201);
    const h = res.json();
    expect(h.id).toMatch(/^H\d{8}$/);
    expect(h).toMatchObject({ ...body, monitoringStatus: 'none', riskTypes: [], cases: [], idNumberMasked: false });
    const row = await t.db.em().findOneOrFail(Household, { id: h.id });
    expect(row.idNumber).toBe(body.idNumber);
    const audits = await t.db.em().find(AuditEntry, { action: 'household_create', target: h.id });
    expect(audits).toHaveLength(1);
    // defaults: ordinary, no groups, no phone
    const minimal = await post(CADRE, '/api/households', { headName: '钱演示', idNumber: newIdNumber('19900615'), town: '统景镇', village: '荣光村', memberCount: 1 });
    expect(minimal.statusCode).toBe(201);
    expect(minimal.json()).toMatchObject({ status: 'ordinary', lowIncomeGroups: [], phone: null });
  });

  it('accepts a lower-case x and a landline', async () => {
    let idNumber = newIdNumber('19720101');
    while (!idNumber.endsWith('X')) idNumber = newIdNumber('19720101');
    const res = await post(CADRE, '/api/households', { ...validBody(), idNumber: idNumber.toLowerCase(), phone: '023-67881234' });
    expect(res.statusCode).toBe(201);
    expect(res.json().idNumber).toBe(idNumber);
  });

  const bad: [string, Record<string, unknown>, string, string?][] = [
    ['wrong check digit', { idNumber: '500112195803121011' }, 'idNumber', 'checkDigit'],
    ['17 characters', { idNumber: '50011219580312101' }, 'idNumber', 'format'],
    ['impossible birth date', { idNumber: (() => { const f = '50011219800230123'; return f + idCheckChar(f); })() }, 'idNumber', 'birthDate'],
    ['bad phone', { phone: '12345' }, 'phone', 'format'],
    ['mobile starting 12', { phone: '12812345678' }, 'phone', 'format'],
    ['unknown town', { town: '不存在镇', village: '荣光村' }, 'town', 'exists'],
    ['village of another town', { village: '吉星村' }, 'village', 'belongsToTown'],
    ['memberCount 0', { memberCount: 0 }, 'memberCount', 'minimum'],
    ['memberCount 31', { memberCount: 31 }, 'memberCount', 'maximum'],
    ['memberCount 2.5', { memberCount: 2.5 }, 'memberCount', 'type'],
    ['memberCount as text', { memberCount: '3' }, 'memberCount', 'type'],
    ['unknown status', { status: 'rich' }, 'status'],
    ['unknown low-income group', { lowIncomeGroups: ['低保户x'] }, 'lowIncomeGroups.0'],
    ['empty name', { headName: '' }, 'headName', 'minLength'],
    ['digits in the name', { headName: '张3' }, 'headName', 'format'],
    ['monitoring status is read-only', { monitoringStatus: 'monitored' }, 'monitoringStatus', 'additionalProperties'],
    ['risk types are read-only', { riskTypes: ['illness'] }, 'riskTypes', 'additionalProperties'],
    ['monitoring category is read-only', { monitoringCategory: 'marginal' }, 'monitoringCategory', 'additionalProperties'],
    ['monitored since is read-only', { monitoredSince: '2025-01-01' }, 'monitoredSince', 'additionalProperties'],
    ['id is generated', { id: 'H12345678' }, 'id', 'additionalProperties'],
  ];
  it.each(bad)('refuses %s: 400 naming the field, nothing written', async (_name, patch, field, rule) => {
    const before = await count();
    const res = await post(CADRE, '/api/households', { ...validBody(), ...patch });
    expect(res.statusCode, res.body).toBe(400);
    const details = res.json().error.details as { field: string; rule: string }[];
    expect(details.map((d) => d.field)).toContain(field);
    if (rule) expect(details.find((d) => d.field === field)?.rule).toBe(rule);
    expect(res.json().error.message).toContain(field.split('.')[0]);
    expect(await count()).toBe(before);
  });

  it('reports every bad field at once', async () => {
    const res = await post(CADRE, '/api/households', { ...validBody(), idNumber: '500112195803121011', phone: '999', town: '统景镇', village: '吉星村' });
    expect(res.statusCode).toBe(400);
    expect(fieldsOf(res).sort()).toEqual(['idNumber', 'phone', 'village']);
  });

  it('a required field missing is a 400 naming it', async () => {
    const { idNumber: _, ...rest } = validBody();
    const res = await post(CADRE, '/api/households', rest);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details).toContainEqual(expect.objectContaining({ field: 'idNumber', rule: 'required' }));
  });

  it('a registered ID number is a 409, nothing written', async () => {
    const before = await count();
    const res = await post(CADRE, '/api/households', { ...validBody(), idNumber: '50011219580312101X' });
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toMatchObject({ code: 'conflict', id: RONGGUANG_HH });
    // someone who may not read the other household is not told its id
    const other = await post(OTHER_CADRE, '/api/households', { ...validBody(), town: '古路镇', village: '吉星村', idNumber: '50011219580312101X' });
    expect(other.statusCode).toBe(409);
    expect(other.json().error).not.toHaveProperty('id');
    expect(await count()).toBe(before);
  });

  it('a cadre may not register in another village, a department officer nowhere (403)', async () => {
    const before = await count();
    expect((await post(CADRE, '/api/households', { ...validBody(), town: '古路镇', village: '吉星村' })).statusCode).toBe(403);
    expect((await post(TOWN, '/api/households', { ...validBody(), town: '古路镇', village: '吉星村' })).statusCode).toBe(403);
    expect((await post(DEPT, '/api/households', validBody())).statusCode).toBe(403);
    expect(await count()).toBe(before);
    expect((await post(TOWN, '/api/households', { ...validBody(), village: '印盒村' })).statusCode).toBe(201);
  });
});

describe('PUT /api/households/{id}', () => {
  let id: string;
  beforeAll(async () => {
    const res = await post(CADRE, '/api/households', validBody());
    id = res.json().id;
  });
  const stored = async () => {
    const h = await t.db.em().findOneOrFail(Household, { id });
    return { headName: h.headName, idNumber: h.idNumber, phone: h.phone, town: h.town, village: h.village, memberCount: h.memberCount, status: h.status, lowIncomeGroups: h.lowIncomeGroups };
  };

  it('changes the fields given and audits which', async () => {
    const res = await put(CADRE, `/api/households/${id}`, { phone: '023-67880000', memberCount: 5, lowIncomeGroups: [] });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ id, phone: '023-67880000', memberCount: 5, lowIncomeGroups: [] });
    expect(await stored()).toMatchObject({ phone: '023-67880000', memberCount: 5, lowIncomeGroups: [] });
    const a = await t.db.em().find(AuditEntry, { action: 'household_update', target: id });
    expect(a.at(-1)?.detail).toEqual({ fields: ['phone', 'memberCount', 'lowIncomeGroups'] });
  });

  it.each([
    [{ idNumber: '500112195803121011' }, 'idNumber'],
    [{ phone: '1381234567' }, 'phone'],
    [{ village: '吉星村' }, 'village'],
    [{ town: '古路镇' }, 'village'], // 荣光村 is not a village of 古路镇
    [{ memberCount: 0 }, 'memberCount'],
    [{ status: 'x' }, 'status'],
    [{ monitoringStatus: 'eliminated' }, 'monitoringStatus'],
    [{ riskTypes: [] }, 'riskTypes'],
    [{}, ''],
  ])('refuses %j: 400 naming %s, nothing changed', async (patch, field) => {
    const before = await stored();
    const res = await put(CADRE, `/api/households/${id}`, patch);
    expect(res.statusCode, res.body).toBe(400);
    if (field) expect(fieldsOf(res)).toContain(field);
    expect(await stored()).toEqual(before);
  });

  it('a registered ID number is a 409', async () => {
    const before = await stored();
    const res = await put(CADRE, `/api/households/${id}`, { idNumber: '500112196207251082' });
    expect(res.statusCode).toBe(409);
    expect(await stored()).toEqual(before);
  });

  it('refuses department officers and moves out of the area (403); to other villages\' cadres the household is unknown (404)', async () => {
    const before = await stored();
    expect((await put(OTHER_CADRE, `/api/households/${id}`, { memberCount: 2 })).statusCode).toBe(404);
    expect((await put(DEPT, `/api/households/${id}`, { memberCount: 2 })).statusCode).toBe(403);
    expect((await put(CADRE, `/api/households/${id}`, { village: '印盒村' })).statusCode).toBe(403);
    expect(await stored()).toEqual(before);
    // the town officer may move it within the town
    const moved = await put(TOWN, `/api/households/${id}`, { village: '印盒村' });
    expect(moved.statusCode).toBe(200);
    expect((await get(CADRE, `/api/households/${id}`)).statusCode).toBe(404);
  });
});

/** A multipart/form-data upload of one file in the field "file". */
function upload(filename: string, content: Buffer, type: string) {
  const boundary = `----fangfan${Math.random().toString(16).slice(2)}`;
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: ${type}\r\n\r\n`;
  return {
    method: 'POST' as const,
    url: '/api/households/import',
    payload: Buffer.concat([Buffer.from(head), content, Buffer.from(`\r\n--${boundary}--\r\n`)]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}
const csv = (lines: string[], bom = true) => Buffer.from(`${bom ? '\uFEFF' : ''}${lines.join('\r\n')}\r\n`, 'utf8');

describe('POST /api/households/import', () => {
  it('CSV with Chinese headers: good rows created or updated, a bad row refused with reasons and nothing else changed', async () => {
    const before = await count();
    const a = newIdNumber('19660301');
    const b = newIdNumber('19770402');
    const file = csv([
      '户主姓名,身份证号,联系电话,镇,村,家庭人口,户类型,低收入群体',
      `导入甲,${a},13900001111,统景镇,荣光村,3,脱贫户,低保户`,
      `导入乙,500112195803121011,13900002222,统景镇,荣光村,2,一般农户,`, // wrong check digit
      `"导入丙",${b},,统景镇,荣光村,4,一般农户,"特困人员、低保边缘家庭"`,
      `李演示,500112196207251082,13900003333,统景镇,荣光村,2,脱贫户,低保户`, // H00000002: update by ID number
      `导入丁,${newIdNumber('19880808')},13900004444,古路镇,吉星村,2,一般农户,`, // outside the cadre's village
      '',
    ]);
    const res = await t.call(CADRE, upload('import.csv', file, 'text/csv'));
    expect(res.statusCode, res.body).toBe(200);
    const report = res.json();
    expect(report).toMatchObject({ format: 'csv', rows: 5, created: 2, updated: 1, unchanged: 0 });
    expect(report.refused).toHaveLength(2);
    expect(report.refused[0].row).toBe(3);
    expect(report.refused[0].reasons.join(' ')).toMatch(/^idNumber: .*check digit/);
    expect(report.refused[1].row).toBe(6);
    expect(report.refused[1].reasons.join(' ')).toMatch(/outside your area/);
    expect(await count()).toBe(before + 2);
    const em = t.db.em();
    expect(await em.findOne(Household, { idNumber: '500112195803121011' })).toBeNull();
    expect(await em.findOneOrFail(Household, { idNumber: a })).toMatchObject({ headName: '导入甲', status: 'out_of_poverty', lowIncomeGroups: ['subsistence_allowance'] });
    expect(await em.findOneOrFail(Household, { idNumber: b })).toMatchObject({ phone: null, lowIncomeGroups: ['extremely_poor', 'near_subsistence'] });
    expect(await em.findOneOrFail(Household, { id: 'H00000002' })).toMatchObject({ phone: '13900003333' });
    const audit = await em.find(AuditEntry, { action: 'import', actorId: CADRE });
    expect(audit.at(-1)).toMatchObject({ outcome: 'ok', detail: expect.objectContaining({ rows: 5, refused: [3, 6] }) });
  });

  it('CSV without BOM, English headers, duplicate ID numbers within the file refused', async () => {
    const a = newIdNumber('19700707');
    const file = csv(['headName,idNumber,phone,town,village,memberCount,status', `Import A,${a},,统景镇,荣光村,2,ordinary`, `导入重复,${a},,统景镇,荣光村,2,ordinary`], false);
    const res = await t.call(TOWN, upload('households.csv', file, 'text/csv'));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ created: 1, refused: [{ row: 3, reasons: [expect.stringMatching(/repeats row 2/)] }] });
  });

  it('XLSX, with a title row above the header and the export\'s read-only columns ignored', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('台账');
    const a = newIdNumber('19830303');
    ws.addRow(['荣光村农户台账']);
    ws.addRow(['户主姓名', '身份证号', '联系电话', '镇', '村', '家庭人口', '户类型', '监测状态']);
    ws.addRow(['表格甲', a, '13700001234', '统景镇', '荣光村', 3, '脱贫户', '监测户']);
    ws.addRow(['表格乙', 500112198303031234, '', '统景镇', '荣光村', 2, '一般农户', '']); // ID number stored as a number
    const buf = Buffer.from(await wb.xlsx.writeBuffer());
    const res = await t.call(CADRE, upload('import.xlsx', buf, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ format: 'xlsx', created: 1, ignoredColumns: ['监测状态'], refused: [{ row: 4, reasons: [expect.stringMatching(/^idNumber: .*number/)] }] });
    const h = await t.db.em().findOneOrFail(Household, { idNumber: a });
    expect(h).toMatchObject({ headName: '表格甲', memberCount: 3, monitoringStatus: 'none' });
  });

  it('refuses a file it cannot use (400) and callers who may not edit (403)', async () => {
    const unknownColumn = await t.call(CADRE, upload('x.csv', csv(['户主姓名,身份证号,镇,村,家庭人口,颜色', '甲,1,统景镇,荣光村,1,红']), 'text/csv'));
    expect(unknownColumn.statusCode).toBe(400);
    expect(fieldsOf(unknownColumn)).toEqual(['column 颜色']);
    const missing = await t.call(CADRE, upload('x.csv', csv(['户主姓名,镇,村,家庭人口', '甲,统景镇,荣光村,1']), 'text/csv'));
    expect(missing.statusCode).toBe(400);
    expect(fieldsOf(missing)).toEqual(['column 身份证号']);
    const gbk = await t.call(CADRE, upload('x.csv', Buffer.from([0xbb, 0xa7, 0xd6, 0xf7, 0x2c, 0x0a]), 'text/csv'));
    expect(gbk.statusCode).toBe(400);
    expect(fieldsOf(gbk)).toEqual(['file']);
    const notMultipart = await post(CADRE, '/api/households/import', { rows: [] });
    expect(notMultipart.statusCode).toBe(415);
    const dept = await t.call(DEPT, upload('x.csv', csv(['户主姓名,身份证号,镇,村,家庭人口']), 'text/csv'));
    expect(dept.statusCode).toBe(403);
  });
});

async function readWorkbook(body: Buffer) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(body as unknown as ArrayBuffer);
  const ws = wb.worksheets[0];
  const rows: unknown[][] = [];
  ws.eachRow((r) => rows.push((r.values as unknown[]).slice(1)));
  return rows;
}

describe('GET /api/households/export.xlsx', () => {
  it('answers a valid workbook with Chinese headers and the caller\'s rows', async () => {
    const res = await get(CADRE, `/api/households/export.xlsx?filter=${q({ status: 'out_of_poverty' })}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    expect(res.headers['content-disposition']).toBe(`attachment; filename="Household-register_${today}.xlsx"; filename*=UTF-8''${encodeURIComponent(`农户花名册_${today}.xlsx`)}`);
    const rows = await readWorkbook(res.rawPayload);
    expect(rows[0].slice(0, 9)).toEqual(['户编号', '户主姓名', '身份证号', '联系电话', '镇', '村', '家庭人口', '户类型', '低收入群体']);
    expect(rows[0]).toContain('监测状态');
    const list = await get(CADRE, `/api/households?filter=${q({ status: 'out_of_poverty' })}`);
    expect(rows.length - 1).toBe(total(list));
    const first = rows.find((r) => r[0] === RONGGUANG_HH)!;
    expect(first.slice(0, 8)).toEqual([RONGGUANG_HH, '张示例', '50011219580312101X', '13800000001', '统景镇', '荣光村', 4, '脱贫户']);
    expect(rows.slice(1).every((r) => r[5] === '荣光村' && r[7] === '脱贫户')).toBe(true);
  });

  it('masks for a department officer, and refuses unknown filters', async () => {
    const res = await get(DEPT, `/api/households/export.xlsx?filter=${q({ village: '荣光村' })}`);
    expect(res.statusCode).toBe(200);
    const rows = await readWorkbook(res.rawPayload);
    expect(rows.find((r) => r[0] === RONGGUANG_HH)?.slice(2, 4)).toEqual(['500112********101X', '138****0001']);
    expect((await get(DEPT, `/api/households/export.xlsx?filter=${q({ nope: 1 })}`)).statusCode).toBe(400);
  });
});

describe('directory: villages and users', () => {
  it('lists the villages of a town, the key villages marked', async () => {
    const res = await get(CADRE, `/api/villages?filter=${q({ town: '统景镇' })}&range=[0,99]`);
    expect(res.statusCode).toBe(200);
    const rows = res.json() as { town: string; name: string; key: boolean }[];
    expect(total(res)).toBe(rows.length);
    expect(rows.length).toBeGreaterThanOrEqual(3);
    expect(rows).toContainEqual(expect.objectContaining({ town: '统景镇', name: '荣光村', key: true }));
    const all = await get(CADRE, '/api/villages?range=[0,999]');
    const towns = new Set((all.json() as { town: string }[]).map((v) => v.town));
    expect(towns.size).toBe(11);
    const keys = (all.json() as { town: string; name: string; key: boolean }[]).filter((v) => v.key).map((v) => v.town + v.name).sort();
    expect(keys).toEqual(['古路镇吉星村', '大湾镇龙洞岩村', '大盛镇隆仁村', '统景镇荣光村', '茨竹镇方家沟村'].sort());
  });

  it('lists users without password hashes; a cadre sees their own town only', async () => {
    const res = await get(CADRE, '/api/users?range=[0,99]');
    expect(res.statusCode).toBe(200);
    const users = res.json() as Record<string, unknown>[];
    expect(users.map((u) => u.id).sort()).toEqual(['cadre.rongguang', 'cadre.rongguang2', 'info.rongguang', 'info.tongjing', 'town.tongjing']);
    for (const u of users) expect(Object.keys(u).sort()).toEqual(['active', 'department', 'id', 'name', 'post', 'roles', 'town', 'username', 'village']);
    const cadres = await get(SUPERVISOR, `/api/users?filter=${q({ role: 'village_cadre' })}`);
    expect((cadres.json() as { id: string }[]).map((u) => u.id).sort()).toEqual(['cadre.jixing', 'cadre.rongguang', 'cadre.rongguang2']);
    const byVillage = await get(TOWN, `/api/users?filter=${q({ village: '荣光村' })}`);
    expect(total(byVillage)).toBe(3); // two village cadres and the village's information officer
    expect((await get(SUPERVISOR, `/api/users?filter=${q({ role: 'king' })}`)).statusCode).toBe(400);
  });
});

describe('POST /api/villages', () => {
  it('lets an admin register a village (then households can live there), refuses duplicates and everyone else', async () => {
    const res = await t.call('admin', { method: 'POST', url: '/api/villages', payload: { town: '统景镇', name: '新登记村' } });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ town: '统景镇', name: '新登记村', key: false });
    expect((await t.call('admin', { method: 'POST', url: '/api/villages', payload: { town: '统景镇', name: '新登记村' } })).statusCode).toBe(409);
    expect((await t.call('supervisor', { method: 'POST', url: '/api/villages', payload: { town: '统景镇', name: '另一村' } })).statusCode).toBe(403);
    const bad = await t.call('admin', { method: 'POST', url: '/api/villages', payload: { town: '统景镇', name: ' ' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0].field).toBe('name');
    const list = await t.call('cadre.rongguang', { method: 'GET', url: `/api/villages?filter=${encodeURIComponent(JSON.stringify({ town: '统景镇', q: '新登记' }))}` });
    expect(list.json().map((v: { name: string }) => v.name)).toEqual(['新登记村']);
  });
});
