/**
 * Actions on a case beyond its steps, shown only when allowed: the catalogue's signals (for the roles
 * and stages the catalogue names, and `mayDo(actor, 'signal')`), cancellation (`mayDo(actor,
 * 'cancel')`), both while the case runs; and the link to the workflow in Temporal's Web UI.
 */
import { useState } from 'react';
import { Button, Dialog, DialogContent, DialogTitle, Stack, TextField } from '@mui/material';
import CancelIcon from '@mui/icons-material/Cancel';
import CampaignIcon from '@mui/icons-material/Campaign';
import OpenInNewIcon from '@mui/icons-material/OpenInNew';
import { useDataProvider, useLocaleState, useNotify, useRefresh, useTranslate } from 'react-admin';
import { mayDo } from '../../../contracts/authz';
import type { AppDataProvider } from '../api/dataProvider';
import type { CatalogueSignalInfo, ProcessDetail, ProcessTypeInfo } from '../api/types';
import { useActor } from '../common/useActor';
import { useApiMutation } from '../common/useApiMutation';
import { FailureAlert, SchemaForm } from '../forms/SchemaForm';
import { toFormFailure, type FormFailure } from '../lib/serverErrors';
import { pick } from '../lib/text';

function SignalDialog({ process, signal, onClose, onChanged }: { process: ProcessDetail; signal: CatalogueSignalInfo; onClose: () => void; onChanged: () => void }) {
  const [locale] = useLocaleState();
  const notify = useNotify();
  const refresh = useRefresh();
  const actor = useActor();
  const dataProvider = useDataProvider<AppDataProvider>();
  const send = useApiMutation({
    mutationFn: (payload: Record<string, unknown>) => dataProvider.sendSignal({ processId: process.id, signal: signal.name, payload }),
  });
  const title = pick(signal.title, locale);
  return (
    <Dialog open onClose={onClose} fullWidth maxWidth="sm">
      <DialogTitle>{title}</DialogTitle>
      <DialogContent>
        <SchemaForm
          schema={signal.schema}
          idPrefix={`signal-${signal.name}`}
          context={{ town: process.town, village: process.village, actorId: actor?.id }}
          onSubmit={(payload) => send.mutateAsync(payload)}
          onSuccess={() => {
            notify('fangfan.process.signal_sent', { type: 'success', messageArgs: { signal: title } });
            onClose();
            onChanged();
            refresh();
          }}
          onCancel={onClose}
        />
      </DialogContent>
    </Dialog>
  );
}

function CancelDialog({ process, onClose, onChanged }: { process: ProcessDetail; onClose: () => void; onChanged: () => void }) {
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

export function ProcessActions({ process, def, onChanged }: { process: ProcessDetail; def?: ProcessTypeInfo; onChanged: () => void }) {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const actor = useActor();
  const [signal, setSignal] = useState<CatalogueSignalInfo>();
  const [cancelling, setCancelling] = useState(false);
  const running = process.status === 'running';
  const signals =
    running && actor && mayDo(actor, 'signal')
      ? (def?.signals ?? []).filter((s) => s.roles.some((r) => actor.roles.includes(r)) && (!s.stages || s.stages.includes(process.stage)))
      : [];
  const mayCancel = running && !!actor && mayDo(actor, 'cancel');
  return (
    <Stack direction="row" spacing={1} sx={{ flexWrap: 'wrap', rowGap: 1 }}>
      {signals.map((s) => (
        <Button key={s.name} size="small" variant="outlined" startIcon={<CampaignIcon />} onClick={() => setSignal(s)} data-testid={`signal-${s.name}`}>
          {pick(s.title, locale)}
        </Button>
      ))}
      {mayCancel && (
        <Button size="small" variant="outlined" color="error" startIcon={<CancelIcon />} onClick={() => setCancelling(true)} data-testid="cancel-case">
          {translate('fangfan.process.cancel')}
        </Button>
      )}
      {process.temporalUiUrl && (
        <Button size="small" href={process.temporalUiUrl} target="_blank" rel="noopener noreferrer" endIcon={<OpenInNewIcon />} data-testid="temporal-link">
          {translate('fangfan.process.temporal_ui')}
        </Button>
      )}
      {signal && <SignalDialog process={process} signal={signal} onClose={() => setSignal(undefined)} onChanged={onChanged} />}
      {cancelling && <CancelDialog process={process} onClose={() => setCancelling(false)} onChanged={onChanged} />}
    </Stack>
  );
}
