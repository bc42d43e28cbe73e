/**
 * A case: its live state (the workflow's own query answer, refreshed while it runs and quickly after
 * an action until it settles), its open steps with their forms, completed steps, and the timeline.
 */
import { useRef } from 'react';
import { Alert, Box, Card, CardContent, CircularProgress, Stack, Typography } from '@mui/material';
import { ShowBase, Title, useLocaleState, useShowContext, useTranslate } from 'react-admin';
import type { ProcessDetail } from '../api/types';
import { useProcessType } from '../common/useCatalogue';
import { pick } from '../lib/text';
import { Accountability } from './Accountability';
import { CompletedSteps } from './CompletedSteps';
import { IllnessReliefSummary } from './IllnessReliefSummary';
import { ProcessHeader } from './ProcessHeader';
import { StepCard } from './StepCard';
import { Timeline } from './Timeline';

const FAST_MS = 1_000;
const SLOW_MS = 10_000;
const SETTLE_MS = 15_000;

function Section({ title, children, testId }: { title: string; children: React.ReactNode; testId?: string }) {
  return (
    <Card data-testid={testId}>
      <CardContent>
        <Typography variant="h6" component="h2" sx={{ mb: 1 }}>
          {title}
        </Typography>
        {children}
      </CardContent>
    </Card>
  );
}

function ProcessView({ onChanged }: { onChanged: () => void }) {
  const { record, isPending, error } = useShowContext<ProcessDetail>();
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const def = useProcessType(record?.type);
  if (error && !record) {
    return (
      <Alert severity="error" sx={{ mt: 2 }} data-testid="process-error">
        {(error as Error).message}
      </Alert>
    );
  }
  if (isPending || !record) return <CircularProgress sx={{ m: 2 }} aria-label={translate('ra.page.loading')} />;
  const openSteps = record.openSteps ?? [];
  return (
    <Stack spacing={2} sx={{ mt: 1, mb: 2 }}>
      <Title title={`${record.title ?? record.subject} · ${def ? pick(def.title, locale) : record.type}`} />
      <ProcessHeader process={record} def={def} onChanged={onChanged} />
      {record.type === 'illnessRelief' && record.state && (
        <Section title={translate('fangfan.relief.title')} testId="relief-summary">
          <IllnessReliefSummary process={record} />
        </Section>
      )}
      <Box sx={{ display: 'grid', gridTemplateColumns: { xs: 'minmax(0, 1fr)', lg: 'minmax(0, 3fr) minmax(0, 2fr)' }, gap: 2, alignItems: 'start' }}>
        <Stack spacing={2}>
          <Section title={translate('fangfan.process.open_steps')} testId="open-steps">
            {openSteps.length ? (
              <Stack spacing={2}>
                {openSteps.map((s) => (
                  <StepCard key={s.id} process={record} step={s} def={def?.steps.find((d) => d.key === s.key)} onChanged={onChanged} />
                ))}
              </Stack>
            ) : (
              <Typography variant="body2" color="text.secondary">
                {translate('fangfan.process.no_open_steps')}
              </Typography>
            )}
          </Section>
          {record.type === 'rectification' && (
            <Section title={translate('fangfan.rectification.title')} testId="rectification-accountability">
              <Accountability process={record} />
            </Section>
          )}
          {!!record.state?.steps?.some((s) => s.status !== 'open') && (
            <Section title={translate('fangfan.process.completed_steps')}>
              <CompletedSteps steps={record.state.steps} def={def} />
            </Section>
          )}
        </Stack>
        <Section title={translate('fangfan.process.timeline')}>
          <Timeline processId={String(record.id)} revision={record.state?.revision} def={def} />
        </Section>
      </Box>
    </Stack>
  );
}

export function ProcessShow() {
  // After an action, poll fast until the case settles (the next step opens, the read model catches up).
  const settleUntil = useRef(0);
  const refetchInterval = (query: { state: { data?: unknown } }) => {
    if (Date.now() < settleUntil.current) return FAST_MS;
    const data = query.state.data as ProcessDetail | undefined;
    return data?.status === 'running' ? SLOW_MS : false;
  };
  return (
    // A refusal (403 outside one's area, 404) is shown on the page, not turned into a redirect.
    <ShowBase queryOptions={{ refetchInterval, refetchOnWindowFocus: true, onError: () => undefined }}>
      <ProcessView onChanged={() => (settleUntil.current = Date.now() + SETTLE_MS)} />
    </ShowBase>
  );
}
