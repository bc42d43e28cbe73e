/** 死信 (admins): integration events that could not be delivered, newest first. */
import { Chip } from '@mui/material';
import { DataTable, FilterButton, List, SearchInput, SelectInput, SimpleList, TextInput, TopToolbar, useRecordContext, useTranslate } from 'react-admin';
import type { DeadLetterRecord } from '../api/types';
import { useIsSmall } from '../common/useIsSmall';
import { formatDateTime } from '../lib/dates';

function useFilters() {
  const translate = useTranslate();
  return [
    <SearchInput key="q" source="q" alwaysOn />,
    <SelectInput
      key="replayed"
      source="replayed"
      alwaysOn
      choices={[
        { id: 'false', name: translate('fangfan.dead_letters.not_replayed') },
        { id: 'true', name: translate('fangfan.dead_letters.replayed_state') },
      ]}
    />,
    <TextInput key="endpoint" source="endpoint" />,
  ];
}

export function ReplayStateField() {
  const letter = useRecordContext<DeadLetterRecord>();
  const translate = useTranslate();
  if (!letter) return null;
  if (letter.delivered) return <Chip size="small" color="success" label={translate('fangfan.dead_letters.delivered', { at: formatDateTime(letter.replayedAt) })} />;
  if (letter.replayResult) return <Chip size="small" color="error" label={translate('fangfan.dead_letters.replay_failed_at', { at: formatDateTime(letter.replayedAt) })} />;
  return <Chip size="small" variant="outlined" label={translate('fangfan.dead_letters.not_replayed')} />;
}

export function DeadLetterList() {
  const isSmall = useIsSmall();
  const translate = useTranslate();
  const filters = useFilters();
  return (
    <List<DeadLetterRecord>
      filters={filters}
      sort={{ field: 'receivedAt', order: 'DESC' }}
      actions={
        <TopToolbar>
          <FilterButton />
        </TopToolbar>
      }
    >
      {isSmall ? (
        <SimpleList<DeadLetterRecord>
          primaryText={(l) => l.reason}
          secondaryText={(l) => `${l.endpoint} · ${l.sourceName}`}
          tertiaryText={(l) =>
            l.delivered ? translate('fangfan.dead_letters.delivered', { at: formatDateTime(l.replayedAt) }) : formatDateTime(l.receivedAt)
          }
          rowClick="show"
        />
      ) : (
        <DataTable<DeadLetterRecord> rowClick="show" bulkActionButtons={false}>
          <DataTable.Col source="receivedAt" render={(l) => formatDateTime(l.receivedAt)} />
          <DataTable.Col source="sourceName" disableSort />
          <DataTable.Col source="endpoint" />
          <DataTable.Col source="reason" disableSort />
          <DataTable.NumberCol source="status" disableSort />
          <DataTable.Col source="replayedAt" field={ReplayStateField} />
        </DataTable>
      )}
    </List>
  );
}
