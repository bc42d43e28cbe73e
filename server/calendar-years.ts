/**
 * The working calendar in force: the shipped calendar file with the years an administrator entered in the
 * console on top (official_calendar_year). Entering a year replaces it and makes the open provisional
 * deadlines catch up (each case recomputes its own). A worker in another process picks the entered years up
 * before it computes a deadline (`sync`), so the recomputation a new year triggers uses it.
 */
import type { Db } from '../db';
import { OfficialCalendarYear } from '../db';
import { loadCalendar, type WorkingCalendar } from '../calendar';
import type { OfficialYear } from '../calendar/officialFile';
import { checkEnteredYear, type EnteredYear, type EnteredYearProblem } from '../calendar/entered-year';
import { shanghaiDate } from '../calendar/dates';

export class CalendarYears {
  private current: WorkingCalendar;
  /** What the loaded calendar was built from: the entered years' count and newest entry time. */
  private stamp = '';

  constructor(
    private readonly db: Db,
    private readonly recompute: () => Promise<number>,
  ) {
    this.current = loadCalendar();
  }

  calendar(): WorkingCalendar {
    return this.current;
  }

  /** Rebuilds from the file and the entered years (the file may have changed too). */
  async load(): Promise<void> {
    const rows = await this.db.em().find(OfficialCalendarYear, {}, { orderBy: { year: 'ASC' } });
    const entered: OfficialYear[] = rows.map((r) => ({ year: r.year, source: r.source, holidays: r.holidays, makeUpWorkdays: r.makeUpWorkdays }));
    this.current = loadCalendar({ entered });
    this.stamp = stampOf(rows);
  }

  /** Reloads when another process entered a year since this one loaded (one small query). */
  async sync(): Promise<void> {
    const rows = await this.db.em().find(OfficialCalendarYear, {}, { fields: ['year', 'enteredAt'] });
    if (stampOf(rows) !== this.stamp) await this.load();
  }

  /** After the calendar file was edited: reload, and move the provisional deadlines it now covers. */
  async reload(): Promise<{ years: number[]; recomputed: number }> {
    await this.load();
    return { years: this.current.officialYears(), recomputed: await this.recompute() };
  }

  /** Enters (or replaces) a year's official schedule; the problems instead when it is not one. */
  async enter(year: number, body: EnteredYear, by: { id: string; name: string }, now = new Date()): Promise<EnteredYearProblem[] | { year: number; holidays: number; makeUpWorkdays: number; recomputed: number }> {
    const source = body.source?.trim() || `管理员录入（${by.name}，${shanghaiDate(now)}）`;
    const checked = checkEnteredYear(year, body, source);
    if (Array.isArray(checked)) return checked;
    const em = this.db.em();
    const row = (await em.findOne(OfficialCalendarYear, { year })) ?? em.create(OfficialCalendarYear, { year, source, holidays: [], makeUpWorkdays: [], enteredBy: by.id, enteredByName: by.name, enteredAt: now });
    Object.assign(row, { source, holidays: checked.holidays, makeUpWorkdays: checked.makeUpWorkdays, enteredBy: by.id, enteredByName: by.name, enteredAt: now });
    await em.flush();
    await this.load();
    return { year, holidays: checked.holidays.length, makeUpWorkdays: checked.makeUpWorkdays.length, recomputed: await this.recompute() };
  }
}

function stampOf(rows: { year: number; enteredAt: Date }[]): string {
  return rows
    .map((r) => `${r.year}@${r.enteredAt.getTime()}`)
    .sort()
    .join(',');
}
