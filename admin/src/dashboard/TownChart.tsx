/** Monitored households and overdue steps by town (or village) as a bar chart (recharts, as the overdue view). */
import { Box } from '@mui/material';
import { useTheme } from '@mui/material/styles';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useTranslate } from 'react-admin';
import type { MonitoringStatsRow } from '../api/types';

export function TownChart({ rows, onSelect }: { rows: MonitoringStatsRow[]; onSelect?: (row: MonitoringStatsRow) => void }) {
  const theme = useTheme();
  const translate = useTranslate();
  const height = Math.max(180, rows.length * 40 + 60);
  return (
    <Box sx={{ width: '100%', height }} data-testid="dashboard-chart">
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={rows} layout="vertical" margin={{ top: 8, right: 24, bottom: 8, left: 8 }} onClick={(e) => onSelect?.(rows[Number(e?.activeTooltipIndex)])}>
          <CartesianGrid strokeDasharray="3 3" horizontal={false} />
          <XAxis type="number" allowDecimals={false} />
          <YAxis type="category" dataKey="label" width={110} tick={{ fontSize: 12 }} />
          <Tooltip />
          <Legend />
          <Bar dataKey="monitored" name={translate('fangfan.dashboard.figures.monitored')} fill={theme.palette.primary.main} maxBarSize={16} isAnimationActive={false} />
          <Bar dataKey="overdueSteps" name={translate('fangfan.dashboard.figures.overdueSteps')} fill={theme.palette.error.main} maxBarSize={16} isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </Box>
  );
}
