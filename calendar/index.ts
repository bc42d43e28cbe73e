/**
 * Working-day calendar (工作日) for Asia/Shanghai.
 *
 * A working day is a day that is not a Saturday, Sunday or official public holiday, plus the
 * make-up workdays (调休上班: weekend days declared working days by the State Council).
 *
 * Sources of each year's schedule, highest priority first:
 *   1. calendar/official.yaml (or CALENDAR_FILE, or loadCalendar({ file })), maintained by an
 *      administrator when a new notice is published — a year listed there replaces the others;
 *   2. the npm package chinese-days (official notices up to its last covered year);
 *   3. a provisional schedule: weekends + the statutory holidays of 全国年节及纪念日放假办法
 *      (2024 amendment), no make-up workdays; every answer relying on it has provisional: true.
 *
 * A notice may reach into late December of the previous year (a 元旦 break starting on 30/31
 * December, or a make-up Saturday on 29 December); those days are applied to that December.
 *
 * Pure TypeScript, no Temporal imports; all date arithmetic is done on plain Y-M-D dates, and
 * instants are converted with the fixed +08:00 offset, whatever the machine's TZ.
 */
import { fileURLToPath } from 'node:url';
import {
  type IsoDate,
  addDays,
  assertIsoDate,
  dateRange,
  endOfShanghaiDay,
  isWeekend,
  lastDayOfMonth,
  parseIsoDuration,
  shanghaiDate,
  toShanghaiIso,
  yearOf,
} from './dates.js';
import { lunarFestivalDates, packageCalendarData, qingmingDate } from './chineseDays.js';
import { MAX_YEAR, MIN_YEAR, type OfficialYear, loadOfficialFile } from './officialFile.js';

export type { IsoDate } from './dates.js';
export { endOfShanghaiDay, parseIsoDuration, shanghaiDate } from './dates.js';
export { MAX_YEAR, MIN_YEAR } from './officialFile.js';

import type { Due, DueRule } from '../contracts/due';
export type { Due, DueRule } from '../contracts/due';

export interface DayInfo {
  date: IsoDate;
  workday: boolean;
  kind: 'workday' | 'weekend' | 'holiday' | 'makeUpWorkday';
  /** holiday name for 'holiday', and the holiday a make-up workday belongs to for 'makeUpWorkday' */
  name?: string;
  /** true when the year has no official schedule yet (statutory holidays only) */
  provisional: boolean;
}

export interface YearSchedule {
  year: number;
  official: boolean;
  source: string;
  /** days off in this year (weekend days inside a break included), by date */
  holidays: { date: IsoDate; name: string }[];
  makeUpWorkdays: { date: IsoDate; name: string }[];
}

export interface WorkingCalendar {
  day(date: IsoDate): DayInfo;
  isWorkday(date: IsoDate): boolean;
  /**
   * The n-th working day after `from` (`from` itself is not counted).
   * n = 0: `from` itself if it is a working day, otherwise the next working day.
   * provisional is true if any day in between (or the result) lies in a provisional year.
   */
  addWorkingDays(from: IsoDate, n: number): { date: IsoDate; provisional: boolean };
  /** `from` + n calendar days (n may be negative). */
  addCalendarDays(from: IsoDate, n: number): { date: IsoDate; provisional: false };
  year(year: number): YearSchedule;
  /** Years with an official schedule (chinese-days or the official file), ascending. */
  officialYears(): number[];
}

/** Largest N accepted for working/calendar-day counts (about 40 years of working days). */
export const MAX_DAY_COUNT = 10_000;

/** The shipped calendar file (resolved when read: a module loaded in a browser-like test has no file URL). */
const defaultFile = () => fileURLToPath(new URL('./official.yaml', import.meta.url));

interface Notice {
  year: number;
  source: string;
  holidays: { date: IsoDate; name: string }[];
  makeUpWorkdays: { date: IsoDate; name: string }[];
}

interface ResolvedYear {
  schedule: YearSchedule;
  days: Map<IsoDate, { kind: 'holiday' | 'makeUpWorkday'; name: string }>;
}

function provisionalNotice(year: number): Notice {
  const lunar = lunarFestivalDates(year);
  const entries: { date: IsoDate; name: string }[] = [
    { date: `${year}-01-01`, name: '元旦' },
    { date: lunar.chuxi, name: '春节' },
    ...dateRange(lunar.springFestival, addDays(lunar.springFestival, 2)).map((date) => ({ date, name: '春节' })),
    { date: qingmingDate(year), name: '清明节' },
    { date: `${year}-05-01`, name: '劳动节' },
    { date: `${year}-05-02`, name: '劳动节' },
    { date: lunar.duanwu, name: '端午节' },
    { date: `${year}-10-01`, name: '国庆节' },
    { date: `${year}-10-02`, name: '国庆节' },
    { date: `${year}-10-03`, name: '国庆节' },
    { date: lunar.zhongqiu, name: '中秋节' },
  ];
  // 中秋 can fall on 1–3 October: still one day off, named 国庆节、中秋节.
  const merged = new Map<IsoDate, string>();
  for (const e of entries) {
    const prev = merged.get(e.date);
    merged.set(e.date, prev && prev !== e.name ? `${prev}、${e.name}` : e.name);
  }
  return {
    year,
    source:
      `provisional: no official notice for ${year} yet — weekends plus the statutory holidays of ` +
      `全国年节及纪念日放假办法 (2024 amendment), no make-up workdays`,
    holidays: [...merged].map(([date, name]) => ({ date, name })).sort((a, b) => (a.date < b.date ? -1 : 1)),
    makeUpWorkdays: [],
  };
}

function assertYear(year: number): void {
  if (!Number.isInteger(year) || year < MIN_YEAR || year > MAX_YEAR) {
    throw new RangeError(`year ${year} is outside the calendar's range ${MIN_YEAR}–${MAX_YEAR}`);
  }
}

function assertCount(n: number, what: string, allowNegative: boolean): void {
  if (!Number.isInteger(n) || (!allowNegative && n < 0) || Math.abs(n) > MAX_DAY_COUNT) {
    throw new RangeError(
      `${what} must be ${allowNegative ? 'an' : 'a non-negative'} integer of at most ${MAX_DAY_COUNT}, got ${String(n)}`,
    );
  }
}

class Calendar implements WorkingCalendar {
  private readonly resolved = new Map<number, ResolvedYear>();
  private readonly pkg = packageCalendarData();

  constructor(private readonly fileYears: Map<number, OfficialYear>) {}

  /** The official notice for a year, if any (file first, then the package). */
  private officialNotice(year: number): Notice | undefined {
    const fromFile = this.fileYears.get(year);
    if (fromFile) {
      return {
        year,
        source: fromFile.url ? `${fromFile.source} (${fromFile.url})` : fromFile.source,
        holidays: fromFile.holidays,
        makeUpWorkdays: fromFile.makeUpWorkdays,
      };
    }
    return this.pkg.notices.get(year);
  }

  private resolve(year: number): ResolvedYear {
    assertYear(year);
    const hit = this.resolved.get(year);
    if (hit) return hit;
    const own = this.officialNotice(year);
    const notice = own ?? provisionalNotice(year);
    const days: ResolvedYear['days'] = new Map();
    const apply = (n: Notice) => {
      for (const e of n.holidays) if (yearOf(e.date) === year) days.set(e.date, { kind: 'holiday', name: e.name });
      for (const e of n.makeUpWorkdays) {
        if (yearOf(e.date) === year) days.set(e.date, { kind: 'makeUpWorkday', name: e.name });
      }
    };
    apply(notice);
    // The next year's notice may reach back into this December (元旦 break / make-up Saturday).
    if (year < MAX_YEAR) {
      const next = this.officialNotice(year + 1);
      if (next) apply(next);
    }
    const sorted = [...days].sort(([a], [b]) => (a < b ? -1 : 1));
    const schedule: YearSchedule = {
      year,
      official: own !== undefined,
      source: notice.source,
      holidays: sorted.filter(([, v]) => v.kind === 'holiday').map(([date, v]) => ({ date, name: v.name })),
      makeUpWorkdays: sorted.filter(([, v]) => v.kind === 'makeUpWorkday').map(([date, v]) => ({ date, name: v.name })),
    };
    const r = { schedule, days };
    this.resolved.set(year, r);
    return r;
  }

  day(date: IsoDate): DayInfo {
    assertIsoDate(date);
    const r = this.resolve(yearOf(date));
    const provisional = !r.schedule.official;
    const special = r.days.get(date);
    if (special?.kind === 'holiday') return { date, workday: false, kind: 'holiday', name: special.name, provisional };
    if (special?.kind === 'makeUpWorkday') {
      return { date, workday: true, kind: 'makeUpWorkday', name: special.name, provisional };
    }
    if (isWeekend(date)) return { date, workday: false, kind: 'weekend', provisional };
    return { date, workday: true, kind: 'workday', provisional };
  }

  isWorkday(date: IsoDate): boolean {
    return this.day(date).workday;
  }

  addWorkingDays(from: IsoDate, n: number): { date: IsoDate; provisional: boolean } {
    assertIsoDate(from, 'from');
    assertCount(n, 'working-day count', false);
    let date = from;
    let provisional = false;
    if (n === 0) {
      // from itself if it is a working day, else the next working day
      for (;;) {
        const info = this.day(date);
        provisional ||= info.provisional;
        if (info.workday) return { date, provisional };
        date = addDays(date, 1);
      }
    }
    let remaining = n;
    while (remaining > 0) {
      date = addDays(date, 1);
      const info = this.day(date);
      provisional ||= info.provisional;
      if (info.workday) remaining--;
    }
    return { date, provisional };
  }

  addCalendarDays(from: IsoDate, n: number): { date: IsoDate; provisional: false } {
    assertIsoDate(from, 'from');
    assertCount(n, 'calendar-day count', true);
    return { date: addDays(from, n), provisional: false };
  }

  year(year: number): YearSchedule {
    const s = this.resolve(year).schedule;
    return {
      ...s,
      holidays: s.holidays.map((e) => ({ ...e })),
      makeUpWorkdays: s.makeUpWorkdays.map((e) => ({ ...e })),
    };
  }

  officialYears(): number[] {
    return [...new Set([...this.pkg.coveredYears, ...this.fileYears.keys()])].sort((a, b) => a - b);
  }
}

/**
 * Loads the calendar. The official-schedule file is, in order: opts.file, env CALENDAR_FILE,
 * calendar/official.yaml next to this module. Throws if the file is missing or invalid.
 */
export function loadCalendar(opts?: { file?: string; entered?: readonly OfficialYear[] }): WorkingCalendar {
  const file = opts?.file ?? (process.env.CALENDAR_FILE || undefined) ?? defaultFile();
  const years = loadOfficialFile(file);
  // Years an administrator entered (server/calendar-years.ts) take precedence over the file's.
  for (const y of opts?.entered ?? []) years.set(y.year, y);
  return new Calendar(years);
}

/** Validates a due rule from configuration; throws an Error naming `path` and the rule. */
export function validateDueRule(rule: unknown, path: string): DueRule {
  const shown = (() => {
    try {
      return JSON.stringify(rule);
    } catch {
      return String(rule);
    }
  })();
  const fail = (why: string): never => {
    throw new Error(
      `${path}: invalid due rule ${shown}: ${why}. Expected exactly one of ` +
        `{ calendarDays: N }, { workingDays: N }, { duration: 'PT2M' | 'P3D' | … }, { endOfMonth: true }`,
    );
  };
  if (typeof rule !== 'object' || rule === null || Array.isArray(rule)) return fail('not an object');
  const keys = Object.keys(rule);
  const known = ['calendarDays', 'workingDays', 'duration', 'endOfMonth'];
  const unknown = keys.filter((k) => !known.includes(k));
  if (unknown.length) return fail(`unknown key ${unknown.map((k) => JSON.stringify(k)).join(', ')}`);
  if (keys.length !== 1) return fail(keys.length === 0 ? 'no rule given' : `several rules given (${keys.join(', ')})`);
  const key = keys[0]!;
  const value = (rule as Record<string, unknown>)[key];
  switch (key) {
    case 'calendarDays':
    case 'workingDays':
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > MAX_DAY_COUNT) {
        return fail(`${key} must be an integer from 0 to ${MAX_DAY_COUNT}`);
      }
      return key === 'calendarDays' ? { calendarDays: value } : { workingDays: value };
    case 'duration': {
      if (typeof value !== 'string') return fail('duration must be an ISO 8601 duration string');
      let ms: number;
      try {
        ms = parseIsoDuration(value);
      } catch (e) {
        return fail((e as Error).message);
      }
      if (ms <= 0) return fail('duration must be longer than zero');
      return { duration: value };
    }
    default: // endOfMonth
      if (value !== true) return fail('endOfMonth must be true');
      return { endOfMonth: true };
  }
}

/** Computes when something opened at `openedAt` is due under `rule`. */
export function computeDue(rule: DueRule, openedAt: Date, cal: WorkingCalendar): Due {
  const opening = shanghaiDate(openedAt);
  const endOf = (date: IsoDate, provisional: boolean): Due => ({
    dueAt: endOfShanghaiDay(date),
    dueDate: date,
    provisional,
  });
  if ('calendarDays' in rule) {
    return endOf(cal.addCalendarDays(opening, rule.calendarDays).date, false);
  }
  if ('workingDays' in rule) {
    const r = cal.addWorkingDays(opening, rule.workingDays);
    return endOf(r.date, r.provisional);
  }
  if ('duration' in rule) {
    const due = new Date(openedAt.getTime() + parseIsoDuration(rule.duration));
    return { dueAt: toShanghaiIso(due), dueDate: shanghaiDate(due), provisional: false };
  }
  if ('endOfMonth' in rule && rule.endOfMonth === true) {
    return endOf(lastDayOfMonth(opening), false);
  }
  throw new Error(`computeDue: unknown due rule ${JSON.stringify(rule)}`);
}
