/** One dead letter: what was sent, why it failed, and a replay (as its source) once the cause is fixed. */
import { useState } from 'react';
import { Alert, AlertTitle, Box, Button, Card, CardContent, CircularProgress, Stack, Typography } from '@mui/material';
import ReplayIcon from '@mui/icons-material/Replay';
import { FunctionField, Labeled, Show, SimpleShowLayout, TextField, useDataProvider, useNotify, useRecordContext, useRefresh, useTranslate } from 'react-admin';
import type { AppDataProvider } from '../api/dataProvider';
import type { DeadLetterRecord } from '../api/types';
import { useApiMutation } from '../common/useApiMutation';
import { formatDateTime } from '../lib/dates';
import { ReplayStateField } from './DeadLetterList';

export function Json({ value, testId }: { value: unknown; testId?: string }) {
  return (
    <Box
      component="pre"
      data-testid={testId}
      sx={{ m: 0, p: 1, bgcolor: 'action.hover', borderRadius: 1, fontSize: 13, overflowX: 'auto', whiteSpace: 'pre-wrap', wordBreak: 'break-all', maxWidth: '100%' }}
    >
      {JSON.stringify(value, null, 2)}
    </Box>
  );
}

function Replay() {
  const letter = useRecordContext<DeadLetterRecord>();
  const translate = useTranslate();
  const notify = useNotify();
  const refresh = useRefresh();
  const dataProvider = useDataProvider<AppDataProvider>();
  const [failure, setFailure] = useState<{ status?: number; message: string }>();
  const replay = useApiMutation({
    mutationFn: (id: string) => dataProvider.replayDeadLetter(id),
    onMutate: () => setFailure(undefined),
    onSuccess: () => {
      notify('fangfan.dead_letters.replayed', { type: 'success' });
      refresh();
    },
    onError: (e) => {
      setFailure({ status: (e as { status?: number }).status, message: e.message });
      refresh();
    },
  });
  if (!letter) return null;
  const result = letter.replayResult;
  return (
    <Card variant="outlined" sx={{ mt: 2 }}>
      <CardContent>
        <Stack spacing={1.5}>
          <Typography variant="h6">{translate('fangfan.dead_letters.replay_title')}</Typography>
          {!letter.delivered && (
            <>
              <Typography variant="body2" color="text.secondary">
                {translate('fangfan.dead_letters.replay_hint')}
              </Typography>
              <Box>
                <Button
                  variant="contained"
                  startIcon={replay.isPending ? <CircularProgress size={16} /> : <ReplayIcon />}
                  disabled={replay.isPending}
                  onClick={() => replay.mutate(letter.id)}
                  data-testid="replay"
                >
                  {translate('fangfan.dead_letters.replay')}
                </Button>
              </Box>
            </>
          )}
          {failure && (
            <Alert severity="error" data-testid="replay-failure">
              <AlertTitle>{failure.status === 422 ? translate('fangfan.dead_letters.replay_refused') : translate('fangfan.form.error')}</AlertTitle>
              {failure.message}
            </Alert>
          )}
          {result && (
            <Box data-testid="replay-result">
              <Alert severity={result.ok ? 'success' : 'warning'} sx={{ mb: 1 }}>
                {translate(result.ok ? 'fangfan.dead_letters.last_ok' : 'fangfan.dead_letters.last_failed', {
                  at: formatDateTime(letter.replayedAt),
                  by: letter.replayedBy ?? '',
                  status: result.status,
                })}
              </Alert>
              <Json value={result.body} />
            </Box>
          )}
        </Stack>
      </CardContent>
    </Card>
  );
}

function Payload() {
  const letter = useRecordContext<DeadLetterRecord>();
  const translate = useTranslate();
  if (!letter) return null;
  return (
    <Labeled label={translate('resources.dead-letters.fields.payload')} fullWidth>
      <Json value={letter.payload} testId="dead-letter-payload" />
    </Labeled>
  );
}

function DeadLetterTitle() {
  const letter = useRecordContext<DeadLetterRecord>();
  const translate = useTranslate();
  return <>{letter ? translate('fangfan.dead_letters.title', { endpoint: letter.endpoint }) : ''}</>;
}

export function DeadLetterShow() {
  return (
    <Show<DeadLetterRecord> title={<DeadLetterTitle />}>
      <SimpleShowLayout sx={{ '& .RaLabeled-label': { mb: 0.5 } }}>
        <TextField source="reason" />
        <TextField source="endpoint" />
        <TextField source="sourceName" />
        <TextField source="source" />
        <FunctionField<DeadLetterRecord> source="receivedAt" render={(l) => formatDateTime(l.receivedAt)} />
        <TextField source="status" />
        <TextField source="attempts" />
        <Labeled source="replayedAt">
          <ReplayStateField />
        </Labeled>
        <Payload />
        <Replay />
      </SimpleShowLayout>
    </Show>
  );
}
