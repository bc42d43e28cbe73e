/**
 * One month of the working calendar, Monday first: days off of a holiday in red with the holiday's
 * name, make-up workdays (调休上班) marked 班, weekends grey. Seven cells of 40 px: fits a 390 px phone.
 */
import { Box, Tooltip, Typography } from '@mui/material';
import { useTranslate } from 'react-admin';

export interface DayMarks {
  holidays: Map<string, string>;
  workdays: Map<string, string>;
}

const pad = (n: number) => String(n).padStart(2, '0');

export function MonthGrid({ year, month, marks }: { year: number; month: number; marks: DayMarks }) {
  const translate = useTranslate();
  const first = new Date(Date.UTC(year, month - 1, 1));
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const lead = (first.getUTCDay() + 6) % 7; // Monday first
  const weekdays = translate('fangfan.calendar.weekdays').split(',');
  const cells = [...Array.from({ length: lead }, () => null), ...Array.from({ length: days }, (_, i) => i + 1)];
  return (
    <Box data-testid={`month-${month}`}>
      <Typography variant="subtitle2" sx={{ mb: 0.5 }}>
        {translate('fangfan.calendar.month', { month })}
      </Typography>
      <Box sx={{ display: 'grid', gridTemplateColumns: 'repeat(7, 40px)', gap: '2px' }} role="grid">
        {weekdays.map((w) => (
          <Typography key={w} variant="caption" color="text.secondary" align="center">
            {w}
          </Typography>
        ))}
        {cells.map((day, i) => {
          if (day === null) return <span key={`lead-${i}`} />;
          const date = `${year}-${pad(month)}-${pad(day)}`;
          const holiday = marks.holidays.get(date);
          const workday = marks.workdays.get(date);
          const weekend = i % 7 >= 5;
          const label = holiday ? translate('fangfan.calendar.holiday_day', { date, name: holiday }) : workday ? translate('fangfan.calendar.workday_day', { date, name: workday }) : date;
          const cell = (
            <Box
              aria-label={label}
              data-kind={holiday ? 'holiday' : workday ? 'workday' : weekend ? 'weekend' : 'day'}
              sx={{
                height: 36,
                borderRadius: 1,
                display: 'flex',
                flexDirection: 'column',
                alignItems: 'center',
                justifyContent: 'center',
                fontSize: 14,
                bgcolor: holiday ? 'error.main' : workday ? 'warning.light' : 'transparent',
                color: holiday ? 'error.contrastText' : weekend && !workday ? 'text.disabled' : 'text.primary',
              }}
            >
              <span>{day}</span>
              {(holiday || workday) && <span style={{ fontSize: 10, lineHeight: 1 }}>{holiday ? translate('fangfan.calendar.off_mark') : translate('fangfan.calendar.work_mark')}</span>}
            </Box>
          );
          return holiday || workday ? (
            <Tooltip key={date} title={label} enterTouchDelay={0}>
              {cell}
            </Tooltip>
          ) : (
            <Box key={date}>{cell}</Box>
          );
        })}
      </Box>
    </Box>
  );
}
