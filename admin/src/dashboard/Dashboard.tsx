/**
 * 统计概览: the first page of supervisors and town officers. This month's key figures over the caller's
 * area (GET /api/stats/monitoring, scoped by the API): households monitored, included and eliminated
 * this month, open steps, those due within two working days and those overdue, helpers named on time
 * and visit compliance; a chart and a table by town (by village for a town officer). Every count links
 * to the list it counts.
 */
import { Alert, Box, Card, CardContent, CircularProgress, Typography } from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import { useNavigate } from 'react-router-dom';
import { Title, useDataProvider, useTranslate } from 'react-admin';
import type { AppDataProvider } from '../api/dataProvider';
import type { MonitoringStatsRow, StatsGroupBy } from '../api/types';
import { useActor } from '../common/useActor';
import { today } from '../lib/dates';
import { KeyFigures, type KeyFigure } from './KeyFigures';
import { TownChart } from './TownChart';
import { GroupTable } from './GroupTable';
import { figureLinks } from './links';
import { rate } from './rate';
import { MonthlyReportButton } from './MonthlyReportButton';
import { InformationOfficers } from './InformationOfficers';

const DUE_SOON_WORKING_DAYS = 2;

const total = (rows: MonitoringStatsRow[], figure: keyof MonitoringStatsRow) => rows.reduce((n, r) => n + Number(r[figure] ?? 0), 0);

export function Dashboard() {
  const translate = useTranslate();
  const navigate = useNavigate();
  const actor = useActor();
  const dataProvider = useDataProvider<AppDataProvider>();
  const day = today();
  const period = { from: `${day.slice(0, 8)}01`, to: day };
  // A town officer sees its own town: its villages are the groups.
  const groupBy: StatsGroupBy = actor?.roles.includes('district_supervisor') || actor?.roles.includes('admin') ? 'town' : 'village';
  const stats = useQuery({
    queryKey: ['monitoringStats', groupBy, period.from, period.to],
    queryFn: () => dataProvider.getMonitoringStats({ groupBy, ...period }),
    refetchInterval: 60_000,
  });
  const dueSoon = useQuery({ queryKey: ['workingDayAfter', day, DUE_SOON_WORKING_DAYS], queryFn: () => dataProvider.addWorkingDays(day, DUE_SOON_WORKING_DAYS) });
  const rows = stats.data ?? [];
  const links = figureLinks({}, period, dueSoon.data);
  const figures: KeyFigure[] = [
    { id: 'monitored', value: total(rows, 'monitored'), to: links.monitored },
    { id: 'includedInPeriod', value: total(rows, 'includedInPeriod'), to: links.includedInPeriod },
    { id: 'eliminatedInPeriod', value: total(rows, 'eliminatedInPeriod'), to: links.eliminatedInPeriod },
    { id: 'openSteps', value: total(rows, 'openSteps'), to: links.openSteps },
    { id: 'dueSoonSteps', value: total(rows, 'dueSoonSteps'), to: links.dueSoonSteps, tone: total(rows, 'dueSoonSteps') ? 'warning' : undefined },
    { id: 'overdueSteps', value: total(rows, 'overdueSteps'), to: links.overdueSteps, tone: total(rows, 'overdueSteps') ? 'error' : 'success' },
    { id: 'helpersOnTime', value: rate(total(rows, 'helpersAssignedOnTime'), total(rows, 'helpersAssigned')) ?? translate('fangfan.no_value') },
    { id: 'visitCompliance', value: rate(total(rows, 'visitsDone'), total(rows, 'visitsDue')) ?? translate('fangfan.no_value') },
  ];
  return (
    // One grid column of at most the page's width (on a phone the table's rows are cards).
    <Box sx={{ mt: 1, mb: 2, display: 'grid', gridTemplateColumns: 'minmax(0, 1fr)' }} data-testid="dashboard">
      <Title title={translate('fangfan.dashboard.title')} />
      <Typography variant="body2" color="text.secondary" sx={{ mb: 1 }}>
        {translate('fangfan.dashboard.period', { from: period.from, to: period.to })}
      </Typography>
      <MonthlyReportButton today={day} />
      {stats.error && <Alert severity="error">{stats.error.message}</Alert>}
      {stats.isPending ? <CircularProgress size={24} /> : <KeyFigures figures={figures} />}
      {rows.length > 0 && (
        <Card sx={{ mt: 2 }}>
          <CardContent>
            <Typography variant="h6" component="h2" sx={{ mb: 1 }}>
              {translate(`fangfan.dashboard.by_${groupBy}`)}
            </Typography>
            <TownChart rows={rows} onSelect={(row) => row && navigate(figureLinks(row.village ? { town: row.town!, village: row.village } : { town: row.town ?? row.key }, period).monitored)} />
            <Box sx={{ mt: 1 }}>
              <GroupTable rows={rows} period={period} dueSoonLastDay={dueSoon.data} />
            </Box>
          </CardContent>
        </Card>
      )}
      <InformationOfficers />
    </Box>
  );
}
