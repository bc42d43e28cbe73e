/** The summary's groups: count, oldest due date, most days late, and the oldest case to open. */
import { Link as MuiLink, Table, TableBody, TableCell, TableHead, TableRow } from '@mui/material';
import { useCreatePath, useTranslate } from 'react-admin';
import { Link as RouterLink } from 'react-router-dom';
import type { OverdueGroup } from '../api/types';
import { formatDate } from '../lib/dates';

export function SummaryTable({ groups, labelOf }: { groups: OverdueGroup[]; labelOf: (key: string) => string }) {
  const translate = useTranslate();
  const createPath = useCreatePath();
  return (
    <Table size="small" data-testid="overdue-summary" sx={{ '& th, & td': { whiteSpace: 'nowrap' }, '& td:last-of-type': { whiteSpace: 'normal' } }}>
      <TableHead>
        <TableRow>
          <TableCell>{translate('fangfan.overdue.key')}</TableCell>
          <TableCell align="right">{translate('fangfan.overdue.count')}</TableCell>
          <TableCell>{translate('fangfan.overdue.oldest')}</TableCell>
          <TableCell align="right">{translate('fangfan.overdue.max_days')}</TableCell>
          <TableCell sx={{ display: { xs: 'none', sm: 'table-cell' } }}>{translate('fangfan.overdue.oldest_case')}</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {groups.map((g) => (
          <TableRow key={g.key} hover>
            <TableCell>{labelOf(g.key)}</TableCell>
            <TableCell align="right">{g.count}</TableCell>
            <TableCell>{formatDate(g.oldestDueAt)}</TableCell>
            <TableCell align="right" sx={{ color: 'error.main', fontWeight: 700 }}>
              {g.maxOverdueDays}
            </TableCell>
            <TableCell sx={{ display: { xs: 'none', sm: 'table-cell' }, wordBreak: 'break-all' }}>
              <MuiLink component={RouterLink} to={createPath({ resource: 'processes', id: g.oldestProcessId, type: 'show' })}>
                {g.oldestProcessId}
              </MuiLink>
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
