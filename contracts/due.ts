/**
 * How a deadline is counted. Policy files use these; the calendar computes them (in an activity,
 * so the result is recorded in the workflow's history and never recomputed on replay).
 */
export type DueRule =
  | { calendarDays: number } // end of the Nth calendar day after the opening day
  | { workingDays: number } // end of the Nth working day after the opening day (official holidays skipped, 调休 counted)
  | { duration: string } // ISO 8601 duration from the opening instant (short test policies)
  | { endOfMonth: true }; // end of the opening day's month

/** A computed deadline. `provisional` when the official holiday schedule of a year involved was not yet published. */
export interface Due {
  dueAt: string; // ISO 8601 instant with +08:00 offset
  dueDate: string; // YYYY-MM-DD, Asia/Shanghai
  provisional: boolean;
}

export function describeDueRule(rule: DueRule): { zh: string; en: string } {
  if ('calendarDays' in rule) return { zh: `${rule.calendarDays} 天`, en: `${rule.calendarDays} calendar days` };
  if ('workingDays' in rule) return { zh: `${rule.workingDays} 个工作日`, en: `${rule.workingDays} working days` };
  if ('duration' in rule) return { zh: `时长 ${rule.duration}`, en: `duration ${rule.duration}` };
  return { zh: '当月月底', en: 'end of the month' };
}
