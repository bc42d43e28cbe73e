/**
 * One policy version: what it changes against the version in force, in people's words (“公示最短期限：
 * 5 天 → 7 天”), who drafted it and why; 启用 for a second administrator or a supervisor (the API refuses
 * the drafter: four-eyes).
 */
import { useState } from 'react';
import { Alert, Box, Button, Card, CardContent, CircularProgress, List as MuiList, ListItem, ListItemText, Stack, Typography } from '@mui/material';
import CheckCircleIcon from '@mui/icons-material/CheckCircle';
import ContentCopyIcon from '@mui/icons-material/ContentCopy';
import { Link } from 'react-router-dom';
import { may } from '../../../contracts/authz';
import { FunctionField, Show, SimpleShowLayout, TextField, useDataProvider, useNotify, useRecordContext, useRefresh, useTranslate } from 'react-admin';
import type { AppDataProvider } from '../api/dataProvider';
import type { PolicyVersionRecord } from '../api/types';
import { useActor } from '../common/useActor';
import { useApiMutation } from '../common/useApiMutation';
import { formatDateTime } from '../lib/dates';
import { PolicyStatusField } from './PolicyVersionList';

function Changes() {
  const v = useRecordContext<PolicyVersionRecord>();
  const translate = useTranslate();
  if (!v) return null;
  const changes = v.changes ?? [];
  return (
    <Card variant="outlined" sx={{ mt: 1 }}>
      <CardContent>
        <Typography variant="h6">{translate('fangfan.policy.changes_title', { version: v.inForce ? `v${v.inForce.version}` : '' })}</Typography>
        {changes.length === 0 ? (
          <Typography variant="body2" color="text.secondary">
            {translate(v.status === 'active' ? 'fangfan.policy.in_force' : 'fangfan.policy.no_changes')}
          </Typography>
        ) : (
          <MuiList dense data-testid="policy-changes">
            {changes.map((c) => (
              <ListItem key={c.path} disableGutters>
                <ListItemText primary={translate('fangfan.policy.change', { title: c.title, from: c.fromText, to: c.toText })} />
              </ListItem>
            ))}
          </MuiList>
        )}
      </CardContent>
    </Card>
  );
}

function Activate() {
  const v = useRecordContext<PolicyVersionRecord>();
  const actor = useActor();
  const translate = useTranslate();
  const notify = useNotify();
  const refresh = useRefresh();
  const dataProvider = useDataProvider<AppDataProvider>();
  const [failure, setFailure] = useState<string>();
  const activate = useApiMutation({
    mutationFn: (id: string) => dataProvider.activatePolicyVersion(id),
    onMutate: () => setFailure(undefined),
    onSuccess: () => {
      notify('fangfan.policy.activated', { type: 'success' });
      refresh();
    },
    onError: (e) => setFailure(e.message),
  });
  if (!v || v.status !== 'draft') return null;
  const ownDraft = actor?.id === v.createdBy;
  return (
    <Stack spacing={1} sx={{ mt: 2 }}>
      <Typography variant="body2" color="text.secondary">
        {translate(ownDraft ? 'fangfan.policy.own_draft' : 'fangfan.policy.activate_hint', { date: v.effectiveFrom })}
      </Typography>
      <Box>
        <Button
          variant="contained"
          startIcon={activate.isPending ? <CircularProgress size={16} /> : <CheckCircleIcon />}
          disabled={activate.isPending || ownDraft}
          onClick={() => activate.mutate(v.id)}
          data-testid="activate-policy"
        >
          {translate('fangfan.policy.activate')}
        </Button>
      </Box>
      {failure && <Alert severity="error">{failure}</Alert>}
    </Stack>
  );
}

/** Rolling back, or starting from any version: a new draft with this version's values (administrators). */
function DraftFrom() {
  const v = useRecordContext<PolicyVersionRecord>();
  const actor = useActor();
  const translate = useTranslate();
  if (!v || !actor || !may(actor, 'policy.draft') || v.status === 'active') return null;
  return (
    <Box sx={{ mt: 2 }}>
      <Button component={Link} to={`/policy-versions/create?from=${encodeURIComponent(v.id)}`} startIcon={<ContentCopyIcon />} data-testid="draft-from-version">
        {translate('fangfan.policy.draft_from', { name: v.name })}
      </Button>
    </Box>
  );
}

function Title() {
  const v = useRecordContext<PolicyVersionRecord>();
  const translate = useTranslate();
  return <>{v ? translate('fangfan.policy.title', { name: v.name }) : ''}</>;
}

export function PolicyVersionShow() {
  return (
    <Show<PolicyVersionRecord> title={<Title />}>
      <SimpleShowLayout>
        <FunctionField<PolicyVersionRecord> source="version" render={(v) => v.name} />
        <PolicyStatusField />
        <TextField source="effectiveFrom" />
        <TextField source="note" />
        <FunctionField<PolicyVersionRecord> source="createdByName" render={(v) => `${v.createdByName} · ${formatDateTime(v.createdAt)}`} />
        <FunctionField<PolicyVersionRecord> source="activatedByName" render={(v) => (v.activatedByName ? `${v.activatedByName} · ${formatDateTime(v.activatedAt)}` : '—')} />
        <Changes />
        <Activate />
        <DraftFrom />
      </SimpleShowLayout>
    </Show>
  );
}
