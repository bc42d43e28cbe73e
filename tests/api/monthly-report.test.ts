/**
 * GET /api/reports/monthly.xlsx: the month's report a district is asked for, as a workbook in Chinese, with
 * the same figures the statistics API gives for that month and area, over what the caller may see.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { startTestApp, type TestApp } from '../helpers/app';
import { shanghaiDate } from '../../calendar/dates';
import { Household } from '../../db';
import { recordMonitoringInclusion } from '../../activities/read-model';

let t: TestApp;
const MONTH = shanghaiDate(new Date()).slice(0, 7);
beforeAll(async () => {
  t = await startTestApp({ worker: false });
  // Two households of the demo register included in monitoring this month, in different towns.
  const em = t.db.em();
  const households = await em.find(Household, {}, { orderBy: { id: 'ASC' } });
  const towns = [...new Set(households.map((h) => h.town))].slice(0, 2);
  for (const town of towns) {
    const h = households.find((x) => x.town === town)!;
    await recordMonitoringInclusion(t.db.em(), { householdId: h.id, processId: `helperAssignment:${h.id}:1`, category: 'marginal', riskTypes: ['illness'], includedOn: `${MONTH}-01` });
  }
});
afterAll(async () => t?.close());

async function workbook(as: string, query: string) {
  const res = await t.call(as, { method: 'GET', url: `/api/reports/monthly.xlsx?${query}` });
  expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
  return { res, book };
}

const rowsOf = (sheet: ExcelJS.Worksheet) => {
  const header = (sheet.getRow(1).values as unknown[]).slice(1).map(String);
  const rows: Record<string, unknown>[] = [];
  sheet.eachRow((row, n) => {
    if (n > 1) rows.push(Object.fromEntries(header.map((h, i) => [h, (row.values as unknown[])[i + 1]])));
  });
  return { header, rows };
};

describe('GET /api/reports/monthly.xlsx', () => {
  it('gives a supervisor the whole district by town, village, category and risk type, in Chinese, agreeing with the statistics', async () => {
    const { res, book } = await workbook('supervisor', `month=${MONTH}`);
    expect(decodeURIComponent(String(res.headers['content-disposition']))).toContain(`月度监测报表_${MONTH}.xlsx`);
    expect(book.worksheets.map((s) => s.name)).toEqual(['说明', '各镇情况', '各村情况', '按监测类型', '按风险类型']);
    const cover = rowsOf(book.getWorksheet('说明')!).rows.map((r) => `${r['项目']}：${r['内容']}`);
    expect(cover).toEqual(expect.arrayContaining([`月度监测报表：${MONTH.slice(0, 4)}年${Number(MONTH.slice(5))}月`, '范围：全区']));

    const { header, rows } = rowsOf(book.getWorksheet('各镇情况')!);
    expect(header).toEqual(expect.arrayContaining(['镇', '监测户（现）', '本月新纳入', '本月风险消除', '走访完成率', '帮扶人按时落实率']));
    expect(header.join('')).not.toMatch(/[A-Za-z]/);
    const stats = (await t.call('supervisor', { method: 'GET', url: `/api/stats/monitoring?groupBy=town&from=${MONTH}-01&to=${shanghaiDate(new Date())}` })).json() as { label: string; monitored: number; includedInPeriod: number }[];
    expect(rows.map((r) => r['镇'])).toEqual([...stats.map((s) => s.label), '合计']);
    for (const s of stats) expect(rows.find((r) => r['镇'] === s.label)).toMatchObject({ '监测户（现）': s.monitored, 本月新纳入: s.includedInPeriod });
    const total = rows.at(-1)!;
    expect(total['监测户（现）']).toBe(stats.reduce((n, s) => n + s.monitored, 0));
    expect(total['监测户（现）']).toBeGreaterThanOrEqual(2);
    expect(total['本月新纳入']).toBe(stats.reduce((n, s) => n + s.includedInPeriod, 0));
    expect(total['本月新纳入']).toBeGreaterThanOrEqual(2);
    // A household may carry several risk types: that sheet is not totalled.
    expect(rowsOf(book.getWorksheet('按风险类型')!).rows.map((r) => r['风险类型'])).not.toContain('合计');
  });

  it("gives a town officer its own town's villages only", async () => {
    const { book } = await workbook('town.tongjing', `month=${MONTH}`);
    const villages = rowsOf(book.getWorksheet('各村情况')!).rows.map((r) => String(r['村']));
    expect(villages.length).toBeGreaterThan(1);
    expect(villages.filter((v) => v !== '合计').every((v) => v.startsWith('统景镇'))).toBe(true);
    expect(rowsOf(book.getWorksheet('说明')!).rows.map((r) => r['内容'])).toContain('统景镇');
  });

  it('in English when asked', async () => {
    const { book } = await workbook('supervisor', `month=${MONTH}&lang=en`);
    expect(book.worksheets.map((s) => s.name)).toEqual(['About', 'By town', 'By village', 'By category', 'By risk type']);
  });

  it('refuses a month that is not one, or has not begun, naming month', async () => {
    for (const month of ['2026-13', '2026-1', 'latest', '2999-01']) {
      const res = await t.call('supervisor', { method: 'GET', url: `/api/reports/monthly.xlsx?month=${month}` });
      expect(res.statusCode, month).toBe(400);
      expect(res.json().error.details[0].field).toBe('month');
    }
    expect((await t.call(null, { method: 'GET', url: `/api/reports/monthly.xlsx?month=${MONTH}` })).statusCode).toBe(401);
  });
});
