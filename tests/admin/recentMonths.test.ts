/** The months the dashboard offers a report for: this one and the eleven before, across a new year. */
import { expect, it } from 'vitest';
import { recentMonths } from '../../admin/src/dashboard/MonthlyReportButton';

it('counts back across the turn of the year', () => {
  expect(recentMonths('2027-02-15', 4)).toEqual(['2027-02', '2027-01', '2026-12', '2026-11']);
  expect(recentMonths('2026-12-08')).toHaveLength(12);
  expect(recentMonths('2026-12-08').at(-1)).toBe('2026-01');
});
