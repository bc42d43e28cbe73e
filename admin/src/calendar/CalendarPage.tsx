/**
 * 节假日安排: a year of the working calendar every deadline is counted on, at a glance (twelve month
 * grids), with where it comes from: the State Council's notice, or — before it is published — a
 * provisional schedule of the statutory holidays, whose deadlines move once the notice is entered.
 * Administrators enter or correct a year here (PUT /api/calendar/{year}).
 */
import { useState } from 'react';
import { Alert, Box, Button, Chip, CircularProgress, IconButton, Stack, Typography } from '@mui/material';
import ChevronLeftIcon from '@mui/icons-material/ChevronLeft';
import ChevronRightIcon from '@mui/icons-material/ChevronRight';
import { useQuery } from '@tanstack/react-query';
import { Title, useDataProvider, useTranslate } from 'react-admin';
import type { AppDataProvider } from '../api/dataProvider';
import { useActor } from '../common/useActor';
import { may } from '../../../contracts/authz';
import { today } from '../lib/dates';
import { MonthGrid, type DayMarks } from './MonthGrid';
import { EnterYearDialog } from './EnterYearDialog';

export function CalendarPage() {
  const translate = useTranslate();
  const actor = useActor();
  const dataProvider = useDataProvider<AppDataProvider>();
  const [year, setYear] = useState(Number(today().slice(0, 4)));
  const [entering, setEntering] = useState(false);
  const query = useQuery({ queryKey: ['calendarYear', year], queryFn: () => dataProvider.getCalendarYear(year) });
  const schedule = query.data;
  const marks: DayMarks = {
    holidays: new Map(schedule?.holidays.map((h) => [h.date, h.name])),
    workdays: new Map(schedule?.makeUpWorkdays.map((w) => [w.date, w.name])),
  };
  const names = [...new Set(schedule?.holidays.map((h) => h.name))];
  return (
    <Box sx={{ mt: 1, mb: 2 }} data-testid="calendar-page">
      <Title title={translate('fangfan.calendar.title')} />
      <Stack direction="row" alignItems="center" spacing={1} sx={{ mb: 1, flexWrap: 'wrap', rowGap: 1 }}>
        <IconButton aria-label={translate('fangfan.calendar.previous')} onClick={() => setYear(year - 1)}>
          <ChevronLeftIcon />
        </IconButton>
        <Typography variant="h6" component="h2">
          {translate('fangfan.calendar.year', { year })}
        </Typography>
        <IconButton aria-label={translate('fangfan.calendar.next')} onClick={() => setYear(year + 1)}>
          <ChevronRightIcon />
        </IconButton>
        {schedule && <Chip size="small" color={schedule.official ? 'success' : 'warning'} label={translate(schedule.official ? 'fangfan.calendar.official' : 'fangfan.calendar.provisional')} />}
        {schedule && actor && may(actor, 'calendar.enter') && (
          <Button variant="outlined" size="small" onClick={() => setEntering(true)}>
            {translate(schedule.official ? 'fangfan.calendar.correct' : 'fangfan.calendar.enter')}
          </Button>
        )}
      </Stack>
      {query.isPending && <CircularProgress size={24} />}
      {query.error && <Alert severity="error">{query.error.message}</Alert>}
      {schedule && (
        <>
          <Alert severity={schedule.official ? 'info' : 'warning'} sx={{ mb: 2 }}>
            {schedule.official ? translate('fangfan.calendar.source_is', { source: schedule.source }) : translate('fangfan.calendar.provisional_hint', { year })}
            <div>{translate('fangfan.calendar.summary', { holidays: schedule.holidays.length, workdays: schedule.makeUpWorkdays.length, names: names.join('、') || translate('fangfan.no_value') })}</div>
          </Alert>
          <Box sx={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(300px, 1fr))', gap: 2 }}>
            {Array.from({ length: 12 }, (_, i) => (
              <MonthGrid key={i} year={year} month={i + 1} marks={marks} />
            ))}
          </Box>
        </>
      )}
      {entering && schedule && (
        <EnterYearDialog
          schedule={schedule}
          onClose={() => setEntering(false)}
          onSaved={() => {
            setEntering(false);
            void query.refetch();
          }}
        />
      )}
    </Box>
  );
}
