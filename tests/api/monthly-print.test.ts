/**
 * The monthly report's printable summary (GET /api/reports/monthly.html): an A4 page in Chinese with the
 * figures by town, a total row equal to the statistics API's sums, and a bar chart as inline SVG.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shanghaiDate } from '../../calendar/dates';
import { startTestApp, type TestApp } from '../helpers/app';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ worker: false });
});
afterAll(async () => t?.close());

const month = shanghaiDate(new Date()).slice(0, 7);

describe('monthly summary page', () => {
  it('is a Chinese A4 page whose towns and totals are the statistics of the month, with an SVG chart', async () => {
    const res = await t.call('supervisor', { method: 'GET', url: `/api/reports/monthly.html?month=${month}` });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    const html = res.body;
    expect(html).toContain(`${Number(month.slice(0, 4))}年${Number(month.slice(5))}月防止返贫监测汇总`);
    expect(html).toContain('@page { size: A4');
    expect(html).toMatch(/<svg[^>]*role="img"/);
    const stats = (await t.call('supervisor', { method: 'GET', url: `/api/stats/monitoring?groupBy=town&from=${month}-01&to=${shanghaiDate(new Date())}` })).json();
    for (const row of stats) expect(html).toContain(`<td>${row.label}</td>`);
    const monitored = stats.reduce((n: number, r: { monitored: number }) => n + r.monitored, 0);
    expect(html).toMatch(new RegExp(`<tr class="total"><td>合计</td><td>${monitored.toLocaleString('en-US')}</td>`));
    expect(html).not.toMatch(/\bundefined\b|NaN/);
  });

  it('is scoped: a town officer prints its own town only', async () => {
    const html = (await t.call('town.tongjing', { method: 'GET', url: `/api/reports/monthly.html?month=${month}` })).body;
    expect(html).toContain('<td>统景镇</td>');
    expect(html).not.toContain('<td>古路镇</td>');
  });

  it.each([['2026-13', 'format'], ['2999-01', 'range']])('refuses month=%s (400 naming month)', async (m, rule) => {
    const res = await t.call('supervisor', { method: 'GET', url: `/api/reports/monthly.html?month=${m}` });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details[0]).toMatchObject({ field: 'month', rule });
  });
});
