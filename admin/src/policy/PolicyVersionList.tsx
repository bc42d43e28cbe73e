/** 政策版本 (supervisors and admins): every version of the rules, newest first, with its status and day. */
import { Chip } from '@mui/material';
import { CreateButton, DataTable, List, SimpleList, TopToolbar, useRecordContext, useTranslate } from 'react-admin';
import { may } from '../../../contracts/authz';
import { useActor } from '../common/useActor';
import type { PolicyVersionRecord } from '../api/types';
import { useIsSmall } from '../common/useIsSmall';
import { formatDateTime } from '../lib/dates';

const COLOR = { draft: 'default', scheduled: 'info', active: 'success', retired: 'default' } as const;

export function PolicyStatusField() {
  const v = useRecordContext<PolicyVersionRecord>();
  const translate = useTranslate();
  if (!v) return null;
  return <Chip size="small" color={COLOR[v.status]} variant={v.status === 'retired' ? 'outlined' : 'filled'} label={translate(`fangfan.policy.status.${v.status}`)} data-testid="policy-status" />;
}

export function PolicyVersionList() {
  const isSmall = useIsSmall();
  const translate = useTranslate();
  const actor = useActor();
  // Only administrators draft (the API refuses anyone else).
  const actions = <TopToolbar>{actor && may(actor, 'policy.draft') && <CreateButton label="fangfan.policy.draft_title" />}</TopToolbar>;
  return (
    <List<PolicyVersionRecord> sort={{ field: 'version', order: 'DESC' }} exporter={false} actions={actions}>
      {isSmall ? (
        <SimpleList<PolicyVersionRecord>
          primaryText={(v) => `${v.name} · ${translate(`fangfan.policy.status.${v.status}`)}`}
          secondaryText={(v) => translate('fangfan.policy.effective_from', { date: v.effectiveFrom })}
          tertiaryText={(v) => v.note}
          rowClick="show"
        />
      ) : (
        <DataTable<PolicyVersionRecord> rowClick="show" bulkActionButtons={false}>
          <DataTable.Col source="version" render={(v) => v.name} />
          <DataTable.Col source="status" field={PolicyStatusField} disableSort />
          <DataTable.Col source="effectiveFrom" />
          <DataTable.Col source="note" disableSort />
          <DataTable.Col source="createdByName" disableSort />
          <DataTable.Col source="createdAt" render={(v) => formatDateTime(v.createdAt)} />
          <DataTable.Col source="activatedByName" disableSort render={(v) => v.activatedByName ?? ''} />
        </DataTable>
      )}
    </List>
  );
}
