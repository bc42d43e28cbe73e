/**
 * Dates in Asia/Shanghai for workflow code: calendar/dates.ts (pure arithmetic, no clock reads) on
 * instants the workflow gives it. `today()` reads the workflow clock: for decisions and validators
 * (a reported date may not lie in the future); what a case stores takes its date from the case's clock
 * (Case.day(), workflows/case-clock.ts).
 */
import { addDays, endOfShanghaiDay, lastDayOfMonth, shanghaiDate, startOfShanghaiDay } from '../calendar/dates';

/** The Shanghai calendar date (YYYY-MM-DD) of an instant (epoch ms). */
export const shanghaiDay = (ms: number): string => shanghaiDate(new Date(ms));

/** Today in Shanghai, by the workflow clock. */
export const today = (): string => shanghaiDay(Date.now());

export { addDays };

/** YYYY-MM of a date. */
export const monthOf = (date: string): string => date.slice(0, 7);

/** The first instant of a Shanghai day (epoch ms). */
export const startOfDay = (date: string): number => Date.parse(startOfShanghaiDay(date));

/** The last instant of a Shanghai day (epoch ms). */
export const endOfDay = (date: string): number => Date.parse(endOfShanghaiDay(date));

/** 00:00 Shanghai on the first day of the month after the one `date` lies in (epoch ms). */
export const nextMonthStart = (date: string): number => startOfDay(addDays(lastDayOfMonth(date), 1));

/** A refusal when a reported date lies in the future. */
export const notFuture = (day: string | undefined, zh: string, en: string): string | undefined =>
  day && day > today() ? `${zh}不能晚于今天 (${en} cannot be in the future)` : undefined;
