/**
 * 审计日志 (supervisors and admins): the append-only log, filtered by exactly the keys the API accepts
 * (actor, action, processId, outcome, from, to …), with the Excel export of the filtered list.
 */
import { Chip } from '@mui/material';
import { DataTable, FilterButton, List, SelectInput, SimpleList, TextInput, TopToolbar, useRecordContext, useTranslate } from 'react-admin';
import type { AuditRecord } from '../api/types';
import { DateTextInput } from '../common/DateTextField';
import { ExportButton } from '../common/ExportButton';
import { useIsSmall } from '../common/useIsSmall';
import { formatDateTime } from '../lib/dates';
import { Json } from '../deadLetters/DeadLetterShow';

export const OUTCOMES = ['ok', 'refused', 'error'] as const;
const OUTCOME_COLORS = { ok: 'success', refused: 'warning', error: 'error' } as const;

/** The filters by the route's keys (server/routes/audit.ts); an emptied field is no filter. */
function useFilters() {
  const translate = useTranslate();
  const blank = (v: unknown) => (v === '' || v === null ? undefined : v);
  return [
    <TextInput key="actor" source="actor" alwaysOn parse={blank} />,
    <TextInput key="action" source="action" alwaysOn parse={blank} />,
    <SelectInput key="outcome" source="outcome" choices={OUTCOMES.map((o) => ({ id: o, name: translate(`fangfan.audit.outcome_${o}`) }))} />,
    <TextInput key="processId" source="processId" parse={blank} />,
    <DateTextInput key="from" source="from" />,
    <DateTextInput key="to" source="to" />,
  ];
}

export function OutcomeField() {
  const entry = useRecordContext<AuditRecord>();
  const translate = useTranslate();
  if (!entry) return null;
  const color = OUTCOME_COLORS[entry.outcome] ?? 'default';
  return <Chip size="small" color={color} variant={entry.outcome === 'ok' ? 'outlined' : 'filled'} label={translate(`fangfan.audit.outcome_${entry.outcome}`, { _: entry.outcome })} />;
}

const actorText = (e: AuditRecord) => (e.actorName && e.actorName !== e.actorId ? `${e.actorName}（${e.actorId}）` : e.actorId);

function Detail() {
  const entry = useRecordContext<AuditRecord>();
  return entry?.detail ? <Json value={entry.detail} /> : null;
}

function Actions() {
  return (
    <TopToolbar>
      <FilterButton />
      <ExportButton />
    </TopToolbar>
  );
}

export function AuditList() {
  const isSmall = useIsSmall();
  const translate = useTranslate();
  const filters = useFilters();
  return (
    <List<AuditRecord> filters={filters} actions={<Actions />} sort={{ field: 'id', order: 'DESC' }} perPage={25}>
      {isSmall ? (
        <SimpleList<AuditRecord>
          primaryText={(e) => `${e.action} · ${actorText(e)}`}
          secondaryText={(e) => [e.processId ?? e.target, e.ip].filter(Boolean).join(' · ')}
          tertiaryText={(e) => `${formatDateTime(e.at)} ${translate(`fangfan.audit.outcome_${e.outcome}`, { _: e.outcome })}`}
          rowClick={false}
        />
      ) : (
        <DataTable<AuditRecord> rowClick={false} bulkActionButtons={false} expand={<Detail />} isRowExpandable={(e) => !!e.detail}>
          <DataTable.Col source="at" render={(e) => formatDateTime(e.at)} sx={{ whiteSpace: 'nowrap' }} />
          <DataTable.Col source="actorId" label="resources.audit.fields.actor" render={actorText} />
          <DataTable.Col source="action" />
          <DataTable.Col source="processId" render={(e) => e.processId ?? e.target ?? ''} />
          <DataTable.Col source="ip" disableSort />
          <DataTable.Col source="outcome" field={OutcomeField} sx={{ whiteSpace: 'nowrap' }} />
        </DataTable>
      )}
    </List>
  );
}
