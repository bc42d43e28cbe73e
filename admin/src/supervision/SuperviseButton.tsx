/**
 * 督办 from the overdue list: a district supervisor sends the responsible town or department a reminder
 * about one overdue step (a row's button) or several (the rows ticked on a desktop). The unit is the
 * steps' department when they share one, otherwise their town; steps of several units are refused here
 * before the API would. The reply then waits in that unit's inbox (process `supervisionNotice`).
 */
import { useState } from 'react';
import { Alert, Button, Dialog, DialogActions, DialogContent, DialogTitle, List, ListItem, ListItemText, TextField } from '@mui/material';
import CampaignIcon from '@mui/icons-material/Campaign';
import { useDataProvider, useListContext, useLocaleState, useNotify, useRefresh, useTranslate } from 'react-admin';
import { useNavigate } from 'react-router-dom';
import type { AppDataProvider } from '../api/dataProvider';
import type { StepRecord } from '../api/types';
import { useActor } from '../common/useActor';
import { useApiMutation } from '../common/useApiMutation';
import { stepTitle } from '../steps/StepFields';

export const SUPERVISION_ROLES = ['district_supervisor', 'admin'];

/** The one unit responsible for all these steps: their shared department, else their shared town. */
export function unitOf(steps: Pick<StepRecord, 'town' | 'department'>[]): { department: string } | { town: string } | undefined {
  const departments = new Set(steps.map((s) => s.department ?? ''));
  const [department] = departments;
  if (departments.size === 1 && department) return { department };
  const towns = new Set(steps.map((s) => s.town));
  const [town] = towns;
  return towns.size === 1 && town && !steps.some((s) => s.department) ? { town } : undefined;
}

export function useMaySupervise(): boolean {
  const actor = useActor();
  return !!actor?.roles.some((r) => SUPERVISION_ROLES.includes(r));
}

function SuperviseDialog({ steps, onClose }: { steps: StepRecord[]; onClose: (sent: boolean) => void }) {
  const translate = useTranslate();
  const notify = useNotify();
  const navigate = useNavigate();
  const [locale] = useLocaleState();
  const dataProvider = useDataProvider<AppDataProvider>();
  const [requirement, setRequirement] = useState(translate('fangfan.supervision.default_requirement'));
  const unit = unitOf(steps);
  const send = useApiMutation({
    mutationFn: () => dataProvider.startProcess({ type: 'supervisionNotice', input: { ...unit, stepIds: steps.map((s) => s.id), requirement } }),
    onSuccess: (started) => {
      notify('fangfan.supervision.sent', { type: 'success', messageArgs: { unit: unit && ('town' in unit ? unit.town : unit.department) } });
      onClose(true);
      navigate(`/processes/${encodeURIComponent(started.id)}/show`);
    },
  });
  return (
    <Dialog open onClose={() => onClose(false)} fullWidth maxWidth="sm" data-testid="supervise-dialog">
      <DialogTitle>{translate('fangfan.supervision.title')}</DialogTitle>
      <DialogContent>
        {unit ? (
          <Alert severity="info" sx={{ mb: 1 }}>
            {translate('fangfan.supervision.to', { unit: 'town' in unit ? unit.town : unit.department })}
          </Alert>
        ) : (
          <Alert severity="warning" data-testid="supervise-mixed">
            {translate('fangfan.supervision.mixed')}
          </Alert>
        )}
        <List dense>
          {steps.map((s) => (
            <ListItem key={s.id} disableGutters>
              <ListItemText primary={`${s.headName ? `${s.headName} · ` : ''}${stepTitle(s, locale)}`} secondary={translate('fangfan.due.overdue', { smart_count: s.overdueDays })} />
            </ListItem>
          ))}
        </List>
        <TextField
          label={translate('fangfan.supervision.requirement')}
          value={requirement}
          onChange={(e) => setRequirement(e.target.value)}
          multiline
          minRows={2}
          fullWidth
          inputProps={{ maxLength: 1000, 'data-testid': 'supervise-requirement' }}
        />
        {send.error && (
          <Alert severity="error" sx={{ mt: 1 }}>
            {send.error.message}
          </Alert>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={() => onClose(false)}>{translate('ra.action.cancel')}</Button>
        <Button variant="contained" disabled={!unit || !requirement.trim() || send.isPending} onClick={() => send.mutate(undefined)} data-testid="supervise-send">
          {translate('fangfan.supervision.send')}
        </Button>
      </DialogActions>
    </Dialog>
  );
}

/** A row's 督办 button (the row's step alone). */
export function SuperviseStepButton({ step }: { step: StepRecord }) {
  const translate = useTranslate();
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button
        size="small"
        startIcon={<CampaignIcon />}
        onClick={(e) => {
          e.stopPropagation();
          setOpen(true);
        }}
        data-testid="supervise-step"
      >
        {translate('fangfan.supervision.action')}
      </Button>
      {open && <SuperviseDialog steps={[step]} onClose={() => setOpen(false)} />}
    </>
  );
}

/** The bulk action: a 督办 about the ticked overdue steps. */
export function SuperviseBulkButton() {
  const translate = useTranslate();
  const refresh = useRefresh();
  const { selectedIds, data = [], onUnselectItems } = useListContext<StepRecord>();
  const [open, setOpen] = useState(false);
  const steps = data.filter((s) => selectedIds.includes(s.id));
  return (
    <>
      <Button size="small" startIcon={<CampaignIcon />} onClick={() => setOpen(true)} disabled={!steps.length} data-testid="supervise-selected">
        {translate('fangfan.supervision.action_selected', { smart_count: steps.length })}
      </Button>
      {open && (
        <SuperviseDialog
          steps={steps}
          onClose={(sent) => {
            setOpen(false);
            if (sent) {
              onUnselectItems();
              refresh();
            }
          }}
        />
      )}
    </>
  );
}
