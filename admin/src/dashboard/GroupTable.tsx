/** Each town's (or village's) figures, the counts linking to their lists. */
import { Link, Table, TableBody, TableCell, TableHead, TableRow } from '@mui/material';
import { Link as RouterLink } from 'react-router-dom';
import { useTranslate } from 'react-admin';
import type { MonitoringStatsRow } from '../api/types';
import { figureLinks, type Period } from './links';
import { rate } from './rate';

const COLUMNS = ['monitored', 'includedInPeriod', 'eliminatedInPeriod', 'openSteps', 'dueSoonSteps', 'overdueSteps'] as const;

export function GroupTable({ rows, period, dueSoonLastDay }: { rows: MonitoringStatsRow[]; period: Period; dueSoonLastDay?: string }) {
  const translate = useTranslate();
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
          const links = figureLinks(row.village ? { town: row.town!, village: row.village } : { town: row.town ?? row.key }, period, dueSoonLastDay);
          return (
            <TableRow key={row.key}>
              <TableCell component="th" scope="row">
                {row.label}
              </TableCell>
              {COLUMNS.map((c) => (
                <TableCell key={c} align="right">
                  {links[c] ? (
                    <Link component={RouterLink} to={links[c]!} color={c === 'overdueSteps' && row[c] > 0 ? 'error' : 'inherit'}>
                      {row[c]}
                    </Link>
                  ) : (
                    row[c]
                  )}
                </TableCell>
              ))}
              <TableCell align="right">{rate(row.visitsDone, row.visitsDue) ?? translate('fangfan.no_value')}</TableCell>
            </TableRow>
          );
        })}
      </TableBody>
    </Table>
  );
}
