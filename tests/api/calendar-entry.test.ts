/**
 * An administrator enters next year's official holidays the day the State Council publishes them
 * (PUT /api/calendar/{year}): the year becomes official for every answer and deadline, and open deadlines
 * that were provisional for that year are recomputed by their cases.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestApp, type TestApp } from '../helpers/app';
import { eventually, newHousehold, RONGGUANG } from '../helpers/integrations';
import { REPO_ROOT } from '../../server/config';
import { shanghaiDate } from '../../calendar/dates';

// A verification step of 60 working days: opened today, its deadline lies in a year with no official schedule.
const policyFile = join(mkdtempSync(join(tmpdir(), 'fangfan-cal-')), 'policy.yaml');
writeFileSync(policyFile, readFileSync(join(REPO_ROOT, 'policy', 'policy.yaml'), 'utf8').replace(/^(\s+homeVerification: )\{ calendarDays: 3 \}/m, '$1{ workingDays: 60 }'));

const YEAR = Number(shanghaiDate(new Date()).slice(0, 4)) + 1;
// Not the real notice: a schedule whose effect on a deadline is easy to see (the whole of January off).
const schedule = (year: number) => ({
  source: `国务院办公厅关于${year}年部分节假日安排的通知（测试）`,
  holidays: Array.from({ length: 31 }, (_, i) => ({ date: `${year}-01-${String(i + 1).padStart(2, '0')}`, name: '元旦' })),
  workdays: [],
});

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ policyFile });
});
afterAll(async () => t?.close());

const put = (as: string, year: number, payload: Record<string, unknown>) => t.call(as, { method: 'PUT', url: `/api/calendar/${year}`, payload });

describe('PUT /api/calendar/{year}', () => {
  it('refuses a schedule that is not one, naming the entry, and changes nothing', async () => {
    const res = await put('admin', YEAR, {
      holidays: [{ date: `${YEAR}-02-30`, name: '春节' }, { date: `${YEAR}-10-01`, name: ' ' }],
      workdays: [`${YEAR}-10-05`, `${YEAR}-10-01`],
    });
    expect(res.statusCode, res.body).toBe(400);
    const details = res.json().error.details as { field: string; rule: string; message: string }[];
    expect(details.map((d) => `${d.field} ${d.rule}`)).toEqual(expect.arrayContaining(['holidays[0].date format', 'holidays[1].name required']));
    // The 5th of October of that year is a weekday or a weekend day: a weekday is refused as a make-up workday.
    const oct5 = new Date(`${YEAR}-10-05T00:00:00Z`).getUTCDay();
    if (oct5 !== 0 && oct5 !== 6) expect(details.find((d) => d.field === 'workdays[0]')?.message).toMatch(/不是周六或周日/);
    expect(details.find((d) => d.field === 'workdays[1]')?.message).toMatch(/已列为放假日|不是周六或周日/);
    expect((await t.call('admin', { method: 'GET', url: `/api/calendar/${YEAR}` })).json().official).toBe(false);
  });

  it('is for administrators only', async () => {
    for (const who of ['supervisor', 'town.tongjing', 'cadre.rongguang']) expect((await put(who, YEAR, schedule(YEAR))).statusCode, who).toBe(403);
    expect((await put('admin', 1999, schedule(1999))).statusCode).toBe(400);
  });

  it("makes the year official, and an open provisional deadline in it moves by the entered holidays (audited)", async () => {
    const hh = (await newHousehold(t, RONGGUANG)).id;
    const started = await t.call('cadre.rongguang', { method: 'POST', url: '/api/processes', payload: { type: 'identification', input: { householdId: hh, channel: 'cadre_check', category: 'marginal', riskTypes: ['lack_of_labour'], description: '缺劳力' } } });
    expect(started.statusCode, started.body).toBe(201);
    const id = started.json().id as string;
    const step = async () => ((await t.call('admin', { method: 'GET', url: `/api/processes/${encodeURIComponent(id)}` })).json().openSteps as { key: string; provisional: boolean; dueAt: string }[]).find((s) => s.key === 'homeVerification');
    const before = await eventually(step, (s) => !!s);
    expect(before!.provisional).toBe(true);

    const res = await put('admin', YEAR, schedule(YEAR));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ year: YEAR, holidays: 31, makeUpWorkdays: 0 });
    expect(res.json().recomputed).toBeGreaterThanOrEqual(1);

    const year = (await t.call('cadre.rongguang', { method: 'GET', url: `/api/calendar/${YEAR}` })).json();
    expect(year).toMatchObject({ official: true, source: schedule(YEAR).source });
    expect(year.holidays).toHaveLength(31);
    const add = (await t.call('cadre.rongguang', { method: 'GET', url: `/api/calendar/add?from=${YEAR - 1}-12-31&workingDays=1` })).json();
    expect(add.provisional).toBe(false);
    expect(new Date(`${add.date}T00:00:00Z`).getUTCMonth()).toBe(1); // the first working day after 31 December is in February

    // The case recomputes its own deadline: no longer provisional, and later by the January entered as days off.
    const after = await eventually(step, (s) => !!s && !s.provisional, 20_000);
    expect(after!.provisional).toBe(false);
    expect(new Date(after!.dueAt).getTime()).toBeGreaterThan(new Date(before!.dueAt).getTime());

    const audit = (await t.call('admin', { method: 'GET', url: `/api/audit?filter=${encodeURIComponent(JSON.stringify({ action: 'calendar_year_entered' }))}` })).json();
    expect(audit.length).toBeGreaterThanOrEqual(1);
  });
});
