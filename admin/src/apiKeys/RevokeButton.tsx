/** Revokes an API key after a confirmation (it stops working at once; the record stays). */
import { useState } from 'react';
import { Button } from '@mui/material';
import BlockIcon from '@mui/icons-material/Block';
import { Confirm, useDataProvider, useNotify, useRecordContext, useRefresh, useTranslate } from 'react-admin';
import type { AppDataProvider } from '../api/dataProvider';
import type { ApiKeyRecord } from '../api/types';
import { useApiMutation } from '../common/useApiMutation';

export function RevokeButton() {
  const key = useRecordContext<ApiKeyRecord>();
  const translate = useTranslate();
  const notify = useNotify();
  const refresh = useRefresh();
  const dataProvider = useDataProvider<AppDataProvider>();
  const [open, setOpen] = useState(false);
  const revoke = useApiMutation({
    mutationFn: (id: string) => dataProvider.revokeApiKey(id),
    onSuccess: () => {
      setOpen(false);
      notify('fangfan.api_keys.revoked', { type: 'success' });
      refresh();
    },
    onError: (e) => {
      setOpen(false);
      notify(e.message, { type: 'error' });
    },
  });
  if (!key || !key.active) return null;
  return (
    <>
      <Button
        size="small"
        color="error"
        startIcon={<BlockIcon />}
        data-testid={`revoke-${key.id}`}
        onClick={(e) => {
          e.stopPropagation();
          setOpen(true);
        }}
      >
        {translate('fangfan.api_keys.revoke')}
      </Button>
      <Confirm
        isOpen={open}
        loading={revoke.isPending}
        title="fangfan.api_keys.revoke_title"
        content="fangfan.api_keys.revoke_confirm"
        translateOptions={{ name: key.name, prefix: key.prefix }}
        confirm="fangfan.api_keys.revoke"
        confirmColor="warning"
        onConfirm={() => revoke.mutate(key.id)}
        onClose={() => setOpen(false)}
      />
    </>
  );
}
