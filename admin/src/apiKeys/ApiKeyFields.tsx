/** Pieces of the API key list: the scopes as chips named in words (never their codes), the state (active / revoked). */
import { Chip, Stack, Tooltip } from '@mui/material';
import { useLocaleState, useRecordContext, useTranslate } from 'react-admin';
import type { ApiKeyRecord } from '../api/types';
import { useCatalogue } from '../common/useCatalogue';
import { formatDateTime } from '../lib/dates';
import { scopeLabel, scopeOptions } from './scopes';

export function useScopeOptions() {
  const [locale] = useLocaleState();
  const translate = useTranslate();
  const { data: catalogue = [], isPending } = useCatalogue();
  return { options: scopeOptions(catalogue, locale, translate), isPending };
}

export function ScopesField() {
  const key = useRecordContext<ApiKeyRecord>();
  const { options } = useScopeOptions();
  if (!key) return null;
  return (
    <Stack direction="row" sx={{ flexWrap: 'wrap', gap: 0.5 }}>
      {key.scopes.map((s) => (
        <Chip key={s} size="small" variant="outlined" label={scopeLabel(s, options)} sx={{ maxWidth: '100%', height: 'auto', '& .MuiChip-label': { whiteSpace: 'normal', overflowWrap: 'anywhere', py: 0.25 } }} />
      ))}
    </Stack>
  );
}

export function KeyStateField() {
  const key = useRecordContext<ApiKeyRecord>();
  const translate = useTranslate();
  if (!key) return null;
  return key.active ? (
    <Chip size="small" color="success" label={translate('fangfan.api_keys.active')} />
  ) : (
    <Tooltip title={formatDateTime(key.revokedAt)}>
      <Chip size="small" label={translate('fangfan.api_keys.revoked_at', { at: formatDateTime(key.revokedAt) })} />
    </Tooltip>
  );
}
