/** Cancels a running case with a reason (supervisors and admins; the API audits it). */
import { useState } from 'react';
import { Button, Dialog, DialogContent, DialogTitle, Stack, TextField } from '@mui/material';
import { useDataProvider, useNotify, useRefresh, useTranslate } from 'react-admin';
import type { AppDataProvider } from '../api/dataProvider';
import type { ProcessDetail } from '../api/types';
import { useApiMutation } from '../common/useApiMutation';
import { FailureAlert } from '../forms/SchemaForm';
import { toFormFailure, type FormFailure } from '../lib/serverErrors';

export function CancelDialog({ process, onClose, onChanged }: { process: ProcessDetail; onClose: () => void; onChanged: () => void }) {
  const translate = useTranslate();
  const notify = useNotify();
  const refresh = useRefresh();
  const dataProvider = useDataProvider<AppDataProvider>();
  const [reason, setReason] = useState('');
  const [failure, setFailure] = useState<FormFailure>();
  const cancel = useApiMutation({
    mutationFn: () => dataProvider.cancelProcess({ processId: process.id, reason }),
    onSuccess: () => {
      notify('fangfan.process.cancelled', { type: 'success' });
      onClose();
      onChanged();
      refresh();
    },
    onError: (e) => setFailure(toFormFailure(e, { type: 'object', properties: { reason: { type: 'string' } } }, { translate })),
  });
  const empty = !reason.trim();
  return (
    <Dialog open onClose={onClose} fullWidth maxWidth="sm">
      <DialogTitle>{translate('fangfan.process.cancel_title')}</DialogTitle>
      <DialogContent>
        <Stack spacing={2} sx={{ pt: 1 }}>
          <TextField
            label={translate('fangfan.process.cancel_reason')}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            multiline
            minRows={2}
            required
            autoFocus
            helperText={empty ? translate('fangfan.process.cancel_reason_required') : ' '}
          />
          {failure && <FailureAlert failure={failure} />}
          <Stack direction="row" spacing={1}>
            <Button variant="contained" color="error" disabled={empty || cancel.isPending} onClick={() => cancel.mutate()}>
              {translate('fangfan.process.cancel')}
            </Button>
            <Button onClick={onClose}>{translate('fangfan.form.cancel')}</Button>
          </Stack>
        </Stack>
      </DialogContent>
    </Dialog>
  );
}
