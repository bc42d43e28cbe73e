/**
 * Plain calendar-date arithmetic and Asia/Shanghai instant conversion: the one set of Shanghai date
 * helpers for the API, activities, database code and scripts.
 *
 * Nothing here depends on the machine's time zone: a calendar date is turned into a
 * "day number" (days since 1970-01-01, computed with Date.UTC on the Y-M-D fields) and
 * back, and instants are converted with the fixed +08:00 offset (China has had no
 * daylight saving time since 1991).
 *
 * No imports and no clock reads (every instant is an argument), so the Temporal workflow sandbox
 * may use these functions too.
 */

/** 'YYYY-MM-DD', a calendar date in Asia/Shanghai. */
export type IsoDate = string;

const MS_PER_DAY = 86_400_000;
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

const ISO_DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Parses 'YYYY-MM-DD' into its fields, or returns undefined if it is not a real calendar date. */
export function parseIsoDateParts(s: unknown): { y: number; m: number; d: number } | undefined {
  if (typeof s !== 'string') return undefined;
  const match = ISO_DATE_RE.exec(s);
  if (!match) return undefined;
  const y = Number(match[1]);
  const m = Number(match[2]);
  const d = Number(match[3]);
  if (m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return undefined;
  return { y, m, d };
}

export function isIsoDate(s: unknown): s is IsoDate {
  return parseIsoDateParts(s) !== undefined;
}

/** Throws a RangeError naming `what` unless `s` is a real 'YYYY-MM-DD' date. */
export function assertIsoDate(s: unknown, what = 'date'): asserts s is IsoDate {
  if (!isIsoDate(s)) {
    throw new RangeError(`${what} must be a real calendar date written YYYY-MM-DD, got ${JSON.stringify(s)}`);
  }
}

function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

function daysInMonth(y: number, m: number): number {
  return [31, isLeapYear(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]!;
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

export function formatIsoDate(y: number, m: number, d: number): IsoDate {
  return `${pad(y, 4)}-${pad(m)}-${pad(d)}`;
}

/** Days since 1970-01-01 (proleptic Gregorian), independent of any time zone. */
export function toDayNumber(date: IsoDate): number {
  const p = parseIsoDateParts(date);
  if (!p) throw new RangeError(`not a YYYY-MM-DD date: ${JSON.stringify(date)}`);
  return Date.UTC(p.y, p.m - 1, p.d) / MS_PER_DAY;
}

export function fromDayNumber(n: number): IsoDate {
  const t = new Date(n * MS_PER_DAY);
  return formatIsoDate(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate());
}

export function addDays(date: IsoDate, n: number): IsoDate {
  return fromDayNumber(toDayNumber(date) + n);
}

/** 0 = Sunday … 6 = Saturday. */
export function weekday(date: IsoDate): number {
  return new Date(toDayNumber(date) * MS_PER_DAY).getUTCDay();
}

export function isWeekend(date: IsoDate): boolean {
  const w = weekday(date);
  return w === 0 || w === 6;
}

export const WEEKDAY_NAMES_ZH = ['星期日', '星期一', '星期二', '星期三', '星期四', '星期五', '星期六'] as const;

export function yearOf(date: IsoDate): number {
  return Number(date.slice(0, 4));
}

export function lastDayOfMonth(date: IsoDate): IsoDate {
  const p = parseIsoDateParts(date);
  if (!p) throw new RangeError(`not a YYYY-MM-DD date: ${JSON.stringify(date)}`);
  return formatIsoDate(p.y, p.m, daysInMonth(p.y, p.m));
}

/** Every date from `from` to `to`, both inclusive (empty if to < from). */
export function dateRange(from: IsoDate, to: IsoDate): IsoDate[] {
  const out: IsoDate[] = [];
  for (let n = toDayNumber(from), end = toDayNumber(to); n <= end; n++) out.push(fromDayNumber(n));
  return out;
}

function assertValidInstant(instant: Date): void {
  if (!(instant instanceof Date) || Number.isNaN(instant.getTime())) {
    throw new RangeError(`expected a valid Date instant, got ${String(instant)}`);
  }
}

/** The Asia/Shanghai calendar date of an instant. */
export function shanghaiDate(instant: Date): IsoDate {
  assertValidInstant(instant);
  const t = new Date(instant.getTime() + SHANGHAI_OFFSET_MS);
  return formatIsoDate(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate());
}

/** An instant written as ISO 8601 with the +08:00 offset, e.g. '2026-10-01T00:30:00.000+08:00'. */
export function toShanghaiIso(instant: Date): string {
  assertValidInstant(instant);
  const t = new Date(instant.getTime() + SHANGHAI_OFFSET_MS);
  return (
    `${formatIsoDate(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate())}` +
    `T${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}:${pad(t.getUTCSeconds())}.${pad(t.getUTCMilliseconds(), 3)}+08:00`
  );
}

/** A Shanghai instant as the ledgers show it: 'YYYY-MM-DD HH:mm'. */
export function toShanghaiMinute(instant: Date): string {
  return toShanghaiIso(instant).slice(0, 16).replace('T', ' ');
}

/** The first millisecond of a Shanghai calendar day: 'YYYY-MM-DDT00:00:00.000+08:00'. */
export function startOfShanghaiDay(date: IsoDate): string {
  assertIsoDate(date);
  return `${date}T00:00:00.000+08:00`;
}

/** The last millisecond of a Shanghai calendar day: 'YYYY-MM-DDT23:59:59.999+08:00'. */
export function endOfShanghaiDay(date: IsoDate): string {
  assertIsoDate(date);
  return `${date}T23:59:59.999+08:00`;
}

const DURATION_RE =
  /^P(?:(\d+(?:[.,]\d+)?)Y)?(?:(\d+(?:[.,]\d+)?)M)?(?:(\d+(?:[.,]\d+)?)W)?(?:(\d+(?:[.,]\d+)?)D)?(?:T(?:(\d+(?:[.,]\d+)?)H)?(?:(\d+(?:[.,]\d+)?)M)?(?:(\d+(?:[.,]\d+)?)S)?)?$/;

/**
 * Parses an ISO 8601 duration made of weeks, days, hours, minutes and seconds
 * (PnW, PnD, PTnH, PTnM, PTnS and combinations such as 'P1W2DT3H4M5S') into milliseconds.
 * A day is exactly 24 hours (Shanghai has no DST). Only the last component may carry a
 * fraction ('PT1.5H', 'PT0,5S'). Years and months are rejected: their length varies; use a
 * calendarDays or endOfMonth rule instead. Signs are not accepted.
 */
export function parseIsoDuration(s: string): number {
  if (typeof s !== 'string') throw new TypeError(`ISO 8601 duration must be a string, got ${JSON.stringify(s)}`);
  const text = s.trim().toUpperCase();
  const match = DURATION_RE.exec(text);
  if (!match || text === 'P' || text.endsWith('T')) {
    throw new RangeError(
      `invalid ISO 8601 duration ${JSON.stringify(s)}: expected e.g. 'PT2M', 'PT36H', 'P3D', 'P1W', 'P1DT12H'`,
    );
  }
  const [, years, months, weeks, days, hours, minutes, seconds] = match;
  if (years !== undefined || months !== undefined) {
    throw new RangeError(
      `ISO 8601 duration ${JSON.stringify(s)} uses years or months, which have no fixed length; ` +
        `use weeks/days/hours/minutes/seconds, or a { calendarDays } or { endOfMonth: true } rule`,
    );
  }
  const parts: [string | undefined, number][] = [
    [weeks, 7 * MS_PER_DAY],
    [days, MS_PER_DAY],
    [hours, 3_600_000],
    [minutes, 60_000],
    [seconds, 1_000],
  ];
  const present = parts.filter(([v]) => v !== undefined);
  let ms = 0;
  present.forEach(([v, unit], i) => {
    const value = Number(v!.replace(',', '.'));
    if (!Number.isInteger(value) && i !== present.length - 1) {
      throw new RangeError(`invalid ISO 8601 duration ${JSON.stringify(s)}: only the last component may have a fraction`);
    }
    ms += value * unit;
  });
  ms = Math.round(ms);
  if (!Number.isSafeInteger(ms)) throw new RangeError(`ISO 8601 duration ${JSON.stringify(s)} is too large`);
  return ms;
}
