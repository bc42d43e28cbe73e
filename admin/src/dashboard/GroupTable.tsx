/** Each town's (or village's) figures, the counts linking to their lists; on a phone, a card per place. */
import { Link, Table, TableBody, TableCell, TableHead, TableRow } from '@mui/material';
import { Link as RouterLink } from 'react-router-dom';
import { useTranslate } from 'react-admin';
import type { MonitoringStatsRow } from '../api/types';
import { StackedRows } from '../common/StackedRows';
import { useIsSmall } from '../common/useIsSmall';
import { figureLinks, type Period } from './links';
import { rate } from './rate';

const COLUMNS = ['monitored', 'includedInPeriod', 'eliminatedInPeriod', 'openSteps', 'dueSoonSteps', 'overdueSteps'] as const;

export function GroupTable({ rows, period, dueSoonLastDay }: { rows: MonitoringStatsRow[]; period: Period; dueSoonLastDay?: string }) {
  const translate = useTranslate();
  const isSmall = useIsSmall();
  const linksOf = (row: MonitoringStatsRow) => figureLinks(row.village ? { town: row.town!, village: row.village } : { town: row.town ?? row.key }, period, dueSoonLastDay);
  const figure = (row: MonitoringStatsRow, links: ReturnType<typeof linksOf>, c: (typeof COLUMNS)[number]) =>
    links[c] ? (
      <Link component={RouterLink} to={links[c]!} color={c === 'overdueSteps' && row[c] > 0 ? 'error' : 'inherit'}>
        {row[c]}
      </Link>
    ) : (
      row[c]
    );
  const visits = (row: MonitoringStatsRow) => rate(row.visitsDone, row.visitsDue) ?? translate('fangfan.no_value');
  if (isSmall) {
    return (
      <StackedRows
        testId="dashboard-table"
        rows={rows.map((row) => {
          const links = linksOf(row);
          return {
            key: row.key,
            title: row.label,
            cells: [
              ...COLUMNS.map((c) => ({ label: translate(`fangfan.dashboard.figures.${c}`), value: figure(row, links, c) })),
              { label: translate('fangfan.dashboard.figures.visitCompliance'), value: visits(row) },
            ],
          };
        })}
      />
    );
  }
  return (
    <Table size="small" data-testid="dashboard-table" sx={{ '& th, & td': { whiteSpace: 'nowrap' } }}>
      <TableHead>
        <TableRow>
          <TableCell>{translate('fangfan.dashboard.place')}</TableCell>
          {COLUMNS.map((c) => (
            <TableCell key={c} align="right">
              {translate(`fangfan.dashboard.figures.${c}`)}
            </TableCell>
          ))}
          <TableCell align="right">{translate('fangfan.dashboard.figures.visitCompliance')}</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {rows.map((row) => {
          const links = linksOf(row);
          return (
            <TableRow key={row.key}>
              <TableCell component="th" scope="row">
                {row.label}
              </TableCell>
              {COLUMNS.map((c) => (
                <TableCell key={c} align="right">
                  {figure(row, links, c)}
                </TableCell>
              ))}
              <TableCell align="right">{visits(row)}</TableCell>
            </TableRow>
          );
        })}
      </TableBody>
    </Table>
  );
}
