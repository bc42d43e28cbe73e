/**
 * Dates as the policy counts them: calendar days in Asia/Shanghai (UTC+8, no daylight saving), shown
 * as YYYY-MM-DD whatever the browser's time zone. Same day arithmetic as the API's `overdueDays`.
 */
const SHANGHAI_OFFSET_MS = 8 * 3600_000;
const DAY_MS = 86_400_000;

const ms = (at: string | number | Date) => (at instanceof Date ? at.getTime() : typeof at === 'number' ? at : Date.parse(at));

/** The Shanghai calendar day number of an instant (days since 1970-01-01 in UTC+8). */
export const shanghaiDay = (at: string | number | Date) => Math.floor((ms(at) + SHANGHAI_OFFSET_MS) / DAY_MS);

/** `YYYY-MM-DD` in Asia/Shanghai ('' for no or an invalid time). */
export function formatDate(at: string | number | Date | null | undefined): string {
  if (at === null || at === undefined || at === '') return '';
  const t = ms(at);
  if (Number.isNaN(t)) return typeof at === 'string' ? at : '';
  return new Date(t + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

/** `YYYY-MM-DD HH:mm` in Asia/Shanghai. */
export function formatDateTime(at: string | number | Date | null | undefined): string {
  if (at === null || at === undefined || at === '') return '';
  const t = ms(at);
  if (Number.isNaN(t)) return typeof at === 'string' ? at : '';
  return new Date(t + SHANGHAI_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ');
}

/** Today in Shanghai, `YYYY-MM-DD`. */
export const today = (now: number = Date.now()) => formatDate(now);

export type DueState = { kind: 'overdue'; days: number } | { kind: 'today' } | { kind: 'upcoming'; days: number };

/**
 * Where a due time stands: overdue by whole Shanghai days after the due day (at least 1 once the due
 * time has passed, like the API's overdueDays), due later today, or due in N calendar days.
 */
export function dueState(dueAt: string | number | Date, now: number = Date.now()): DueState {
  const due = ms(dueAt);
  if (due < now) return { kind: 'overdue', days: Math.max(1, shanghaiDay(now) - shanghaiDay(due)) };
  const days = shanghaiDay(due) - shanghaiDay(now);
  return days <= 0 ? { kind: 'today' } : { kind: 'upcoming', days };
}

type Translate = (key: string, options?: Record<string, unknown>) => string;

/** "3 天后到期" / "今天到期" / "逾期 2 天" (and the English equivalents), from the message files. */
export function relativeDue(dueAt: string | number | Date, translate: Translate, now: number = Date.now()): string {
  const s = dueState(dueAt, now);
  if (s.kind === 'overdue') return translate('fangfan.due.overdue', { smart_count: s.days });
  if (s.kind === 'today') return translate('fangfan.due.today');
  return translate('fangfan.due.upcoming', { smart_count: s.days });
}

/**
 * A date as people write it, as `YYYY-MM-DD`: `2026-12-04`, `2026-12-4`, `2026/12/4`, `2026.12.4`,
 * `2026年12月4日`, `20261204`. Undefined for anything else, or a day the calendar does not have.
 */
export function parseDateText(text: string): string | undefined {
  const t = text.trim().replace(/\s+/g, '');
  const m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(t) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(t);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return undefined;
  return date.toISOString().slice(0, 10);
}
