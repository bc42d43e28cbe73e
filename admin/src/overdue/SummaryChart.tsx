/** Overdue steps per group as a bar chart (recharts). */
import { Box } from '@mui/material';
import { useTheme } from '@mui/material/styles';
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

export function SummaryChart({ rows, label }: { rows: { name: string; count: number }[]; label: string }) {
  const theme = useTheme();
  const height = Math.max(160, rows.length * 36 + 40);
  return (
    <Box sx={{ width: '100%', height }} data-testid="overdue-chart">
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={rows} layout="vertical" margin={{ top: 8, right: 24, bottom: 8, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" horizontal={false} />
          <XAxis type="number" allowDecimals={false} />
          <YAxis type="category" dataKey="name" width={110} tick={{ fontSize: 12 }} />
          <Tooltip />
          <Bar dataKey="count" name={label} fill={theme.palette.error.main} maxBarSize={28} isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </Box>
  );
}
