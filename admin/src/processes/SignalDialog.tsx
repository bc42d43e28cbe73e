/** Sends one of the catalogue's signals to a case, with the payload form from its schema. */
import { Dialog, DialogContent, DialogTitle } from '@mui/material';
import { useDataProvider, useLocaleState, useNotify, useRefresh } from 'react-admin';
import type { AppDataProvider } from '../api/dataProvider';
import type { CatalogueSignalInfo, ProcessDetail } from '../api/types';
import { useActor } from '../common/useActor';
import { useApiMutation } from '../common/useApiMutation';
import { SchemaForm } from '../forms/SchemaForm';
import { pick } from '../lib/text';

export function SignalDialog({ process, signal, onClose, onChanged }: { process: ProcessDetail; signal: CatalogueSignalInfo; onClose: () => void; onChanged: () => void }) {
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
