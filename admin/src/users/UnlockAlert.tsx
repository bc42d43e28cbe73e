/**
 * A user's login locked after failed logins (administrators see `lockedUntil`): until when, and a button
 * to lift the lock (`POST /api/users/:id/unlock`, audited). Nothing when the login is not locked.
 */
import { Alert, Button } from '@mui/material';
import { useDataProvider, useNotify, useRecordContext, useRefresh, useTranslate } from 'react-admin';
import type { AppDataProvider } from '../api/dataProvider';
import type { UserRecord } from '../api/types';
import { useApiMutation } from '../common/useApiMutation';
import { formatDateTime } from '../lib/dates';

export function UnlockAlert() {
  const user = useRecordContext<UserRecord>();
  const translate = useTranslate();
  const notify = useNotify();
  const refresh = useRefresh();
  const dataProvider = useDataProvider<AppDataProvider>();
  const unlock = useApiMutation({
    mutationFn: (id: string) => dataProvider.unlockUser(id),
    onSuccess: () => {
      notify('fangfan.users.unlocked', { type: 'success' });
      refresh();
    },
    onError: (e) => notify(e.message, { type: 'error' }),
  });
  if (!user?.lockedUntil || Date.parse(user.lockedUntil) <= Date.now()) return null;
  return (
    <Alert
      severity="warning"
      sx={{ mb: 2, width: '100%', boxSizing: 'border-box' }}
      action={
        <Button color="inherit" size="small" disabled={unlock.isPending} data-testid="unlock-user" onClick={() => unlock.mutate(user.id)}>
          {translate('fangfan.users.unlock')}
        </Button>
      }
    >
      {translate('fangfan.users.locked', { until: formatDateTime(user.lockedUntil) })}
    </Alert>
  );
}
