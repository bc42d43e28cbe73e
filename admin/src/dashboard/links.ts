/**
 * The list behind each figure of the dashboard: the household register or the step list with the
 * filters the statistics API counts by (server/stats/: the same conditions, so the list's total is
 * the figure).
 */
export type Filter = Record<string, string | boolean>;

const list = (resource: 'households' | 'steps', filter: Filter) => `/${resource}?${new URLSearchParams({ filter: JSON.stringify(filter) })}`;

/** The day after a `YYYY-MM-DD` day. */
export const dayAfter = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

export interface Period {
  from: string;
  to: string;
}

/** `place`: `{ town }` or `{ town, village }` for one group's figures, `{}` for the caller's whole area. */
export const figureLinks = (place: Filter, period: Period, dueSoonLastDay?: string) => ({
  monitored: list('households', { ...place, monitoringStatus: 'monitored' }),
  includedInPeriod: list('households', { ...place, includedFrom: period.from, includedTo: period.to }),
  eliminatedInPeriod: list('households', { ...place, eliminatedFrom: period.from, eliminatedTo: period.to }),
  openSteps: list('steps', { ...place, status: 'open' }),
  dueSoonSteps: dueSoonLastDay ? list('steps', { ...place, status: 'open', overdue: false, dueBefore: dayAfter(dueSoonLastDay) }) : undefined,
  overdueSteps: list('steps', { ...place, overdue: true }),
});
