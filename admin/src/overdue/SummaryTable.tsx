/** The summary's groups: count, oldest due date, most days late, and the oldest case to open; on a phone, a card per group. */
import { Box, Link as MuiLink, Table, TableBody, TableCell, TableHead, TableRow } from '@mui/material';
import { useCreatePath, useTranslate } from 'react-admin';
import { Link as RouterLink } from 'react-router-dom';
import type { OverdueGroup } from '../api/types';
import { StackedRows } from '../common/StackedRows';
import { useIsSmall } from '../common/useIsSmall';
import { formatDate } from '../lib/dates';

export function SummaryTable({ groups, labelOf }: { groups: OverdueGroup[]; labelOf: (key: string) => string }) {
  const translate = useTranslate();
  const createPath = useCreatePath();
  const isSmall = useIsSmall();
  // The oldest case by its number (a case the read model has not numbered yet: 查看).
  const oldestCase = (g: OverdueGroup) => (
    <MuiLink component={RouterLink} to={createPath({ resource: 'processes', id: g.oldestProcessId, type: 'show' })}>
      {g.oldestCaseNo ?? translate('fangfan.overdue.open_case')}
    </MuiLink>
  );
  const late = (g: OverdueGroup) => (
    <Box component="span" sx={{ color: 'error.main', fontWeight: 700 }}>
      {g.maxOverdueDays}
    </Box>
  );
  if (isSmall) {
    return (
      <StackedRows
        testId="overdue-summary"
        rows={groups.map((g) => ({
          key: g.key,
          title: labelOf(g.key),
          cells: [
            { label: translate('fangfan.overdue.count'), value: g.count },
            { label: translate('fangfan.overdue.max_days'), value: late(g) },
            { label: translate('fangfan.overdue.oldest'), value: formatDate(g.oldestDueAt) },
            { label: translate('fangfan.overdue.oldest_case'), value: oldestCase(g), wide: true },
          ],
        }))}
      />
    );
  }
  return (
    <Table size="small" data-testid="overdue-summary" sx={{ '& th, & td': { whiteSpace: 'nowrap' } }}>
      <TableHead>
        <TableRow>
          <TableCell>{translate('fangfan.overdue.key')}</TableCell>
          <TableCell align="right">{translate('fangfan.overdue.count')}</TableCell>
          <TableCell>{translate('fangfan.overdue.oldest')}</TableCell>
          <TableCell align="right">{translate('fangfan.overdue.max_days')}</TableCell>
          <TableCell>{translate('fangfan.overdue.oldest_case')}</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {groups.map((g) => (
          <TableRow key={g.key} hover>
            <TableCell>{labelOf(g.key)}</TableCell>
            <TableCell align="right">{g.count}</TableCell>
            <TableCell>{formatDate(g.oldestDueAt)}</TableCell>
            <TableCell align="right">{late(g)}</TableCell>
            <TableCell>{oldestCase(g)}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
