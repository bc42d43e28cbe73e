/**
 * Entering a year's official schedule (administrators): the notice's title, its days off and its make-up
 * workdays as lines (entry.ts), prefilled with what is in force; the server's refusals are listed as it
 * words them, nothing is saved until the whole schedule is right.
 */
import { useState } from 'react';
import { Alert, Button, Dialog, DialogActions, DialogContent, DialogTitle, TextField } from '@mui/material';
import { useDataProvider, useNotify, useTranslate } from 'react-admin';
import type { AppDataProvider } from '../api/dataProvider';
import type { CalendarYear } from '../api/types';
import { isApiErrorBody } from '../api/http';
import { useApiMutation } from '../common/useApiMutation';
import { entryText, parseEntry } from './entry';

export function EnterYearDialog({ schedule, onClose, onSaved }: { schedule: CalendarYear; onClose: () => void; onSaved: () => void }) {
  const translate = useTranslate();
  const notify = useNotify();
  const dataProvider = useDataProvider<AppDataProvider>();
  const initial = entryText(schedule.holidays, schedule.makeUpWorkdays);
  const [source, setSource] = useState(schedule.official ? schedule.source : '');
  const [holidays, setHolidays] = useState(initial.holidays);
  const [workdays, setWorkdays] = useState(initial.workdays);
  const [problems, setProblems] = useState<string[]>([]);
  const save = useApiMutation({
    mutationFn: (entry: ReturnType<typeof parseEntry>['entry']) => dataProvider.enterCalendarYear(schedule.year, entry),
    onSuccess: (result) => {
      notify(translate('fangfan.calendar.saved', { year: result.year, holidays: result.holidays, workdays: result.makeUpWorkdays, cases: result.recomputed }), { type: 'success', multiLine: true });
      onSaved();
    },
    onError: (err) => {
      const body = (err as { body?: unknown }).body;
      setProblems(isApiErrorBody(body) && body.error.details?.length ? body.error.details.map((d) => d.message) : [err.message]);
    },
  });
  const submit = () => {
    const { entry, problems: lines } = parseEntry(holidays, workdays, source);
    const local = [
      ...lines.holidays.map((line) => translate('fangfan.calendar.bad_holiday_line', { line })),
      ...lines.workdays.map((line) => translate('fangfan.calendar.bad_workday_line', { line })),
    ];
    setProblems(local);
    if (!local.length) save.mutate(entry);
  };
  return (
    <Dialog open onClose={onClose} fullWidth maxWidth="sm">
      <DialogTitle>{translate('fangfan.calendar.enter_title', { year: schedule.year })}</DialogTitle>
      <DialogContent sx={{ display: 'grid', gap: 2, pt: '8px !important' }}>
        <TextField label={translate('fangfan.calendar.source')} placeholder={translate('fangfan.calendar.source_hint', { year: schedule.year })} value={source} onChange={(e) => setSource(e.target.value)} fullWidth />
        <TextField label={translate('fangfan.calendar.holidays')} helperText={translate('fangfan.calendar.holidays_hint', { year: schedule.year })} value={holidays} onChange={(e) => setHolidays(e.target.value)} multiline minRows={5} fullWidth inputProps={{ 'data-testid': 'holiday-lines' }} />
        <TextField label={translate('fangfan.calendar.workdays')} helperText={translate('fangfan.calendar.workdays_hint', { year: schedule.year })} value={workdays} onChange={(e) => setWorkdays(e.target.value)} multiline minRows={2} fullWidth inputProps={{ 'data-testid': 'workday-lines' }} />
        {problems.length > 0 && (
          <Alert severity="error" data-testid="entry-problems">
            {problems.map((p) => (
              <div key={p}>{p}</div>
            ))}
          </Alert>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>{translate('ra.action.cancel')}</Button>
        <Button variant="contained" onClick={submit} disabled={save.isPending}>
          {translate('ra.action.save')}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
