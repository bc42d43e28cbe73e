/**
 * 逾期督办: open, due-soon and overdue steps by town or department (办理概况), overdue open steps
 * counted by town, process, role or department (the API's summary) as a chart and a table with the
 * oldest, and the list of overdue steps with days late; a row opens its case.
 */
import { useState } from 'react';
import { Alert, Box, Card, CardContent, CircularProgress, Stack, ToggleButton, ToggleButtonGroup, Typography } from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import { DataTable, List, Title, TopToolbar, useDataProvider, useLocaleState, useTranslate } from 'react-admin';
import type { AppDataProvider } from '../api/dataProvider';
import type { OverdueGroupBy, StepRecord } from '../api/types';
import { ExportButton } from '../common/ExportButton';
import { RoleLabel } from '../common/RoleLabel';
import { useCatalogue } from '../common/useCatalogue';
import { useIsSmall } from '../common/useIsSmall';
import { StepSimpleList } from '../steps/StepSimpleList';
import { HouseholdNameField, OverdueDaysField, PlaceField, StepDueField, StepTitleField, openCase, overdueRowSx } from '../steps/StepFields';
import { groupLabel } from './groupLabel';
import { SummaryChart } from './SummaryChart';
import { SummaryTable } from './SummaryTable';
import { StepStatusSummary } from './StepStatusSummary';
import { SuperviseBulkButton, SuperviseStepButton, useMaySupervise } from '../supervision/SuperviseButton';

const GROUPS: OverdueGroupBy[] = ['town', 'processType', 'role', 'department'];

function Summary() {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const dataProvider = useDataProvider<AppDataProvider>();
  const { data: catalogue = [] } = useCatalogue();
  const [groupBy, setGroupBy] = useState<OverdueGroupBy>('town');
  const { data, isPending, error } = useQuery({
    queryKey: ['overdueSummary', groupBy],
    queryFn: () => dataProvider.getOverdueSummary(groupBy),
    refetchInterval: 30_000,
  });
  const none = translate('fangfan.overdue.unassigned');
  const labelOf = (key: string) => groupLabel(groupBy, key, catalogue, locale, none);
  return (
    <Card>
      <CardContent>
        <Stack direction={{ xs: 'column', sm: 'row' }} spacing={1} sx={{ justifyContent: 'space-between', alignItems: { sm: 'center' }, mb: 1 }}>
          <Typography variant="h6" component="h2" data-testid="overdue-total">
            {data ? translate('fangfan.overdue.total', { smart_count: data.total }) : translate('fangfan.overdue.title')}
          </Typography>
          <ToggleButtonGroup size="small" exclusive value={groupBy} onChange={(_, v) => v && setGroupBy(v)} aria-label={translate('fangfan.overdue.group_by')} sx={{ flexWrap: 'wrap' }}>
            {GROUPS.map((g) => (
              <ToggleButton key={g} value={g} data-testid={`group-${g}`}>
                {translate(`fangfan.overdue.by.${g}`)}
              </ToggleButton>
            ))}
          </ToggleButtonGroup>
        </Stack>
        {isPending && <CircularProgress size={24} />}
        {error && <Alert severity="error">{error.message}</Alert>}
        {data && !data.total && <Alert severity="success">{translate('fangfan.overdue.none')}</Alert>}
        {data && data.total > 0 && (
          <Box sx={{ display: 'grid', gridTemplateColumns: { xs: 'minmax(0, 1fr)', lg: 'minmax(0, 2fr) minmax(0, 3fr)' }, gap: 2 }}>
            <SummaryChart rows={data.groups.map((g) => ({ name: labelOf(g.key), count: g.count }))} label={translate('fangfan.overdue.chart')} />
            <Box sx={{ overflowX: 'auto' }}>
              <SummaryTable groups={data.groups} labelOf={labelOf} />
            </Box>
          </Box>
        )}
      </CardContent>
    </Card>
  );
}

function OverdueSteps() {
  const isSmall = useIsSmall();
  const translate = useTranslate();
  // A district supervisor sends a 督办 about a row, or (desktop) the rows ticked.
  const supervise = useMaySupervise();
  return (
    <Box>
      <Typography variant="h6" component="h2" sx={{ mt: 2 }}>
        {translate('fangfan.overdue.list')}
      </Typography>
      <List<StepRecord>
        resource="steps"
        title={false}
        filter={{ overdue: true }}
        sort={{ field: 'dueAt', order: 'ASC' }}
        disableSyncWithLocation
        storeKey="overdueSteps"
        actions={
          <TopToolbar>
            <ExportButton />
          </TopToolbar>
        }
        queryOptions={{ refetchInterval: 30_000 }}
        empty={
          <Alert severity="success" sx={{ mt: 1 }} data-testid="overdue-list-empty">
            {translate('fangfan.overdue.none')}
          </Alert>
        }
      >
        {isSmall ? (
          <StepSimpleList action={supervise ? (s) => <SuperviseStepButton step={s} /> : undefined} />
        ) : (
          <DataTable<StepRecord> rowClick={openCase} rowSx={overdueRowSx} bulkActionButtons={supervise ? <SuperviseBulkButton /> : false} data-testid="overdue-list">
            <DataTable.Col source="title" field={StepTitleField} disableSort />
            <DataTable.Col source="householdId" label="resources.steps.fields.household" field={HouseholdNameField} disableSort />
            <DataTable.Col source="town" field={PlaceField} />
            <DataTable.Col source="role" render={(r) => <RoleLabel role={r.role} />} disableSort />
            <DataTable.Col source="department" disableSort />
            <DataTable.Col source="dueAt" field={StepDueField} />
            <DataTable.Col source="overdueDays" field={OverdueDaysField} />
            {supervise && <DataTable.Col label="fangfan.supervision.action" render={(r) => <SuperviseStepButton step={r as StepRecord} />} />}
          </DataTable>
        )}
      </List>
    </Box>
  );
}

export function OverdueDashboard() {
  const translate = useTranslate();
  return (
    <Box sx={{ mt: 1, mb: 2 }}>
      <Title title={translate('fangfan.overdue.title')} />
      <StepStatusSummary />
      <Summary />
      <OverdueSteps />
    </Box>
  );
}
