/**
 * Adapter around the npm package `chinese-days`.
 *
 * 1. Official schedules: read from the package's data file (dist/chinese-days.json: dates of
 *    holidays and make-up workdays, built from the State Council notices). The package's own
 *    isWorkday()/getDayDetail() are NOT used: they silently answer for years it has no data
 *    for (1 January of an unpublished year comes back as a workday). A year counts as covered
 *    only if the data holds its 元旦 (1 January) and 春节 entries.
 *
 * 2. Lunar dates and the Qingming solar term, for provisional years. The package mixes UTC
 *    parsing with local-time formatting, so several of its functions are off by one day when
 *    the process runs in a time zone west of UTC (e.g. getSolarDateFromLunar and
 *    getSolarTermDate under TZ=America/Los_Angeles). We only rely on getLunarDate(string),
 *    whose arithmetic is time-zone independent, and we undo the formatting shift of
 *    getSolarTermDate explicitly. Each result is checked against getLunarDate.
 */
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import {
  type IsoDate,
  addDays,
  dateRange,
  formatIsoDate,
  fromDayNumber,
  parseIsoDateParts,
  toDayNumber,
  yearOf,
} from './dates.js';

type ChineseDays = typeof import('chinese-days');

const require = createRequire(import.meta.url);
// The package is a UMD/CommonJS bundle without named ESM exports: load it with require.
const cd: ChineseDays = require('chinese-days') as ChineseDays;

export interface PackageEntry {
  date: IsoDate;
  name: string;
}

export interface PackageYear {
  year: number;
  source: string;
  holidays: PackageEntry[];
  makeUpWorkdays: PackageEntry[];
}

interface RawData {
  holidays: Record<string, string>;
  workdays: Record<string, string>;
  inLieuDays?: Record<string, string>;
}

/** The package's short names → the names used in the State Council notices. */
const NAME_MAP: Record<string, string> = {
  清明: '清明节',
  端午: '端午节',
  中秋: '中秋节',
};

function entryName(raw: string): string {
  // values look like "National Day,国庆节,3" (English, Chinese, statutory day count)
  const zh = raw.split(',')[1]?.trim() || raw;
  return NAME_MAP[zh] ?? zh;
}

/** 元旦 entries dated in December belong to the next year's notice (the break starts Dec 30/31). */
function noticeYear(date: IsoDate, name: string): number {
  const y = yearOf(date);
  return name === '元旦' && date.slice(5, 7) === '12' ? y + 1 : y;
}

export interface PackageCalendarData {
  version: string;
  /** Years whose official schedule the package really has, ascending. */
  coveredYears: number[];
  /** Entries grouped by the notice (year) they come from. Only covered years. */
  notices: Map<number, PackageYear>;
}

let cached: PackageCalendarData | undefined;

function readSourceUrls(): Map<number, string> {
  // Best effort: the package ships its generator with the notice URL above each year.
  const urls = new Map<number, string>();
  try {
    const text = readFileSync(require.resolve('chinese-days/src/holidays/generate.ts'), 'utf8');
    for (const m of text.matchAll(/\/\*\*\s*\n\s*\*\s*(\d{4})\s*\n\s*\*\s*(https?:\/\/\S+)/g)) {
      urls.set(Number(m[1]), m[2]!);
    }
  } catch {
    // not shipped in some version: no URLs
  }
  return urls;
}

export function packageCalendarData(): PackageCalendarData {
  if (cached) return cached;
  const version = (require('chinese-days/package.json') as { version: string }).version;
  const raw = require('chinese-days/dist/chinese-days.json') as RawData;
  if (!raw || typeof raw.holidays !== 'object' || typeof raw.workdays !== 'object') {
    throw new Error(`chinese-days ${version}: unexpected data file layout (dist/chinese-days.json)`);
  }
  const byNotice = new Map<number, { holidays: PackageEntry[]; makeUpWorkdays: PackageEntry[] }>();
  const bucket = (y: number) => {
    let b = byNotice.get(y);
    if (!b) byNotice.set(y, (b = { holidays: [], makeUpWorkdays: [] }));
    return b;
  };
  for (const [date, value] of Object.entries(raw.holidays)) {
    if (!parseIsoDateParts(date)) continue;
    const name = entryName(value);
    bucket(noticeYear(date, name)).holidays.push({ date, name });
  }
  for (const [date, value] of Object.entries(raw.workdays)) {
    if (!parseIsoDateParts(date)) continue;
    const name = entryName(value);
    bucket(noticeYear(date, name)).makeUpWorkdays.push({ date, name });
  }

  // Covered = the data has both 元旦 (on 1 January) and 春节 for that year.
  const coveredYears = [...byNotice.keys()]
    .filter((y) => {
      const hol = byNotice.get(y)!.holidays;
      return (
        hol.some((e) => e.date === `${y}-01-01` && e.name === '元旦') &&
        hol.some((e) => e.name === '春节' && yearOf(e.date) === y)
      );
    })
    .sort((a, b) => a - b);

  const urls = readSourceUrls();
  const notices = new Map<number, PackageYear>();
  const byDate = (a: PackageEntry, b: PackageEntry) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0);
  for (const y of coveredYears) {
    const b = byNotice.get(y)!;
    const url = urls.get(y);
    notices.set(y, {
      year: y,
      source:
        `国务院办公厅关于${y}年部分节假日安排的通知` +
        ` (data: npm chinese-days ${version}${url ? `; ${url}` : ''})`,
      holidays: b.holidays.sort(byDate),
      makeUpWorkdays: b.makeUpWorkdays.sort(byDate),
    });
  }
  cached = { version, coveredYears, notices };
  return cached;
}

// ---------------------------------------------------------------- lunar & solar terms

/** Gregorian years for which the package's lunar tables give complete results. */
export const LUNAR_MIN_YEAR = 1901;
export const LUNAR_MAX_YEAR = 2099;

export interface LunarFestivalDates {
  /** 农历除夕: the last day of the lunar year ending in this Gregorian year (day before 正月初一). */
  chuxi: IsoDate;
  /** 正月初一 */
  springFestival: IsoDate;
  /** 五月初五 */
  duanwu: IsoDate;
  /** 八月十五 */
  zhongqiu: IsoDate;
}

function assertLunarYear(year: number): void {
  if (!Number.isInteger(year) || year < LUNAR_MIN_YEAR || year > LUNAR_MAX_YEAR) {
    throw new RangeError(`no lunar calendar data for year ${year} (supported: ${LUNAR_MIN_YEAR}–${LUNAR_MAX_YEAR})`);
  }
}

/**
 * Finds 正月初一, 五月初五 and 八月十五 (never in a leap month) falling in a Gregorian year by
 * converting each day of the year with getLunarDate (time-zone independent for 'YYYY-MM-DD').
 */
export function lunarFestivalDates(year: number): LunarFestivalDates {
  assertLunarYear(year);
  const found: Partial<Record<'springFestival' | 'duanwu' | 'zhongqiu', IsoDate>> = {};
  for (const date of dateRange(`${year}-01-01`, `${year}-12-31`)) {
    const l = cd.getLunarDate(date);
    if (l.isLeap) continue;
    const key =
      l.lunarMon === 1 && l.lunarDay === 1
        ? 'springFestival'
        : l.lunarMon === 5 && l.lunarDay === 5
          ? 'duanwu'
          : l.lunarMon === 8 && l.lunarDay === 15
            ? 'zhongqiu'
            : undefined;
    if (!key) continue;
    if (found[key]) throw new Error(`chinese-days: two dates for lunar ${key} in ${year}: ${found[key]} and ${date}`);
    found[key] = date;
  }
  const { springFestival, duanwu, zhongqiu } = found;
  if (!springFestival || !duanwu || !zhongqiu) {
    throw new Error(`chinese-days: could not find the lunar festivals of ${year} (${JSON.stringify(found)})`);
  }
  return { chuxi: addDays(springFestival, -1), springFestival, duanwu, zhongqiu };
}

/**
 * chinese-days formats a date it built as UTC midnight with local-time getters, which shifts
 * the answer by one day west of UTC. Return the date D whose UTC midnight the package would
 * have formatted as `shown`.
 */
function undoPackageDateShift(shown: IsoDate): IsoDate {
  const localFormat = (d: IsoDate) => {
    const t = new Date(toDayNumber(d) * 86_400_000);
    return formatIsoDate(t.getFullYear(), t.getMonth() + 1, t.getDate());
  };
  const n = toDayNumber(shown);
  for (const candidate of [n, n + 1, n - 1].map(fromDayNumber)) {
    if (localFormat(candidate) === shown) return candidate;
  }
  throw new Error(`chinese-days: cannot interpret date ${shown}`);
}

/** The day of the Qingming (清明) solar term in a Gregorian year (4–6 April). */
export function qingmingDate(year: number): IsoDate {
  assertLunarYear(year);
  const shown = cd.getSolarTermDate(year, 4, 'pure_brightness');
  const date = undoPackageDateShift(shown);
  if (!/^\d{4}-04-0[3-6]$/.test(date) || yearOf(date) !== year) {
    throw new Error(`chinese-days: implausible Qingming date ${date} for ${year}`);
  }
  return date;
}
