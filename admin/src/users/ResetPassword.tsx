/**
 * A new password for a user who forgot theirs (admins; `POST /api/users/:id/password`, audited): the
 * user's sessions end and a login lock is lifted. The administrator hands the password over.
 */
import { useState } from 'react';
import { Button, Dialog, DialogActions, DialogContent, DialogContentText, DialogTitle, TextField } from '@mui/material';
import KeyIcon from '@mui/icons-material/Key';
import { useDataProvider, useNotify, useRecordContext, useRefresh, useTranslate } from 'react-admin';
import type { AppDataProvider } from '../api/dataProvider';
import type { UserRecord } from '../api/types';
import { useApiMutation } from '../common/useApiMutation';

const MIN = 8;

export function ResetPassword() {
  const user = useRecordContext<UserRecord>();
  const translate = useTranslate();
  const notify = useNotify();
  const refresh = useRefresh();
  const dataProvider = useDataProvider<AppDataProvider>();
  const [open, setOpen] = useState(false);
  const [password, setPassword] = useState('');
  const reset = useApiMutation({
    mutationFn: (p: { id: string; password: string }) => dataProvider.resetPassword(p.id, p.password),
    onSuccess: () => {
      notify('fangfan.users.password_reset_done', { type: 'success' });
      setOpen(false);
      setPassword('');
      refresh();
    },
    onError: (e) => notify(e.message, { type: 'error' }),
  });
  if (!user) return null;
  const tooShort = password.length > 0 && password.length < MIN;
  return (
    <>
      <Button variant="outlined" size="small" startIcon={<KeyIcon />} onClick={() => setOpen(true)} data-testid="reset-password" sx={{ mb: 2 }}>
        {translate('fangfan.users.reset_password')}
      </Button>
      <Dialog open={open} onClose={() => setOpen(false)} fullWidth maxWidth="xs">
        <DialogTitle>{translate('fangfan.users.reset_password_of', { name: user.name })}</DialogTitle>
        <DialogContent>
          <DialogContentText sx={{ mb: 2 }}>{translate('fangfan.users.reset_password_hint')}</DialogContentText>
          <TextField
            autoFocus
            fullWidth
            type="password"
            autoComplete="new-password"
            label={translate('fangfan.users.new_password')}
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            error={tooShort}
            helperText={translate('fangfan.users.password_hint')}
            slotProps={{ htmlInput: { 'data-testid': 'new-password', maxLength: 128 } }}
          />
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setOpen(false)}>{translate('ra.action.cancel')}</Button>
          <Button variant="contained" disabled={password.length < MIN || reset.isPending} onClick={() => reset.mutate({ id: user.id, password })} data-testid="confirm-reset-password">
            {translate('fangfan.users.reset_password')}
          </Button>
        </DialogActions>
      </Dialog>
    </>
  );
}
