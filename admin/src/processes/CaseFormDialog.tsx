/**
 * A catalogue form in a dialog, sent to a case: an on-demand action (`state.actions`, completed like a
 * step) or a signal. One dialog for both; the caller says what submitting does and what to announce.
 */
import { Dialog, DialogContent, DialogTitle } from '@mui/material';
import { useNotify, useRefresh } from 'react-admin';
import type { ProcessDetail } from '../api/types';
import { useActor } from '../common/useActor';
import { useApiMutation } from '../common/useApiMutation';
import { SchemaForm } from '../forms/SchemaForm';

export interface CaseFormDialogProps {
  process: ProcessDetail;
  title: string;
  schema: object;
  idPrefix: string;
  submit: (body: Record<string, unknown>) => Promise<unknown>;
  /** The message announced on success, with its arguments. */
  done: { message: string; args: Record<string, string> };
  onClose: () => void;
  onChanged: () => void;
}

export function CaseFormDialog({ process, title, schema, idPrefix, submit, done, onClose, onChanged }: CaseFormDialogProps) {
  const notify = useNotify();
  const refresh = useRefresh();
  const actor = useActor();
  const send = useApiMutation({ mutationFn: submit });
  return (
    <Dialog open onClose={onClose} fullWidth maxWidth="sm">
      <DialogTitle>{title}</DialogTitle>
      <DialogContent>
        <SchemaForm
          schema={schema}
          idPrefix={idPrefix}
          context={{ town: process.town, village: process.village, actorId: actor?.id }}
          onSubmit={(body) => send.mutateAsync(body)}
          onSuccess={() => {
            notify(done.message, { type: 'success', messageArgs: done.args });
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
