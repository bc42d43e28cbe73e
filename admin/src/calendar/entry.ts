/**
 * A year's schedule as an administrator types or pastes it from the State Council's notice: one line per
 * holiday (`2027-02-06..2027-02-13 春节`, or one date) and one line per make-up workday (`2027-02-14`,
 * optionally with the holiday it makes up for). Becomes the body of PUT /api/calendar/{year}; the server
 * checks the dates (calendar/entered-year.ts) and names any problem.
 */
export interface YearEntry {
  source?: string;
  holidays: { date: string; name: string }[];
  workdays: { date: string; name?: string }[];
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Each day of an inclusive range `from..to` (YYYY-MM-DD), or undefined when it is not one (or longer than 31 days). */
function daysOf(text: string): string[] | undefined {
  const [from, to = from] = text.split('..').map((s) => s.trim());
  if (!DATE.test(from!) || !DATE.test(to!)) return undefined;
  const start = Date.parse(`${from}T00:00:00Z`);
  const end = Date.parse(`${to}T00:00:00Z`);
  const real = (t: number, text: string) => !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === text; // not 02-30
  if (!real(start, from!) || !real(end, to!) || end < start || end - start > 30 * 86_400_000) return undefined;
  const days: string[] = [];
  for (let t = start; t <= end; t += 86_400_000) days.push(new Date(t).toISOString().slice(0, 10));
  return days;
}

/** The lines that are not a date or range followed by a name (holidays) or a date (workdays), by line number from 1. */
export interface EntryProblems {
  holidays: number[];
  workdays: number[];
}

export function parseEntry(holidayText: string, workdayText: string, source: string): { entry: YearEntry; problems: EntryProblems } {
  const problems: EntryProblems = { holidays: [], workdays: [] };
  const lines = (text: string) =>
    text
      .split('\n')
      .map((l, i) => ({ line: i + 1, text: l.replace(/[，,、\t]/g, ' ').trim() }))
      .filter((l) => l.text);
  const holidays = lines(holidayText).flatMap(({ line, text }) => {
    const [dates = '', ...name] = text.split(/\s+/);
    const days = daysOf(dates);
    if (!days || !name.length) return (problems.holidays.push(line), []);
    return days.map((date) => ({ date, name: name.join(' ') }));
  });
  const workdays = lines(workdayText).flatMap(({ line, text }) => {
    const [date = '', ...name] = text.split(/\s+/);
    if (!DATE.test(date)) return (problems.workdays.push(line), []);
    return [name.length ? { date, name: name.join(' ') } : { date }];
  });
  return { entry: { ...(source.trim() ? { source: source.trim() } : {}), holidays, workdays }, problems };
}

/** The schedule as the lines `parseEntry` reads (consecutive days of one holiday as a range). */
export function entryText(holidays: { date: string; name: string }[], workdays: { date: string; name: string }[]): { holidays: string; workdays: string } {
  const runs: { from: string; to: string; name: string }[] = [];
  for (const h of holidays) {
    const last = runs[runs.length - 1];
    const next = last && new Date(Date.parse(`${last.to}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    if (last && last.name === h.name && next === h.date) last.to = h.date;
    else runs.push({ from: h.date, to: h.date, name: h.name });
  }
  return {
    holidays: runs.map((r) => `${r.from === r.to ? r.from : `${r.from}..${r.to}`} ${r.name}`).join('\n'),
    workdays: workdays.map((w) => `${w.date} ${w.name}`).join('\n'),
  };
}
