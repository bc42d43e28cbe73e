/**
 * A year's official schedule as an administrator enters it (PUT /api/calendar/{year}): the State Council's
 * list of days off and make-up workdays, checked the way the notice is written. The file format
 * (official.yaml, officialFile.ts) groups dates by holiday; this is the flat form a screen or a pasted
 * list gives, with its problems named by field in Chinese.
 */
import { type IsoDate, WEEKDAY_NAMES_ZH, isIsoDate, isWeekend, weekday, yearOf } from './dates.js';
import { MAX_YEAR, MIN_YEAR, type OfficialYear } from './officialFile.js';

export interface EnteredYear {
  source?: string;
  holidays: { date: string; name: string }[];
  /** Make-up workdays (调休上班): a date, or a date with the holiday it makes up for. */
  workdays: (string | { date: string; name?: string })[];
}

export interface EnteredYearProblem {
  field: string;
  rule: string;
  message: string;
}

/** The schedule, or the problems (field, rule, Chinese message) that keep it from being one. */
export function checkEnteredYear(year: number, body: EnteredYear, source: string): OfficialYear | EnteredYearProblem[] {
  const problems: EnteredYearProblem[] = [];
  const fail = (field: string, rule: string, message: string) => problems.push({ field, rule, message });
  if (!Number.isInteger(year) || year < MIN_YEAR || year > MAX_YEAR) {
    return [{ field: 'year', rule: 'range', message: `年份须在 ${MIN_YEAR}–${MAX_YEAR} 之间` }];
  }
  // A notice for a year may reach back into December of the year before (a 元旦 break starting 29–31 December).
  const inReach = (d: IsoDate) => yearOf(d) === year || (yearOf(d) === year - 1 && d.slice(5, 7) === '12');
  const day = (d: IsoDate) => `${d}（${WEEKDAY_NAMES_ZH[weekday(d)]}）`;

  const holidays = new Map<IsoDate, string>();
  body.holidays.forEach((h, i) => {
    const name = h.name.trim();
    if (!name) fail(`holidays[${i}].name`, 'required', '请填写节日名称，如 春节');
    if (!isIsoDate(h.date)) return fail(`holidays[${i}].date`, 'format', `"${h.date}" 不是有效日期（格式 YYYY-MM-DD）`);
    if (!inReach(h.date)) return fail(`holidays[${i}].date`, 'range', `${h.date} 不在 ${year} 年内（可含上一年 12 月）`);
    if (holidays.has(h.date)) return fail(`holidays[${i}].date`, 'unique', `${day(h.date)} 重复列出（${holidays.get(h.date)}、${name}）`);
    holidays.set(h.date, name);
  });
  if (body.holidays.length === 0) fail('holidays', 'minItems', '至少列出一天放假日');

  const workdays = new Map<IsoDate, string>();
  body.workdays.forEach((w, i) => {
    const date = typeof w === 'string' ? w : w.date;
    const name = (typeof w === 'string' ? '' : (w.name ?? '').trim()) || '调休上班';
    if (!isIsoDate(date)) return fail(`workdays[${i}]`, 'format', `"${date}" 不是有效日期（格式 YYYY-MM-DD）`);
    if (!inReach(date)) return fail(`workdays[${i}]`, 'range', `${date} 不在 ${year} 年内（可含上一年 12 月）`);
    if (!isWeekend(date)) return fail(`workdays[${i}]`, 'weekend', `调休上班日 ${day(date)} 不是周六或周日`);
    if (holidays.has(date)) return fail(`workdays[${i}]`, 'conflict', `${day(date)} 已列为放假日（${holidays.get(date)}）`);
    if (workdays.has(date)) return fail(`workdays[${i}]`, 'unique', `${day(date)} 重复列出`);
    workdays.set(date, name);
  });
  if (problems.length) return problems;

  const sorted = (m: Map<IsoDate, string>) => [...m].sort(([a], [b]) => (a < b ? -1 : 1)).map(([date, name]) => ({ date, name }));
  return { year, source, holidays: sorted(holidays), makeUpWorkdays: sorted(workdays) };
}
