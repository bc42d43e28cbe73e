/**
 * A department's long list uploaded as a file (issue 20): a CSV and an Excel workbook of 20,000 rows each
 * are received whole, matched against the register and walked through by the batch's workflow; a file of
 * more records than a batch may hold is refused naming the limit, and a bad cell names its row and column.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import { startTestApp, type TestApp } from '../helpers/app';
import { RONGGUANG, eventually, newHousehold, randomIdNumber } from '../helpers/integrations';

const policyFile = fileURLToPath(new URL('../fixtures/policy-short.yaml', import.meta.url));
const ROWS = 20_000;
let t: TestApp;
/** The register's people the lists name: members of a few households. */
let people: { idNumber: string; name: string }[] = [];

beforeAll(async () => {
  t = await startTestApp({ policyFile });
  const households = await Promise.all([1, 2, 3, 4].map(() => newHousehold(t, RONGGUANG)));
  const seen = new Set<string>();
  while (seen.size < ROWS) seen.add(randomIdNumber());
  people = [...seen].map((idNumber, i) => ({ idNumber, name: `成员${i + 1}` }));
  const now = new Date();
  const rows = people.map((p, i) => ({ household_id: households[i % 4].id, name: p.name, id_number: p.idNumber, relation: 'child', student: false, labour_capacity: 'full', insured: true, created_at: now, updated_at: now }));
  for (let i = 0; i < rows.length; i += 250) await t.db.em().getKnex()('household_member').insert(rows.slice(i, i + 250));
}, 120_000);
afterAll(async () => t?.close());

function upload(file: Buffer, filename: string, kind: string) {
  const boundary = 'exchange-upload-boundary';
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\n${kind}\r\n`),
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`),
    file,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return t.call('canlian', { method: 'POST', url: '/api/data-exchange/batches', payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } });
}

/** The batch once its workflow has walked every record. */
async function finished(id: string) {
  const batch = await eventually(
    async () => (await t.call('canlian', { method: 'GET', url: `/api/data-exchange/batches/${id}` })).json(),
    (b) => b.status === 'done',
    120_000,
  );
  expect(batch.status).toBe('done');
  return batch;
}

describe('uploading a long list', () => {
  it('receives and matches a CSV of 20,000 rows', async () => {
    const csv = ['身份证号,姓名,残疾等级', ...people.map((p) => `${p.idNumber},${p.name},`)].join('\r\n');
    const sent = await upload(Buffer.from(`\ufeff${csv}\r\n`), '新办残疾证.csv', '新办残疾证');
    expect(sent.statusCode, sent.body).toBe(201);
    expect(sent.json()).toMatchObject({ received: ROWS, matched: ROWS, unmatched: 0, warnings: 0 });
    expect(await finished(sent.json().id)).toMatchObject({ received: ROWS, matched: ROWS, processed: ROWS, source: 'upload', kind: '新办残疾证' });
  }, 180_000);

  it('receives and matches an Excel workbook of 20,000 rows', async () => {
    const wb = new ExcelJS.Workbook();
    const sheet = wb.addWorksheet('名单');
    sheet.addRow(['身份证号', '姓名', '人均纯收入（元）']);
    for (const p of people) sheet.addRow([p.idNumber, p.name, 20_000]);
    const sent = await upload(Buffer.from(await wb.xlsx.writeBuffer()), '年度收入.xlsx', '年度收入');
    expect(sent.statusCode, sent.body).toBe(201);
    expect(sent.json()).toMatchObject({ received: ROWS, matched: ROWS, unmatched: 0, warnings: 0 });
    expect(await finished(sent.json().id)).toMatchObject({ received: ROWS, matched: ROWS, processed: ROWS });
  }, 180_000);

  it('refuses a file of more records than a batch holds, naming the limit', async () => {
    const lines = ['身份证号,姓名'];
    for (let i = 0; i <= 100_000; i++) lines.push(`500112196001${String(i).padStart(6, '0')},人员${i}`);
    const sent = await upload(Buffer.from(lines.join('\n')), '名单.csv', '超长名单');
    expect(sent.statusCode, sent.body).toBe(413);
    expect(sent.json().error.details).toEqual([expect.objectContaining({ field: 'file', rule: 'maxRows', message: expect.stringContaining('每批最多 100,000 条记录') })]);
  }, 60_000);

  it('names the row and the column of each cell at fault, in Chinese', async () => {
    const csv = ['身份证号,姓名,残疾等级', `${people[0].idNumber},${people[0].name},2`, `12345,张三,2`, `${people[1].idNumber},,5`].join('\n');
    const sent = await upload(Buffer.from(csv), '名单.csv', '新办残疾证');
    expect(sent.statusCode, sent.body).toBe(400);
    const messages = (sent.json().error.details as { field: string; message: string }[]).map((d) => [d.field, d.message.replace(/ \(.*\)$/, '')]);
    expect(messages).toEqual([
      ['file.row3.idNumber', '第 3 行“身份证号”：须为 18 位身份证号，末位可为 X'],
      ['file.row4.name', '第 4 行“姓名”：必填'],
      ['file.row4.disabilityGrade', '第 4 行“残疾等级”：不能大于 4'],
    ]);
  });
});
