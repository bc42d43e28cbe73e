/**
 * 办理概况: open steps by town (or process, role, department) with how many are due soon (within two
 * working days) and overdue, from `GET /api/steps/summary`; each count opens the filtered step list.
 */
import { useState } from 'react';
import { Alert, Card, CardContent, CircularProgress, Link as MuiLink, Stack, Table, TableBody, TableCell, TableHead, TableRow, ToggleButton, ToggleButtonGroup, Typography } from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import { useCreatePath, useDataProvider, useLocaleState, useTranslate } from 'react-admin';
import { Link as RouterLink } from 'react-router-dom';
import type { AppDataProvider } from '../api/dataProvider';
import type { OverdueGroupBy, StepCounts } from '../api/types';
import { useCatalogue } from '../common/useCatalogue';
import { groupLabel } from './groupLabel';

const GROUPS: OverdueGroupBy[] = ['town', 'processType', 'department'];
const COUNTS: (keyof StepCounts)[] = ['open', 'soon', 'overdue'];
const FILTER: Record<keyof StepCounts, Record<string, unknown>> = { open: { status: 'open' }, soon: { due: 'soon' }, overdue: { due: 'overdue' } };

export function StepStatusSummary() {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const createPath = useCreatePath();
  const dataProvider = useDataProvider<AppDataProvider>();
  const { data: catalogue = [] } = useCatalogue();
  const [groupBy, setGroupBy] = useState<OverdueGroupBy>('town');
  const { data, isPending, error } = useQuery({
    queryKey: ['stepSummary', groupBy],
    queryFn: () => dataProvider.getStepSummary(groupBy),
    refetchInterval: 30_000,
  });
  const none = translate('fangfan.overdue.unassigned');
  /** The step list filtered to a group's steps of one count (a group without a key: no link). */
  const link = (count: keyof StepCounts, key: string | undefined, n: number) => {
    if (!n || key === '') return n;
    const filter = { ...FILTER[count], ...(key === undefined ? {} : { [groupBy]: key }) };
    return (
      <MuiLink component={RouterLink} to={`${createPath({ resource: 'steps', type: 'list' })}?filter=${encodeURIComponent(JSON.stringify(filter))}`}>
        {n}
      </MuiLink>
    );
  };
  const cells = (counts: StepCounts, key?: string) =>
    COUNTS.map((c) => (
      <TableCell key={c} align="right" sx={c === 'overdue' && counts.overdue ? { color: 'error.main', fontWeight: 700 } : c === 'soon' && counts.soon ? { color: 'warning.dark', fontWeight: 700 } : undefined}>
        {link(c, key, counts[c])}
      </TableCell>
    ));
  return (
    <Card sx={{ mb: 2 }}>
      <CardContent>
        <Stack direction={{ xs: 'column', sm: 'row' }} spacing={1} sx={{ justifyContent: 'space-between', alignItems: { sm: 'center' }, mb: 1 }}>
          <div>
            <Typography variant="h6" component="h2">
              {translate('fangfan.step_summary.title')}
            </Typography>
            <Typography variant="caption" color="text.secondary">
              {translate('fangfan.step_summary.hint')}
            </Typography>
          </div>
          <ToggleButtonGroup size="small" exclusive value={groupBy} onChange={(_, v) => v && setGroupBy(v)} aria-label={translate('fangfan.overdue.group_by')} sx={{ flexWrap: 'wrap' }}>
            {GROUPS.map((g) => (
              <ToggleButton key={g} value={g} data-testid={`status-group-${g}`}>
                {translate(`fangfan.overdue.by.${g}`)}
              </ToggleButton>
            ))}
          </ToggleButtonGroup>
        </Stack>
        {isPending && <CircularProgress size={24} />}
        {error && <Alert severity="error">{error.message}</Alert>}
        {data && !data.open && <Alert severity="info">{translate('fangfan.step_summary.none')}</Alert>}
        {data && data.open > 0 && (
          <Table size="small" data-testid="step-summary" sx={{ '& th, & td': { whiteSpace: 'nowrap' } }}>
            <TableHead>
              <TableRow>
                <TableCell>{translate('fangfan.overdue.key')}</TableCell>
                {COUNTS.map((c) => (
                  <TableCell key={c} align="right">
                    {translate(`fangfan.step_summary.${c}`)}
                  </TableCell>
                ))}
              </TableRow>
            </TableHead>
            <TableBody>
              {data.groups.map((g) => (
                <TableRow key={g.key} hover>
                  <TableCell sx={{ whiteSpace: 'normal !important' }}>{groupLabel(groupBy, g.key, catalogue, locale, none)}</TableCell>
                  {cells(g, g.key)}
                </TableRow>
              ))}
              {data.groups.length > 1 && (
                <TableRow>
                  <TableCell sx={{ fontWeight: 700 }}>{translate('fangfan.step_summary.total')}</TableCell>
                  {cells(data)}
                </TableRow>
              )}
            </TableBody>
          </Table>
        )}
      </CardContent>
    </Card>
  );
}
