/**
 * 即将到期: a step is due soon from the second working day before its due date, on the official
 * calendar (weekends and holidays skipped, 调休 make-up days counted as working days).
 */
import { describe, expect, it } from 'vitest';
import { loadCalendar, type WorkingCalendar } from '../calendar/index.js';
import { dueSoonUntil, dueStateAt, workingDaysLeft } from '../calendar/due-soon.js';

const cal: WorkingCalendar = loadCalendar();
/** A deadline at the end of a Shanghai day, as working- and calendar-day rules set it. */
const endOf = (dueDate: string) => ({ dueAt: new Date(`${dueDate}T23:59:59.999+08:00`), dueDate });
/** 10:00 in Shanghai on a day. */
const at = (date: string) => new Date(`${date}T10:00:00+08:00`);

describe('due soon', () => {
  it('reaches over a weekend: on Thursday a step due Monday is due soon, one due Tuesday is not', () => {
    expect(cal.day('2026-11-28').kind).toBe('weekend');
    expect(dueSoonUntil('2026-11-26', cal)).toBe('2026-11-30');
    expect(dueStateAt(endOf('2026-11-30'), at('2026-11-26'), cal)).toBe('soon');
    expect(dueStateAt(endOf('2026-12-01'), at('2026-11-26'), cal)).toBe('later');
    // On Wednesday Monday is three working days away.
    expect(dueStateAt(endOf('2026-11-30'), at('2026-11-25'), cal)).toBe('later');
    expect(workingDaysLeft('2026-11-25', '2026-11-30', cal)).toBe(3);
    expect(workingDaysLeft('2026-11-26', '2026-11-30', cal)).toBe(2);
    // Over the weekend itself it stays due soon.
    expect(dueStateAt(endOf('2026-11-30'), at('2026-11-29'), cal)).toBe('soon');
    expect(workingDaysLeft('2026-11-29', '2026-11-30', cal)).toBe(1);
  });

  it('counts a 调休 make-up Saturday as a working day', () => {
    expect(cal.day('2026-10-10').kind).toBe('makeUpWorkday');
    // Friday 9 October: Saturday 10 (make-up) and Monday 12 are the next two working days.
    expect(dueSoonUntil('2026-10-09', cal)).toBe('2026-10-12');
    expect(dueStateAt(endOf('2026-10-12'), at('2026-10-09'), cal)).toBe('soon');
    expect(dueStateAt(endOf('2026-10-13'), at('2026-10-09'), cal)).toBe('later');
    expect(workingDaysLeft('2026-10-09', '2026-10-12', cal)).toBe(2);
  });

  it('skips a holiday: before National Day a step due two working days after it is already due soon', () => {
    expect(cal.day('2026-10-01').kind).toBe('holiday');
    expect(cal.day('2026-10-07').kind).toBe('holiday');
    expect(dueSoonUntil('2026-09-30', cal)).toBe('2026-10-09');
    expect(dueStateAt(endOf('2026-10-09'), at('2026-09-30'), cal)).toBe('soon');
    expect(workingDaysLeft('2026-09-30', '2026-10-09', cal)).toBe(2);
  });

  it('is overdue once the due time has passed, and due soon on its day until then', () => {
    const due = { dueAt: new Date('2026-11-26T15:00:00+08:00'), dueDate: '2026-11-26' };
    expect(dueStateAt(due, new Date('2026-11-26T14:59:59+08:00'), cal)).toBe('soon');
    expect(dueStateAt(due, new Date('2026-11-26T15:00:01+08:00'), cal)).toBe('overdue');
    expect(workingDaysLeft('2026-11-26', '2026-11-26', cal)).toBe(0);
  });

  it('a due date on a weekend is due soon from the second working day before it', () => {
    // Saturday 28 November: Friday 27 and Thursday 26 are the two working days before it.
    expect(dueStateAt(endOf('2026-11-28'), at('2026-11-26'), cal)).toBe('soon');
    expect(dueStateAt(endOf('2026-11-28'), at('2026-11-25'), cal)).toBe('later');
  });
});
