/** A department officer uploads the department's list (CSV or Excel) for comparison with the register. */
import { useState } from 'react';
import { Alert, Button, Card, CardContent, CircularProgress, Stack, TextField, Typography } from '@mui/material';
import { useMutation } from '@tanstack/react-query';
import { useDataProvider, useNotify, useRedirect, useTranslate } from 'react-admin';
import type { AppDataProvider } from '../api/dataProvider';
import { useActor } from '../common/useActor';

export function BatchUpload() {
  const translate = useTranslate();
  const dataProvider = useDataProvider<AppDataProvider>();
  const actor = useActor();
  const notify = useNotify();
  const redirect = useRedirect();
  const [file, setFile] = useState<File>();
  const [kind, setKind] = useState('');
  const send = useMutation({
    mutationFn: () => dataProvider.sendExchangeFile(file!, { department: actor?.department ?? '', kind }),
    onSuccess: (summary) => {
      notify(translate('fangfan.data_exchange.sent', summary), { type: 'success' });
      redirect('show', 'data-exchange-batches', summary.id);
    },
  });
  return (
    <Card sx={{ mt: 2 }}>
      <CardContent>
        <Stack spacing={2}>
          <Typography variant="h6">{translate('fangfan.data_exchange.upload_title')}</Typography>
          <Typography variant="body2">{translate('fangfan.data_exchange.upload_hint')}</Typography>
          {actor?.department && <Typography variant="body2">{`${translate('resources.data-exchange-batches.fields.department')}：${actor.department}`}</Typography>}
          <TextField label={translate('fangfan.data_exchange.kind')} value={kind} onChange={(e) => setKind(e.target.value)} inputProps={{ maxLength: 40 }} />
          <Button variant="outlined" component="label">
            {file ? file.name : translate('fangfan.data_exchange.choose_file')}
            <input hidden type="file" accept=".csv,.xlsx" data-testid="exchange-file" onChange={(e) => setFile(e.target.files?.[0])} />
          </Button>
          {send.error && <Alert severity="error">{(send.error as Error).message}</Alert>}
          <Button variant="contained" disabled={!file || !kind.trim() || send.isPending} onClick={() => send.mutate()} startIcon={send.isPending ? <CircularProgress size={16} /> : undefined}>
            {translate('fangfan.data_exchange.send')}
          </Button>
        </Stack>
      </CardContent>
    </Card>
  );
}
