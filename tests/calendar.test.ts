import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import {
  computeDue,
  endOfShanghaiDay,
  loadCalendar,
  parseIsoDuration,
  shanghaiDate,
  validateDueRule,
  type WorkingCalendar,
} from '../calendar/index.js';
import { lunarFestivalDates, qingmingDate } from '../calendar/chineseDays.js';

const cal: WorkingCalendar = loadCalendar();

/** Shanghai wall-clock time → instant. */
const sh = (local: string) => new Date(`${local}+08:00`);

const tmp = mkdtempSync(join(tmpdir(), 'fangfan-calendar-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let fileNo = 0;
function calendarFile(yaml: string): string {
  const file = join(tmp, `official-${++fileNo}.yaml`);
  writeFileSync(file, yaml);
  return file;
}

describe('official data from chinese-days', () => {
  it('covers 2004–2026 (chinese-days 1.5.7) and nothing later', () => {
    const years = cal.officialYears();
    expect(years[0]).toBe(2004);
    expect(years.at(-1)).toBe(2026);
    expect(years).toHaveLength(2026 - 2004 + 1);
    expect(cal.year(2026).official).toBe(true);
    expect(cal.year(2027).official).toBe(false);
  });

  it('does not trust the package for an unpublished year: 1 January 2027 is a (provisional) holiday', () => {
    expect(cal.day('2027-01-01')).toEqual({
      date: '2027-01-01',
      workday: false,
      kind: 'holiday',
      name: '元旦',
      provisional: true,
    });
  });

  it('2026 National Day / Mid-Autumn: Oct 1–7 off, Sun Sep 20 and Sat Oct 10 are make-up workdays', () => {
    const y = cal.year(2026);
    expect(y.source).toContain('2026年部分节假日安排');
    const national = y.holidays.filter((h) => h.name === '国庆节').map((h) => h.date);
    expect(national).toEqual([
      '2026-10-01',
      '2026-10-02',
      '2026-10-03',
      '2026-10-04',
      '2026-10-05',
      '2026-10-06',
      '2026-10-07',
    ]);
    expect(y.holidays.filter((h) => h.name === '中秋节').map((h) => h.date)).toEqual([
      '2026-09-25',
      '2026-09-26',
      '2026-09-27',
    ]);
    expect(y.makeUpWorkdays).toEqual([
      { date: '2026-01-04', name: '元旦' },
      { date: '2026-02-14', name: '春节' },
      { date: '2026-02-28', name: '春节' },
      { date: '2026-05-09', name: '劳动节' },
      { date: '2026-09-20', name: '国庆节' },
      { date: '2026-10-10', name: '国庆节' },
    ]);
    expect(cal.day('2026-09-20')).toMatchObject({ workday: true, kind: 'makeUpWorkday', provisional: false });
    expect(cal.day('2026-10-10')).toMatchObject({ workday: true, kind: 'makeUpWorkday', provisional: false });
    expect(cal.day('2026-10-11')).toMatchObject({ workday: false, kind: 'weekend' });
    expect(cal.day('2026-10-05')).toMatchObject({ workday: false, kind: 'holiday', name: '国庆节' });
    expect(cal.day('2026-09-29')).toMatchObject({ workday: true, kind: 'workday' });
  });

  it('10 working days from Monday 2026-09-28 end on Friday 2026-10-16, counting Saturday Oct 10', () => {
    // 9/29, 9/30, [10/1–10/7 off], 10/8, 10/9, 10/10 (Sat, make-up), 10/12, 10/13, 10/14, 10/15, 10/16
    expect(cal.addWorkingDays('2026-09-28', 10)).toEqual({ date: '2026-10-16', provisional: false });
    expect(cal.addWorkingDays('2026-09-28', 5)).toEqual({ date: '2026-10-10', provisional: false });
    const due = computeDue({ workingDays: 10 }, sh('2026-09-28T09:30:00'), cal);
    expect(due).toEqual({ dueAt: '2026-10-16T23:59:59.999+08:00', dueDate: '2026-10-16', provisional: false });
  });

  it('2026 Spring Festival: Feb 15–23 off, Sat Feb 14 and Sat Feb 28 are make-up workdays', () => {
    const spring = cal
      .year(2026)
      .holidays.filter((h) => h.name === '春节')
      .map((h) => h.date);
    expect(spring).toEqual([
      '2026-02-15',
      '2026-02-16',
      '2026-02-17',
      '2026-02-18',
      '2026-02-19',
      '2026-02-20',
      '2026-02-21',
      '2026-02-22',
      '2026-02-23',
    ]);
    // from Monday 2026-02-09: 2/10, 2/11, 2/12, 2/13, 2/14 (Sat, make-up), [2/15–2/23 off], 2/24, 2/25, 2/26, 2/27, 2/28 (Sat, make-up)
    expect(cal.addWorkingDays('2026-02-09', 10)).toEqual({ date: '2026-02-28', provisional: false });
    expect(cal.addWorkingDays('2026-02-13', 1)).toEqual({ date: '2026-02-14', provisional: false });
    expect(cal.addWorkingDays('2026-02-14', 1)).toEqual({ date: '2026-02-24', provisional: false });
  });

  it('applies a 元旦 break that starts in the previous December (2023 notice → 2022-12-31)', () => {
    expect(cal.day('2022-12-31')).toMatchObject({ kind: 'holiday', name: '元旦', provisional: false });
    expect(cal.year(2022).holidays).toContainEqual({ date: '2022-12-31', name: '元旦' });
    expect(cal.day('2011-12-31')).toMatchObject({ kind: 'makeUpWorkday', workday: true }); // 2012 notice
  });
});

describe('working and calendar day arithmetic', () => {
  it('does not count the opening day', () => {
    expect(cal.addWorkingDays('2026-09-28', 1)).toEqual({ date: '2026-09-29', provisional: false });
    // opened late on Tuesday 9/29 (15:00Z is 23:00 in Shanghai): 1 working day → Wednesday 9/30
    expect(computeDue({ workingDays: 1 }, new Date('2026-09-29T15:00:00Z'), cal).dueDate).toBe('2026-09-30');
    // opened at 00:30 on 10/1 (still 9/30 in UTC): 1 working day → 10/8
    expect(computeDue({ workingDays: 1 }, new Date('2026-09-30T16:30:00Z'), cal).dueDate).toBe('2026-10-08');
  });

  it('addWorkingDays(from, 0) is `from` if it is a working day, else the next working day', () => {
    expect(cal.addWorkingDays('2026-09-30', 0)).toEqual({ date: '2026-09-30', provisional: false });
    expect(cal.addWorkingDays('2026-10-03', 0)).toEqual({ date: '2026-10-08', provisional: false });
    expect(cal.addWorkingDays('2026-10-10', 0)).toEqual({ date: '2026-10-10', provisional: false });
  });

  it('rejects bad arguments', () => {
    expect(() => cal.addWorkingDays('2026-09-28', -1)).toThrow(/non-negative integer/);
    expect(() => cal.addWorkingDays('2026-09-28', 1.5)).toThrow(/integer/);
    expect(() => cal.addWorkingDays('2026-02-30', 1)).toThrow(/YYYY-MM-DD/);
    expect(() => cal.day('2026-9-28')).toThrow(/YYYY-MM-DD/);
    expect(() => cal.year(1999)).toThrow(/outside/);
  });

  it('calendar-day rule: end of the Nth calendar day after the opening day', () => {
    expect(cal.addCalendarDays('2026-01-30', 3)).toEqual({ date: '2026-02-02', provisional: false });
    expect(computeDue({ calendarDays: 7 }, sh('2026-09-28T10:00:00'), cal)).toEqual({
      dueAt: '2026-10-05T23:59:59.999+08:00',
      dueDate: '2026-10-05',
      provisional: false, // calendar days never depend on the holiday schedule
    });
    expect(computeDue({ calendarDays: 0 }, sh('2026-09-28T10:00:00'), cal).dueAt).toBe('2026-09-28T23:59:59.999+08:00');
    // 2028-12-31T17:00Z is already 2029-01-01 in Shanghai
    expect(computeDue({ calendarDays: 30 }, new Date('2028-12-31T17:00:00Z'), cal).dueDate).toBe('2029-01-31');
  });

  it('end-of-month rule uses the Shanghai month of the opening instant', () => {
    expect(computeDue({ endOfMonth: true }, sh('2026-02-10T08:00:00'), cal)).toEqual({
      dueAt: '2026-02-28T23:59:59.999+08:00',
      dueDate: '2026-02-28',
      provisional: false,
    });
    // 2026-01-31T16:30Z is 1 February 00:30 in Shanghai
    expect(computeDue({ endOfMonth: true }, new Date('2026-01-31T16:30:00Z'), cal).dueDate).toBe('2026-02-28');
    expect(computeDue({ endOfMonth: true }, sh('2028-02-01T00:00:00'), cal).dueDate).toBe('2028-02-29');
    expect(computeDue({ endOfMonth: true }, sh('2026-12-31T23:59:59'), cal).dueDate).toBe('2026-12-31');
  });

  it('duration rule adds the exact duration to the opening instant', () => {
    expect(computeDue({ duration: 'PT2M' }, new Date('2026-09-30T15:59:00Z'), cal)).toEqual({
      dueAt: '2026-10-01T00:01:00.000+08:00',
      dueDate: '2026-10-01',
      provisional: false,
    });
    expect(computeDue({ duration: 'PT36H' }, sh('2026-09-28T10:15:30.250'), cal).dueAt).toBe(
      '2026-09-29T22:15:30.250+08:00',
    );
    expect(computeDue({ duration: 'P3D' }, sh('2026-09-30T12:00:00'), cal).dueAt).toBe('2026-10-03T12:00:00.000+08:00');
  });
});

describe('Shanghai dates and instants', () => {
  it('shanghaiDate of 2026-09-30T16:30Z is 2026-10-01', () => {
    expect(shanghaiDate(new Date('2026-09-30T16:30:00Z'))).toBe('2026-10-01');
    expect(shanghaiDate(new Date('2026-09-30T15:59:59.999Z'))).toBe('2026-09-30');
  });

  it('endOfShanghaiDay', () => {
    expect(endOfShanghaiDay('2026-10-16')).toBe('2026-10-16T23:59:59.999+08:00');
    expect(new Date(endOfShanghaiDay('2026-10-16')).toISOString()).toBe('2026-10-16T15:59:59.999Z');
  });
});

describe('parseIsoDuration and validateDueRule', () => {
  it('parses weeks, days, hours, minutes, seconds and combinations', () => {
    expect(parseIsoDuration('PT2M')).toBe(120_000);
    expect(parseIsoDuration('PT36H')).toBe(36 * 3_600_000);
    expect(parseIsoDuration('P3D')).toBe(3 * 86_400_000);
    expect(parseIsoDuration('P1W')).toBe(7 * 86_400_000);
    expect(parseIsoDuration('P1DT2H3M4S')).toBe(86_400_000 + 2 * 3_600_000 + 3 * 60_000 + 4_000);
    expect(parseIsoDuration('PT1.5S')).toBe(1_500);
  });

  it('rejects years, months and malformed input', () => {
    expect(() => parseIsoDuration('P1Y')).toThrow(/years or months/);
    expect(() => parseIsoDuration('P1M')).toThrow(/years or months/);
    for (const bad of ['', 'P', 'PT', '3D', 'P-1D', 'PT1.5H30M', 'P1DT', 'PT2X']) {
      expect(() => parseIsoDuration(bad), bad).toThrow();
    }
  });

  it('validates due rules and names the path and the rule', () => {
    expect(validateDueRule({ workingDays: 10 }, 'x')).toEqual({ workingDays: 10 });
    expect(validateDueRule({ calendarDays: 0 }, 'x')).toEqual({ calendarDays: 0 });
    expect(validateDueRule({ duration: 'PT2M' }, 'x')).toEqual({ duration: 'PT2M' });
    expect(validateDueRule({ endOfMonth: true }, 'x')).toEqual({ endOfMonth: true });
    const path = 'policies.monitoring.steps[2].due';
    const cases: [unknown, RegExp][] = [
      [{ workingDay: 10 }, /unknown key "workingDay"/],
      [{ workingDays: -1 }, /integer/],
      [{ workingDays: '10' }, /integer/],
      [{ workingDays: 3, calendarDays: 2 }, /several rules/],
      [{ duration: 'P1M' }, /years or months/],
      [{ duration: 'PT0S' }, /longer than zero/],
      [{ endOfMonth: false }, /endOfMonth must be true/],
      [{}, /no rule/],
      ['P3D', /not an object/],
      [null, /not an object/],
    ];
    for (const [rule, why] of cases) {
      let message = '';
      try {
        validateDueRule(rule, path);
      } catch (e) {
        message = (e as Error).message;
      }
      expect(message, JSON.stringify(rule)).toMatch(why);
      expect(message).toContain(path);
      expect(message).toContain(JSON.stringify(rule));
    }
  });
});

describe('provisional years (no official notice)', () => {
  it('2028: weekends + statutory holidays, flagged provisional', () => {
    const y = cal.year(2028);
    expect(y.official).toBe(false);
    expect(y.makeUpWorkdays).toEqual([]);
    // Lunar New Year 2028 is 26 January → 除夕 25 January; 清明 4 April; 端午 28 May; 中秋 3 October (= 国庆)
    expect(y.holidays).toEqual([
      { date: '2028-01-01', name: '元旦' },
      { date: '2028-01-25', name: '春节' },
      { date: '2028-01-26', name: '春节' },
      { date: '2028-01-27', name: '春节' },
      { date: '2028-01-28', name: '春节' },
      { date: '2028-04-04', name: '清明节' },
      { date: '2028-05-01', name: '劳动节' },
      { date: '2028-05-02', name: '劳动节' },
      { date: '2028-05-28', name: '端午节' },
      { date: '2028-10-01', name: '国庆节' },
      { date: '2028-10-02', name: '国庆节' },
      { date: '2028-10-03', name: '国庆节、中秋节' },
    ]);
    expect(cal.day('2028-03-01')).toEqual({ date: '2028-03-01', workday: true, kind: 'workday', provisional: true });
    expect(cal.day('2028-01-25')).toMatchObject({ kind: 'holiday', name: '春节', provisional: true });
  });

  it('2029: 除夕 12 Feb, 春节 13–15 Feb, 清明 4 Apr, 端午 16 Jun, 中秋 22 Sep', () => {
    const byName = (name: string) =>
      cal
        .year(2029)
        .holidays.filter((h) => h.name === name)
        .map((h) => h.date);
    expect(byName('春节')).toEqual(['2029-02-12', '2029-02-13', '2029-02-14', '2029-02-15']);
    expect(byName('清明节')).toEqual(['2029-04-04']);
    expect(byName('端午节')).toEqual(['2029-06-16']);
    expect(byName('中秋节')).toEqual(['2029-09-22']);
  });

  it('its lunar and solar-term dates are days off in every official schedule 2008–2026', () => {
    // independent check against the State Council notices (via chinese-days' holiday data)
    for (let year = 2008; year <= 2026; year++) {
      const l = lunarFestivalDates(year);
      const days = { 正月初一: l.springFestival, 清明: qingmingDate(year), 端午: l.duanwu, 中秋: l.zhongqiu };
      // 除夕 and 2 May became statutory days off in 2025
      if (year >= 2025) Object.assign(days, { 除夕: l.chuxi, '5月2日': `${year}-05-02` });
      for (const [what, date] of Object.entries(days)) {
        expect(cal.day(date), `${year} ${what} ${date}`).toMatchObject({ workday: false, provisional: false });
      }
    }
  });

  it('working-day results that touch a provisional year are flagged', () => {
    // Thursday 2026-12-31 + 1 working day: 2027-01-01 is 元旦 (provisional), so Monday 2027-01-04
    expect(cal.addWorkingDays('2026-12-31', 1)).toEqual({ date: '2027-01-04', provisional: true });
    expect(cal.addWorkingDays('2026-12-30', 1)).toEqual({ date: '2026-12-31', provisional: false });
    expect(computeDue({ workingDays: 3 }, sh('2028-01-21T10:00:00'), cal)).toEqual({
      // Fri 1/21 → Mon 1/24 (1), [1/25–1/28 春节, 1/29–30 weekend], Mon 1/31 (2), Tue 2/1 (3)
      dueAt: '2028-02-01T23:59:59.999+08:00',
      dueDate: '2028-02-01',
      provisional: true,
    });
  });

  it('gives the same answers whatever the machine time zone', () => {
    const saved = process.env.TZ;
    try {
      for (const tz of ['America/Los_Angeles', 'Pacific/Kiritimati', 'UTC']) {
        process.env.TZ = tz;
        const c = loadCalendar();
        expect(c.year(2028).holidays, tz).toEqual(cal.year(2028).holidays);
        expect(c.year(2029).holidays, tz).toEqual(cal.year(2029).holidays);
        expect(c.addWorkingDays('2026-09-28', 10).date, tz).toBe('2026-10-16');
        expect(shanghaiDate(new Date('2026-09-30T16:30:00Z')), tz).toBe('2026-10-01');
      }
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });
});

describe('official.yaml', () => {
  const valid2031 = `
years:
  2031:
    source: 国务院办公厅关于2031年部分节假日安排的通知（测试数据）
    holidays:
      - name: 元旦
        dates: [2030-12-31, 2031-01-01]
      - name: 春节
        dates: [2031-01-22..2031-01-28]
    makeUpWorkdays:
      - name: 春节
        dates: [2031-01-18, 2031-02-08]
`;

  it('a year in the file becomes official and its make-up workdays count', () => {
    const c = loadCalendar({ file: calendarFile(valid2031) });
    expect(c.officialYears()).toContain(2031);
    const y = c.year(2031);
    expect(y.official).toBe(true);
    expect(y.source).toContain('2031年部分节假日安排');
    expect(y.makeUpWorkdays).toEqual([
      { date: '2031-01-18', name: '春节' },
      { date: '2031-02-08', name: '春节' },
    ]);
    expect(c.day('2031-01-18')).toEqual({
      date: '2031-01-18',
      workday: true,
      kind: 'makeUpWorkday',
      name: '春节',
      provisional: false,
    });
    // Fri 2031-01-17 + 1 working day is Saturday 1/18 (make-up); + 2 skips 1/19 (Sun) to Mon 1/20
    expect(c.addWorkingDays('2031-01-17', 1)).toEqual({ date: '2031-01-18', provisional: false });
    expect(c.addWorkingDays('2031-01-17', 2)).toEqual({ date: '2031-01-20', provisional: false });
    // Tue 1/21 + 1: 1/22–1/28 off → Wed 1/29
    expect(c.addWorkingDays('2031-01-21', 1)).toEqual({ date: '2031-01-29', provisional: false });
    // without the file the same year is provisional
    expect(cal.year(2031).official).toBe(false);
    expect(cal.day('2031-01-18')).toMatchObject({ workday: false, kind: 'weekend', provisional: true });
  });

  it('a notice reaching into the previous December applies there', () => {
    const c = loadCalendar({ file: calendarFile(valid2031) });
    expect(c.day('2030-12-31')).toEqual({
      date: '2030-12-31',
      workday: false,
      kind: 'holiday',
      name: '元旦',
      provisional: true, // 2030 itself still has no official notice
    });
    expect(c.year(2030).holidays).toContainEqual({ date: '2030-12-31', name: '元旦' });
  });

  it('a year in the file replaces chinese-days for that year', () => {
    const c = loadCalendar({
      file: calendarFile(`
years:
  2026:
    source: corrected 2026 notice (test)
    holidays:
      - name: 国庆节
        dates: ["2026-10-01..2026-10-03"]
    makeUpWorkdays: []
`),
    });
    expect(c.year(2026)).toMatchObject({ official: true, source: 'corrected 2026 notice (test)', makeUpWorkdays: [] });
    expect(c.isWorkday('2026-10-05')).toBe(true);
    expect(c.isWorkday('2026-10-10')).toBe(false);
    expect(c.isWorkday('2026-02-16')).toBe(true);
  });

  it('CALENDAR_FILE overrides the default file', () => {
    const saved = process.env.CALENDAR_FILE;
    try {
      process.env.CALENDAR_FILE = calendarFile(valid2031);
      expect(loadCalendar().year(2031).official).toBe(true);
    } finally {
      if (saved === undefined) delete process.env.CALENDAR_FILE;
      else process.env.CALENDAR_FILE = saved;
    }
  });

  it('the shipped file has no years and its commented example is valid', () => {
    const shipped = fileURLToPath(new URL('../calendar/official.yaml', import.meta.url));
    const text = readFileSync(shipped, 'utf8');
    expect(loadCalendar({ file: shipped }).officialYears().at(-1)).toBe(2026);
    const lines = text.split('\n');
    const start = lines.findIndex((l) => l.startsWith('# years:'));
    expect(start).toBeGreaterThan(0);
    const example = lines
      .slice(start)
      .filter((l) => l.startsWith('#'))
      .map((l) => l.replace(/^# ?/, ''))
      .join('\n');
    const c = loadCalendar({ file: calendarFile(example) });
    expect(c.year(2031).official).toBe(true);
    expect(c.isWorkday('2031-09-28')).toBe(true);
  });

  const invalid: [string, string, RegExp][] = [
    [
      'a date that does not exist',
      valid2031.replace('2031-01-22..2031-01-28', '2031-02-30'),
      /years\.2031\.holidays\[1\]\.dates\[0\]: "2031-02-30" is not a real calendar date/,
    ],
    [
      'a date both holiday and make-up workday',
      valid2031.replace('[2031-01-18, 2031-02-08]', '[2031-01-25, 2031-02-08]'),
      /years\.2031\.makeUpWorkdays: 2031-01-25 is listed both as a holiday \(春节\) and as a make-up workday/,
    ],
    [
      'a make-up workday on a weekday',
      valid2031.replace('[2031-01-18, 2031-02-08]', '[2031-01-18, 2031-02-05]'),
      /years\.2031\.makeUpWorkdays\[0\]\.dates\[1\]: make-up workday 2031-02-05 \(星期三\) is not a Saturday or Sunday/,
    ],
    ['an unknown key', valid2031.replace('      - name: 春节\n        dates: [2031-01-22', '      - name: 春节\n        date: [2031-01-22'), /years\.2031\.holidays\[1\]\.date: unknown key "date"/],
    ['an unknown year key', valid2031.replace('makeUpWorkdays:', 'makeupWorkdays:'), /years\.2031\.makeupWorkdays: unknown key/],
    ['a missing make-up list', valid2031.replace(/ {4}makeUpWorkdays:[\s\S]*$/, ''), /years\.2031\.makeUpWorkdays: required/],
    ['a date outside the year', valid2031.replace('2031-02-08', '2032-01-03'), /years\.2031\.makeUpWorkdays\[0\]\.dates\[1\]: 2032-01-03 is outside 2031/],
    ['a reversed range', valid2031.replace('2031-01-22..2031-01-28', '2031-01-28..2031-01-22'), /years\.2031\.holidays\[1\]\.dates\[0\]: range .* ends before it starts/],
    ['a missing source', valid2031.replace(/ {4}source: .*\n/, ''), /years\.2031\.source: required/],
    ['an unknown top-level key', `${valid2031}\nyear: {}\n`, /\(top level\)\.year: unknown key/],
    ['invalid YAML', 'years:\n  2031: [\n', /invalid YAML/],
  ];
  it.each(invalid)('rejects %s, naming the year and the key', (_what, yaml, message) => {
    const file = calendarFile(yaml);
    expect(() => loadCalendar({ file })).toThrow(message);
    expect(() => loadCalendar({ file })).toThrow(file);
  });

  it('fails clearly when the file is missing', () => {
    expect(() => loadCalendar({ file: join(tmp, 'nope.yaml') })).toThrow(/cannot read calendar file/);
  });
});
