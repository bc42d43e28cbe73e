/** A statistic's `year` query parameter: four digits, from 2000 to this year (Beijing time); absent, this year. */
import { shanghaiDate } from '../../calendar/dates';
import { invalidField } from '../errors';

export function statisticsYear(text: string | undefined, now: Date): number {
  const thisYear = Number(shanghaiDate(now).slice(0, 4));
  const given = text ?? String(thisYear);
  if (!/^\d{4}$/.test(given)) throw invalidField('year', 'format', '须为四位年份，如 2026 (a year YYYY)');
  const year = Number(given);
  if (year > thisYear || year < 2000) throw invalidField('year', 'range', `须在 2000 至 ${thisYear} 年之间 (from 2000 to this year)`);
  return year;
}
