/** An on-demand action the case offers now (`state.actions`), completed like a step, with its catalogue form. */
import { Dialog, DialogContent, DialogTitle } from '@mui/material';
import { useDataProvider, useNotify, useRefresh } from 'react-admin';
import type { AppDataProvider } from '../api/dataProvider';
import type { CatalogueStepInfo, ProcessDetail } from '../api/types';
import { useActor } from '../common/useActor';
import { useApiMutation } from '../common/useApiMutation';
import { SchemaForm } from '../forms/SchemaForm';

export function ActionDialog({ process, action, title, onClose, onChanged }: { process: ProcessDetail; action: CatalogueStepInfo; title: string; onClose: () => void; onChanged: () => void }) {
  const notify = useNotify();
  const refresh = useRefresh();
  const actor = useActor();
  const dataProvider = useDataProvider<AppDataProvider>();
  const complete = useApiMutation({
    mutationFn: (form: Record<string, unknown>) => dataProvider.completeStep({ processId: process.id, stepKey: action.key, form }),
  });
  return (
    <Dialog open onClose={onClose} fullWidth maxWidth="sm">
      <DialogTitle>{title}</DialogTitle>
      <DialogContent>
        <SchemaForm
          schema={action.form}
          idPrefix={`action-${action.key}`}
          context={{ town: process.town, village: process.village, actorId: actor?.id }}
          onSubmit={(form) => complete.mutateAsync(form)}
          onSuccess={() => {
            notify('fangfan.process.step_done', { type: 'success', messageArgs: { step: title } });
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
