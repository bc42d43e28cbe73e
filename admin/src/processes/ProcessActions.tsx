/**
 * Actions on a case beyond its open steps, shown only when allowed (contracts/authz.ts) and while the
 * case runs: on-demand actions the case offers now (`state.actions`, `mayCompleteStep`), the
 * catalogue's signals (`maySignal`, at the stages the catalogue names), cancellation (`mayDo(actor,
 * 'cancel')`); printing the documents the case offers (PrintButtons); and the link to the workflow in
 * Temporal's Web UI.
 */
import { useState } from 'react';
import { Button, Stack } from '@mui/material';
import CancelIcon from '@mui/icons-material/Cancel';
import PlaylistAddCheckIcon from '@mui/icons-material/PlaylistAddCheck';
import CampaignIcon from '@mui/icons-material/Campaign';
import OpenInNewIcon from '@mui/icons-material/OpenInNew';
import { useDataProvider, useLocaleState, useTranslate } from 'react-admin';
import type { AppDataProvider } from '../api/dataProvider';
import { mayCompleteStep, mayDo, maySignal } from '../../../contracts/authz';
import type { CatalogueSignalInfo, CatalogueStepInfo, ProcessDetail, ProcessTypeInfo } from '../api/types';
import { useActor } from '../common/useActor';
import { pick } from '../lib/text';
import { CancelDialog } from './CancelDialog';
import { CaseFormDialog } from './CaseFormDialog';
import { PrintButtons } from './PrintButtons';

export function ProcessActions({ process, def, onChanged }: { process: ProcessDetail; def?: ProcessTypeInfo; onChanged: () => void }) {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const actor = useActor();
  const dataProvider = useDataProvider<AppDataProvider>();
  const [signal, setSignal] = useState<CatalogueSignalInfo>();
  const [cancelling, setCancelling] = useState(false);
  const [action, setAction] = useState<{ def: CatalogueStepInfo; title: string }>();
  const running = process.status === 'running';
  const actions =
    running && actor
      ? (process.state?.actions ?? []).flatMap((a) => {
          const stepDef = def?.steps.find((s) => s.key === a.key);
          return stepDef && mayCompleteStep(actor, a, process) ? [{ def: stepDef, title: pick(a.title, locale) }] : [];
        })
      : [];
  const signals =
    running && actor && def ? def.signals.filter((s) => maySignal(actor, def.type, s) && (!s.stages || s.stages.includes(process.stage))) : [];
  const mayCancel = running && !!actor && mayDo(actor, 'cancel');
  return (
    <Stack direction="row" spacing={1} sx={{ flexWrap: 'wrap', rowGap: 1 }}>
      {actions.map((a) => (
        <Button key={a.def.key} size="small" variant="contained" startIcon={<PlaylistAddCheckIcon />} onClick={() => setAction(a)} data-testid={`action-${a.def.key}`}>
          {a.title}
        </Button>
      ))}
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
      <PrintButtons process={process} />
      {process.temporalUiUrl && (
        <Button size="small" href={process.temporalUiUrl} target="_blank" rel="noopener noreferrer" endIcon={<OpenInNewIcon />} data-testid="temporal-link">
          {translate('fangfan.process.temporal_ui')}
        </Button>
      )}
      {signal && (
        <CaseFormDialog
          process={process}
          title={pick(signal.title, locale)}
          schema={signal.schema}
          idPrefix={`signal-${signal.name}`}
          submit={(payload) => dataProvider.sendSignal({ processId: process.id, signal: signal.name, payload })}
          done={{ message: 'fangfan.process.signal_sent', args: { signal: pick(signal.title, locale) } }}
          onClose={() => setSignal(undefined)}
          onChanged={onChanged}
        />
      )}
      {action && (
        <CaseFormDialog
          process={process}
          title={action.title}
          schema={action.def.form}
          idPrefix={`action-${action.def.key}`}
          submit={(form) => dataProvider.completeStep({ processId: process.id, stepKey: action.def.key, form })}
          done={{ message: 'fangfan.process.step_done', args: { step: action.title } }}
          onClose={() => setAction(undefined)}
          onChanged={onChanged}
        />
      )}
      {cancelling && <CancelDialog process={process} onClose={() => setCancelling(false)} onChanged={onChanged} />}
    </Stack>
  );
}
