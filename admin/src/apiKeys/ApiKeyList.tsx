/** API 密钥 (admins): the integrations' keys, never their secrets; create and revoke. */
import { Box, Typography } from '@mui/material';
import { CreateButton, DataTable, List, RecordContextProvider, SearchInput, SelectInput, TopToolbar, useListContext, useTranslate } from 'react-admin';
import type { ApiKeyRecord } from '../api/types';
import { useIsSmall } from '../common/useIsSmall';
import { formatDateTime } from '../lib/dates';
import { KeyStateField, ScopesField } from './ApiKeyFields';
import { RevokeButton } from './RevokeButton';

function useFilters() {
  const translate = useTranslate();
  return [
    <SearchInput key="q" source="q" alwaysOn />,
    <SelectInput
      key="active"
      source="active"
      alwaysOn
      choices={[
        { id: 'true', name: translate('fangfan.api_keys.active') },
        { id: 'false', name: translate('fangfan.api_keys.revoked_state') },
      ]}
    />,
  ];
}

const when = (at: string | null, never: string) => (at ? formatDateTime(at) : never);

/** Phone width: one card per key. */
function KeyCards() {
  const { data = [] } = useListContext<ApiKeyRecord>();
  const translate = useTranslate();
  return (
    <Box>
      {data.map((k) => (
        <RecordContextProvider key={k.id} value={k}>
          <Box sx={{ p: 1.5, borderBottom: 1, borderColor: 'divider' }} data-testid="api-key-card">
            <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, flexWrap: 'wrap' }}>
              <Typography variant="subtitle1" sx={{ flexGrow: 1, wordBreak: 'break-all' }}>
                {k.name}
              </Typography>
              <KeyStateField />
            </Box>
            <Typography variant="body2" color="text.secondary" sx={{ fontFamily: 'monospace', wordBreak: 'break-all' }}>
              {k.prefix}…
            </Typography>
            <Box sx={{ my: 0.5 }}>
              <ScopesField />
            </Box>
            <Typography variant="caption" color="text.secondary" component="div">
              {translate('resources.api-keys.fields.createdAt')} {formatDateTime(k.createdAt)} · {translate('resources.api-keys.fields.lastUsedAt')}{' '}
              {when(k.lastUsedAt, translate('fangfan.api_keys.never_used'))}
            </Typography>
            <RevokeButton />
          </Box>
        </RecordContextProvider>
      ))}
    </Box>
  );
}

export function ApiKeyList() {
  const isSmall = useIsSmall();
  const translate = useTranslate();
  const filters = useFilters();
  return (
    <List<ApiKeyRecord>
      filters={filters}
      actions={
        <TopToolbar>
          <CreateButton />
        </TopToolbar>
      }
      sort={{ field: 'createdAt', order: 'DESC' }}
    >
      {isSmall ? (
        <KeyCards />
      ) : (
        <DataTable<ApiKeyRecord> rowClick={false} bulkActionButtons={false}>
          <DataTable.Col source="name" />
          <DataTable.Col source="prefix" disableSort render={(k) => <Box component="span" sx={{ fontFamily: 'monospace' }}>{k.prefix}…</Box>} />
          <DataTable.Col source="scopes" disableSort field={ScopesField} />
          <DataTable.Col source="createdAt" render={(k) => formatDateTime(k.createdAt)} />
          <DataTable.Col source="lastUsedAt" render={(k) => when(k.lastUsedAt, translate('fangfan.api_keys.never_used'))} />
          <DataTable.Col source="revokedAt" label="resources.api-keys.fields.active" field={KeyStateField} />
          <DataTable.Col source="id" label=" " disableSort field={RevokeButton} />
        </DataTable>
      )}
    </List>
  );
}
