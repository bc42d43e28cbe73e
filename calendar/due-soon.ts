/**
 * How near a step's deadline is, as the inbox, the step filters and the supervisors' dashboard all
 * say it: overdue once the due time has passed; due soon (即将到期) from the second working day
 * before the due date (the official calendar, 调休 make-up days counted as working days); later
 * otherwise. Counted on Asia/Shanghai calendar days, with the same working-day arithmetic as the
 * deadlines themselves.
 */
import { addDays, shanghaiDate, type IsoDate } from './dates.js';
import type { WorkingCalendar } from './index.js';

/** A step is due soon from this many working days before its due date. */
export const DUE_SOON_WORKING_DAYS = 2;

export type DueState = 'overdue' | 'soon' | 'later';

/**
 * The last due date that counts as due soon on `today`: today + 2 working days. A due date on or
 * before it is at most two working days away (a due date on a weekend or holiday counts from the
 * working days before it).
 */
export function dueSoonUntil(today: IsoDate, cal: WorkingCalendar): IsoDate {
  return cal.addWorkingDays(today, DUE_SOON_WORKING_DAYS).date;
}

/** Where a deadline stands at `now`. */
export function dueStateAt(due: { dueAt: Date; dueDate: IsoDate }, now: Date, cal: WorkingCalendar): DueState {
  if (due.dueAt.getTime() < now.getTime()) return 'overdue';
  return due.dueDate <= dueSoonUntil(shanghaiDate(now), cal) ? 'soon' : 'later';
}

/**
 * Working days left before a due date, as a deadline counted in working days reads it: the working
 * days after `today` up to and including `dueDate` (0 when it is due today or has passed).
 */
export function workingDaysLeft(today: IsoDate, dueDate: IsoDate, cal: WorkingCalendar): number {
  let n = 0;
  for (let d = addDays(today, 1); d <= dueDate; d = addDays(d, 1)) if (cal.isWorkday(d)) n++;
  return n;
}
