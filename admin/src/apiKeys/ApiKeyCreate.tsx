/**
 * A new API key: a name and its scopes (offered from the catalogue and contracts/authz.ts). The API
 * answers the key once; it is shown in a dialog, then the page goes back to the list.
 */
import { useState } from 'react';
import { AutocompleteArrayInput, Create, SimpleForm, TextInput, maxLength, required, useRedirect, useTranslate } from 'react-admin';
import type { ApiKeyRecord } from '../api/types';
import { useScopeOptions } from './ApiKeyFields';
import { KeyDialog } from './KeyDialog';
import type { ScopeOption } from './scopes';

export function ApiKeyCreate() {
  const translate = useTranslate();
  const redirect = useRedirect();
  const { options, isPending } = useScopeOptions();
  const [created, setCreated] = useState<{ name: string; key: string }>();
  return (
    <>
      <Create<ApiKeyRecord>
        redirect={false}
        mutationOptions={{
          onSuccess: (data) => setCreated({ name: data.name, key: data.key ?? '' }),
        }}
      >
        <SimpleForm sx={{ minWidth: 0, maxWidth: '100%' }}>
          <TextInput source="name" validate={[required(), maxLength(100)]} helperText="fangfan.api_keys.name_hint" fullWidth />
          <AutocompleteArrayInput
            source="scopes"
            choices={options}
            isPending={isPending}
            validate={required()}
            groupBy={(o) => translate(`fangfan.api_keys.group_${(o as unknown as ScopeOption).group}`)}
            helperText="fangfan.api_keys.scopes_hint"
            fullWidth
            // Long labels (endpoint scopes name their path) must not widen the form past a phone.
            sx={{
              minWidth: 0,
              maxWidth: '100%',
              '& .MuiChip-root': { height: 'auto', maxWidth: 'calc(100% - 6px)' },
              '& .MuiChip-label': { whiteSpace: 'normal', overflowWrap: 'anywhere', py: 0.25 },
            }}
          />
        </SimpleForm>
      </Create>
      {created && <KeyDialog name={created.name} secret={created.key} onClose={() => redirect('list', 'api-keys')} />}
    </>
  );
}
