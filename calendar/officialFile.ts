/**
 * Loading and validation of calendar/official.yaml (the administrator-maintained schedules).
 * The file format is documented at the top of official.yaml.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import {
  type IsoDate,
  WEEKDAY_NAMES_ZH,
  dateRange,
  isWeekend,
  parseIsoDateParts,
  toDayNumber,
  weekday,
  yearOf,
} from './dates.js';

export interface OfficialEntry {
  date: IsoDate;
  name: string;
}

export interface OfficialYear {
  year: number;
  source: string;
  url?: string;
  holidays: OfficialEntry[];
  makeUpWorkdays: OfficialEntry[];
}

/** Years the calendar accepts (holiday data in chinese-days starts in 2004; lunar tables end in 2100). */
export const MIN_YEAR = 2004;
export const MAX_YEAR = 2099;

/** Longest accepted date range in one `dates` item (guards against typos such as 01-01..12-31). */
const MAX_RANGE_DAYS = 31;

const TOP_KEYS = ['years'] as const;
const YEAR_KEYS = ['source', 'url', 'holidays', 'makeUpWorkdays'] as const;
const PERIOD_KEYS = ['name', 'dates'] as const;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

class FileError extends Error {
  constructor(file: string, path: string, message: string) {
    super(`${file}: ${path}: ${message}`);
    this.name = 'CalendarFileError';
  }
}

function checkKeys(file: string, path: string, obj: Record<string, unknown>, allowed: readonly string[]): void {
  for (const key of Object.keys(obj)) {
    if (!allowed.includes(key)) {
      throw new FileError(file, `${path}.${key}`, `unknown key "${key}" (allowed: ${allowed.join(', ')})`);
    }
  }
}

function describeDay(date: IsoDate): string {
  return `${date} (${WEEKDAY_NAMES_ZH[weekday(date)]})`;
}

/**
 * Expands one `dates` item: 'YYYY-MM-DD' or 'YYYY-MM-DD..YYYY-MM-DD' (inclusive range).
 * Dates must fall in the notice's year, except that a notice may reach back into December of
 * the previous year (a 元旦 break or make-up day starting on 29–31 December).
 */
function expandDates(file: string, path: string, item: unknown, year: number): IsoDate[] {
  if (typeof item !== 'string') {
    throw new FileError(
      file,
      path,
      `expected a date 'YYYY-MM-DD' or a range 'YYYY-MM-DD..YYYY-MM-DD' written as text, got ${JSON.stringify(item)}`,
    );
  }
  const parts = item.split('..').map((s) => s.trim());
  if (parts.length > 2) throw new FileError(file, path, `bad date range ${JSON.stringify(item)}`);
  for (const p of parts) {
    if (!parseIsoDateParts(p)) {
      throw new FileError(file, path, `${JSON.stringify(p)} is not a real calendar date written YYYY-MM-DD`);
    }
  }
  const from = parts[0]!;
  const to = parts[1] ?? from;
  const days = toDayNumber(to) - toDayNumber(from) + 1;
  if (days < 1) throw new FileError(file, path, `range ${item} ends before it starts`);
  if (days > MAX_RANGE_DAYS) throw new FileError(file, path, `range ${item} is longer than ${MAX_RANGE_DAYS} days`);
  const dates = dateRange(from, to);
  for (const d of dates) {
    const inYear = yearOf(d) === year;
    const previousDecember = yearOf(d) === year - 1 && d.slice(5, 7) === '12';
    if (!inYear && !previousDecember) {
      throw new FileError(
        file,
        path,
        `${d} is outside ${year} (a notice for ${year} may only list dates in ${year} or in December ${year - 1})`,
      );
    }
  }
  return dates;
}

function readPeriods(
  file: string,
  path: string,
  value: unknown,
  year: number,
  kind: 'holiday' | 'makeUpWorkday',
): OfficialEntry[] {
  if (!Array.isArray(value)) {
    throw new FileError(file, path, `expected a list of { name, dates } items${value == null ? ' (use [] for none)' : ''}`);
  }
  const out: OfficialEntry[] = [];
  value.forEach((period, i) => {
    const p = `${path}[${i}]`;
    if (!isPlainObject(period)) throw new FileError(file, p, `expected { name, dates }, got ${JSON.stringify(period)}`);
    checkKeys(file, p, period, PERIOD_KEYS);
    const name = period.name;
    if (typeof name !== 'string' || name.trim() === '') {
      throw new FileError(file, `${p}.name`, 'required: the holiday name as in the notice, e.g. 春节');
    }
    const rawDates = typeof period.dates === 'string' ? [period.dates] : period.dates;
    if (!Array.isArray(rawDates) || rawDates.length === 0) {
      throw new FileError(file, `${p}.dates`, 'required: a non-empty list of dates or date ranges');
    }
    rawDates.forEach((item, j) => {
      for (const date of expandDates(file, `${p}.dates[${j}]`, item, year)) {
        if (kind === 'makeUpWorkday' && !isWeekend(date)) {
          throw new FileError(
            file,
            `${p}.dates[${j}]`,
            `make-up workday ${describeDay(date)} is not a Saturday or Sunday`,
          );
        }
        out.push({ date, name: name.trim() });
      }
    });
  });
  return out;
}

function readYear(file: string, key: string, value: unknown): OfficialYear {
  const path = `years.${key}`;
  if (!/^\d{4}$/.test(key)) throw new FileError(file, path, `year keys must be four-digit years, got "${key}"`);
  const year = Number(key);
  if (year < MIN_YEAR || year > MAX_YEAR) {
    throw new FileError(file, path, `year ${year} is outside the supported range ${MIN_YEAR}–${MAX_YEAR}`);
  }
  if (!isPlainObject(value)) throw new FileError(file, path, 'expected { source, holidays, makeUpWorkdays }');
  checkKeys(file, path, value, YEAR_KEYS);
  if (typeof value.source !== 'string' || value.source.trim() === '') {
    throw new FileError(
      file,
      `${path}.source`,
      'required: the notice title and document number, e.g. 国务院办公厅关于2031年部分节假日安排的通知（国办发明电〔2030〕N号）',
    );
  }
  if (value.url !== undefined && (typeof value.url !== 'string' || !/^https?:\/\//.test(value.url))) {
    throw new FileError(file, `${path}.url`, 'must be an http(s) address');
  }
  if (!('holidays' in value)) throw new FileError(file, `${path}.holidays`, 'required');
  if (!('makeUpWorkdays' in value)) {
    throw new FileError(file, `${path}.makeUpWorkdays`, 'required (write makeUpWorkdays: [] if the notice has none)');
  }
  const holidays = readPeriods(file, `${path}.holidays`, value.holidays, year, 'holiday');
  if (holidays.length === 0) throw new FileError(file, `${path}.holidays`, 'must list at least one holiday');
  const makeUpWorkdays = readPeriods(file, `${path}.makeUpWorkdays`, value.makeUpWorkdays, year, 'makeUpWorkday');

  const seen = new Map<IsoDate, string>();
  for (const e of holidays) {
    const prev = seen.get(e.date);
    if (prev !== undefined) {
      throw new FileError(
        file,
        `${path}.holidays`,
        `${e.date} is listed twice (${prev} and ${e.name}); for merged holidays use one entry, e.g. name: 国庆节、中秋节`,
      );
    }
    seen.set(e.date, e.name);
  }
  const seenWork = new Set<IsoDate>();
  for (const e of makeUpWorkdays) {
    if (seen.has(e.date)) {
      throw new FileError(
        file,
        `${path}.makeUpWorkdays`,
        `${e.date} is listed both as a holiday (${seen.get(e.date)}) and as a make-up workday (${e.name})`,
      );
    }
    if (seenWork.has(e.date)) throw new FileError(file, `${path}.makeUpWorkdays`, `${e.date} is listed twice`);
    seenWork.add(e.date);
  }
  const byDate = (a: OfficialEntry, b: OfficialEntry) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0);
  return {
    year,
    source: value.source.trim(),
    ...(typeof value.url === 'string' ? { url: value.url } : {}),
    holidays: holidays.sort(byDate),
    makeUpWorkdays: makeUpWorkdays.sort(byDate),
  };
}

/** Parses and validates the text of an official-schedule file. `file` is only used in messages. */
export function parseOfficialFile(text: string, file: string): Map<number, OfficialYear> {
  let doc: unknown;
  try {
    // core schema: dates stay strings (no YAML 1.1 timestamps)
    doc = parse(text, { schema: 'core', uniqueKeys: true });
  } catch (e) {
    throw new Error(`${file}: invalid YAML: ${(e as Error).message}`);
  }
  const years = new Map<number, OfficialYear>();
  if (doc === null || doc === undefined) return years; // empty file (only comments)
  if (!isPlainObject(doc)) throw new FileError(file, '(top level)', 'expected a mapping with a "years" key');
  checkKeys(file, '(top level)', doc, TOP_KEYS);
  const y = doc.years;
  if (y === null || y === undefined) return years;
  if (!isPlainObject(y)) throw new FileError(file, 'years', 'expected a mapping from year to schedule, e.g. 2031: {…}');
  for (const [key, value] of Object.entries(y)) {
    const parsed = readYear(file, key, value);
    years.set(parsed.year, parsed);
  }
  return years;
}

export function loadOfficialFile(file: string): Map<number, OfficialYear> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new Error(`cannot read calendar file ${file}: ${(e as Error).message}`);
  }
  return parseOfficialFile(text, file);
}
