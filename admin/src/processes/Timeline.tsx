/**
 * The case's audit timeline from `GET /api/processes/:id/history` (Temporal's event history): who
 * started it, every step completed and by whom (with its decision by name), signals such as
 * objections, deadlines that passed, cancellation and closing.
 */
import { Alert, Box, Chip, CircularProgress, List, ListItem, ListItemText, Typography } from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import { useDataProvider, useLocaleState, useTranslate } from 'react-admin';
import type { AppDataProvider } from '../api/dataProvider';
import type { HistoryEntry, ProcessTypeInfo } from '../api/types';
import { formatDate, formatDateTime } from '../lib/dates';
import { enumTitle } from '../lib/schemaUi';
import { pick } from '../lib/text';
import { FileThumbs } from '../files/FileThumbs';

const KIND_COLORS: Record<string, 'default' | 'primary' | 'success' | 'error' | 'warning' | 'info'> = {
  started: 'info',
  step: 'primary',
  signal: 'warning',
  cancel: 'default',
  deadline: 'error',
  repaired: 'warning',
  closed: 'success',
};

type Translate = (key: string, options?: Record<string, unknown>) => string;

/** The entry in words of the console's language where the catalogue knows them (else the API's summary). */
export function describeEntry(e: HistoryEntry, def: ProcessTypeInfo | undefined, locale: string, translate: Translate): string {
  if (e.kind === 'started' && def) return translate('fangfan.history.started_text', { process: pick(def.title, locale) });
  if (e.kind === 'deadline') return translate('fangfan.history.deadline_text');
  if (e.kind === 'repaired') return translate('fangfan.history.repaired_text');
  if (e.kind === 'closed') return translate(/异常|abnormal/i.test(e.summary) ? 'fangfan.history.ended_abnormally' : 'fangfan.history.closed_text');
  if (e.kind === 'step' && e.step) {
    const step = def?.steps.find((s) => s.key === e.step);
    if (step) {
      const code = /[（(]([A-Za-z_]+)[)）]\s*$/.exec(e.summary)?.[1];
      const decision = code ? enumTitle(step.form, code) : undefined;
      return decision ? `${pick(step.title, locale)}：${decision}` : pick(step.title, locale);
    }
  }
  if (e.kind === 'signal' && e.signal) {
    const signal = def?.signals.find((s) => s.name === e.signal);
    if (signal) return pick(signal.title, locale);
  }
  return e.summary;
}

/** The flags of a step's photos (taken long before the step, far from the village): the reviewer should look twice (not refused). */
const flagged = (e: HistoryEntry) => (e.files ?? []).flatMap((f) => (f.flags ?? []).map((flag, i) => ({ key: `${f.id}-${i}`, flag })));

export function Timeline({ processId, revision, def }: { processId: string; revision?: number; def?: ProcessTypeInfo }) {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const dataProvider = useDataProvider<AppDataProvider>();
  const { data, isPending, error } = useQuery({
    queryKey: ['processHistory', processId, revision ?? 0],
    queryFn: () => dataProvider.getHistory(processId),
  });
  if (isPending) return <CircularProgress size={20} aria-label={translate('ra.page.loading')} />;
  if (error) return <Alert severity="warning">{translate('fangfan.process.history_error')}：{error.message}</Alert>;
  return (
    <List dense disablePadding data-testid="timeline">
      {[...(data ?? [])].reverse().map((e, i) => (
        <ListItem key={`${e.at}-${i}`} disableGutters alignItems="flex-start" sx={{ borderLeft: 2, borderColor: 'divider', pl: 1.5, ml: 0.5, flexDirection: 'column' }}>
          <ListItemText
            primary={
              <Box sx={{ display: 'flex', gap: 1, alignItems: 'center', flexWrap: 'wrap' }}>
                <Chip size="small" color={KIND_COLORS[e.kind] ?? 'default'} label={translate(`fangfan.history.${e.kind}`, { _: e.kind })} />
                <Typography variant="body2" component="span" sx={{ fontWeight: 600 }}>
                  {describeEntry(e, def, locale, translate)}
                </Typography>
              </Box>
            }
            secondary={`${formatDateTime(e.at)}${e.actor ? ` · ${e.actor.name}` : ''}`}
          />
          {e.files?.length ? (
            <Box sx={{ mb: 1 }}>
              <FileThumbs ids={[...new Set(e.files.map((f) => f.id))]} size={56} />
              {flagged(e).map(({ key, flag }) =>
                flag.rule === 'takenBeforeStep' ? (
                  <Typography key={key} variant="caption" color="warning.main" component="div" data-testid="photo-age-warning">
                    {translate('fangfan.files.taken_long_before', { date: formatDate(flag.takenAt), days: flag.days })}
                  </Typography>
                ) : (
                  <Typography key={key} variant="caption" color="warning.main" component="div" data-testid="photo-distance-warning">
                    {translate('fangfan.files.taken_far_away', { km: flag.km.toLocaleString(locale === 'en' ? 'en' : 'zh-CN') })}
                  </Typography>
                ),
              )}
            </Box>
          ) : null}
        </ListItem>
      ))}
    </List>
  );
}
