/**
 * A department officer uploads the department's list (CSV or Excel, up to 100,000 records) for comparison
 * with the register: the bytes sent show as they go, then the server reads and matches the list, and the
 * batch's page follows its processing (records processed of received).
 */
import { useState } from 'react';
import { Alert, Box, Button, Card, CardContent, CircularProgress, LinearProgress, Stack, TextField, Typography } from '@mui/material';
import { useMutation } from '@tanstack/react-query';
import { useDataProvider, useNotify, useRedirect, useTranslate } from 'react-admin';
import type { AppDataProvider } from '../api/dataProvider';
import { isApiErrorBody } from '../api/http';
import { useActor } from '../common/useActor';

/** Bytes as people read them: 812 KB, 3.4 MB. */
const size = (bytes: number) => (bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`);

/** The refusal's messages (each names the row and the column at fault), or its one message; a dropped connection says so. */
function refusalLines(error: unknown, translate: (key: string) => string): string[] {
  if ((error as { status?: unknown }).status === 0) return [translate('fangfan.files.network')];
  const body = (error as { body?: unknown }).body;
  const details = isApiErrorBody(body) ? (body.error.details ?? []).map((d) => d.message) : [];
  return details.length ? details : [(error as Error).message];
}

export function BatchUpload() {
  const translate = useTranslate();
  const dataProvider = useDataProvider<AppDataProvider>();
  const actor = useActor();
  const notify = useNotify();
  const redirect = useRedirect();
  const [file, setFile] = useState<File>();
  const [kind, setKind] = useState('');
  const [sentBytes, setSentBytes] = useState(0);
  const send = useMutation({
    mutationFn: () => {
      setSentBytes(0);
      return dataProvider.sendExchangeFile(file!, { department: actor?.department ?? '', kind }, setSentBytes);
    },
    onSuccess: (summary) => {
      notify(translate('fangfan.data_exchange.sent', summary), { type: 'success' });
      redirect('show', 'data-exchange-batches', summary.id);
    },
  });
  const uploading = send.isPending && file && sentBytes < file.size;
  return (
    <Card sx={{ mt: 2 }}>
      <CardContent>
        <Stack spacing={2}>
          <Typography variant="h6">{translate('fangfan.data_exchange.upload_title')}</Typography>
          <Typography variant="body2">{translate('fangfan.data_exchange.upload_hint')}</Typography>
          {actor?.department && <Typography variant="body2">{`${translate('resources.data-exchange-batches.fields.department')}：${actor.department}`}</Typography>}
          <TextField label={translate('fangfan.data_exchange.kind')} value={kind} onChange={(e) => setKind(e.target.value)} inputProps={{ maxLength: 40 }} />
          <Button variant="outlined" component="label">
            {file ? `${file.name}（${size(file.size)}）` : translate('fangfan.data_exchange.choose_file')}
            <input hidden type="file" accept=".csv,.xlsx" data-testid="exchange-file" onChange={(e) => setFile(e.target.files?.[0])} />
          </Button>
          {send.isPending && file && (
            <Box data-testid="exchange-upload-progress">
              <LinearProgress variant={uploading ? 'determinate' : 'indeterminate'} value={uploading ? Math.round((sentBytes / file.size) * 100) : undefined} />
              <Typography variant="caption">
                {uploading ? translate('fangfan.data_exchange.uploading', { sent: size(sentBytes), total: size(file.size) }) : translate('fangfan.data_exchange.matching')}
              </Typography>
            </Box>
          )}
          {send.error && (
            <Alert severity="error" role="alert">
              {refusalLines(send.error, translate).map((line) => (
                <div key={line}>{line}</div>
              ))}
            </Alert>
          )}
          <Button variant="contained" disabled={!file || !kind.trim() || send.isPending} onClick={() => send.mutate()} startIcon={send.isPending ? <CircularProgress size={16} /> : undefined}>
            {translate('fangfan.data_exchange.send')}
          </Button>
        </Stack>
      </CardContent>
    </Card>
  );
}
