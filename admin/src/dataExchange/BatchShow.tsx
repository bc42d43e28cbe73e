/** One batch: its counts and progress, every record with its outcome (the department's feedback), and the Excel download. */
import { useState } from 'react';
import { Button, Card, CardContent, Chip, List as MuiList, ListItem, ListItemText, MenuItem, Stack, TextField, Typography } from '@mui/material';
import DownloadIcon from '@mui/icons-material/Download';
import { useQuery, useMutation } from '@tanstack/react-query';
import { Show, useDataProvider, useLocaleState, useNotify, useRecordContext, useTranslate } from 'react-admin';
import type { AppDataProvider } from '../api/dataProvider';
import type { ExchangeBatch, ExchangeRecord } from './types';
import { saveBlob } from '../common/ExportButton';
import { langOf } from '../lib/text';
import { formatDateTime } from '../lib/dates';
import { BatchProgress, BatchStatus } from './BatchList';

const RESULTS = ['warning', 'matched', 'unmatched', 'duplicate'] as const;

function Records({ batch }: { batch: ExchangeBatch }) {
  const translate = useTranslate();
  const dataProvider = useDataProvider<AppDataProvider>();
  const [result, setResult] = useState<string>('');
  const { data = [] } = useQuery({ queryKey: ['exchange-records', batch.id, result, batch.processed], queryFn: () => dataProvider.getExchangeRecords(batch.id, result || undefined) });
  return (
    <Stack spacing={1}>
      <Stack direction="row" spacing={1} alignItems="center">
        <Typography variant="h6">{translate('fangfan.data_exchange.records')}</Typography>
        <TextField select size="small" value={result} onChange={(e) => setResult(e.target.value)} sx={{ minWidth: 120 }} label={translate('fangfan.data_exchange.result')}>
          <MenuItem value="">{translate('fangfan.data_exchange.all')}</MenuItem>
          {RESULTS.map((r) => (
            <MenuItem key={r} value={r}>
              {translate(`fangfan.data_exchange.result_${r}`)}
            </MenuItem>
          ))}
        </TextField>
      </Stack>
      <MuiList dense>
        {data.map((r: ExchangeRecord) => (
          <ListItem key={r.id} divider alignItems="flex-start">
            <ListItemText
              primary={
                <Stack direction="row" spacing={1} alignItems="center" flexWrap="wrap">
                  <span>{`${r.seq}. ${r.name}`}</span>
                  <Chip size="small" color={r.result === 'warning' ? 'warning' : 'default'} label={translate(`fangfan.data_exchange.result_${r.result}`)} />
                  {r.outcome && <Chip size="small" variant="outlined" label={translate(`fangfan.data_exchange.outcome_${r.outcome}`)} />}
                </Stack>
              }
              secondary={[r.rules.map((w) => w.text).join('；'), r.reasons].filter(Boolean).join(' · ')}
            />
          </ListItem>
        ))}
      </MuiList>
    </Stack>
  );
}

function BatchDetail() {
  const batch = useRecordContext<ExchangeBatch>();
  const translate = useTranslate();
  const dataProvider = useDataProvider<AppDataProvider>();
  const notify = useNotify();
  const [locale] = useLocaleState();
  const download = useMutation({
    mutationFn: () => dataProvider.getExchangeFeedback(batch!.id, langOf(locale)),
    onSuccess: ({ blob, filename }) => saveBlob(blob, filename),
    onError: (e: Error) => notify(e.message, { type: 'error' }),
  });
  if (!batch) return null;
  return (
    <Card>
      <CardContent>
        <Stack spacing={2}>
          <Typography variant="h6">{`${batch.department} · ${batch.kind}`}</Typography>
          <Typography variant="body2">{`${formatDateTime(batch.receivedAt)} · ${batch.senderName}`}</Typography>
          <Typography variant="body2">{translate('fangfan.data_exchange.counts', batch)}</Typography>
          <Stack direction="row" spacing={2} alignItems="center">
            <BatchProgress batch={batch} />
            <BatchStatus batch={batch} />
          </Stack>
          <Button variant="contained" startIcon={<DownloadIcon />} disabled={download.isPending} onClick={() => download.mutate()} data-testid="exchange-feedback">
            {translate('fangfan.data_exchange.download')}
          </Button>
          <Records batch={batch} />
        </Stack>
      </CardContent>
    </Card>
  );
}

export function BatchShow() {
  return (
    <Show component="div" queryOptions={{ refetchInterval: (q) => ((q.state.data as ExchangeBatch | undefined)?.status === 'done' ? false : 3000) }}>
      <BatchDetail />
    </Show>
  );
}
