/**
 * 修改密码: shown instead of the console, before anything else, when an administrator chose the user's
 * password (a new account, a reset): the API refuses every other call until the user sets their own
 * (server/password-change.ts). The current password is asked again; the server's refusals are shown
 * under the field they name. Logging out is the one other way out.
 */
import { useState, type FormEvent } from 'react';
import { Alert, Box, Button, Card, CardContent, Stack, TextField, Typography } from '@mui/material';
import LockResetIcon from '@mui/icons-material/LockReset';
import { useDataProvider, useLogout, useNotify, useTranslate } from 'react-admin';
import type { AppDataProvider } from '../api/dataProvider';
import { setPasswordChangeDue } from '../api/session';
import { useApiMutation } from '../common/useApiMutation';

const MIN = 8;

type Field = 'currentPassword' | 'newPassword' | 'confirm';

export function ChangePasswordPage({ onDone }: { onDone: () => void }) {
  const translate = useTranslate();
  const notify = useNotify();
  const logout = useLogout();
  const dataProvider = useDataProvider<AppDataProvider>();
  const [values, setValues] = useState<Record<Field, string>>({ currentPassword: '', newPassword: '', confirm: '' });
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [formError, setFormError] = useState('');
  const change = useApiMutation({
    mutationFn: (v: { currentPassword: string; newPassword: string }) => dataProvider.changePassword(v.currentPassword, v.newPassword),
    onSuccess: () => {
      setPasswordChangeDue(false);
      notify('fangfan.account.password_changed', { type: 'success' });
      onDone();
    },
    onError: (e) => {
      const byField = ((e as { body?: { errors?: Record<string, unknown> } }).body?.errors ?? {}) as Partial<Record<Field, string>>;
      const named = { currentPassword: byField.currentPassword, newPassword: byField.newPassword };
      setErrors(named);
      setFormError(named.currentPassword || named.newPassword ? '' : e.message);
    },
  });

  const set = (field: Field) => (e: { target: { value: string } }) => {
    setValues((v) => ({ ...v, [field]: e.target.value }));
    setErrors((x) => ({ ...x, [field]: undefined }));
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const found: Partial<Record<Field, string>> = {};
    if (!values.currentPassword) found.currentPassword = translate('fangfan.validation.required');
    if (values.newPassword.length < MIN) found.newPassword = translate('fangfan.account.too_short', { min: MIN });
    else if (values.confirm !== values.newPassword) found.confirm = translate('fangfan.account.mismatch');
    setErrors(found);
    setFormError('');
    if (Object.keys(found).length) return;
    change.mutate({ currentPassword: values.currentPassword, newPassword: values.newPassword });
  };

  const field = (name: Field, label: string, autoComplete: string, helper?: string) => (
    <TextField
      id={`account-${name}`}
      name={name}
      type="password"
      autoComplete={autoComplete}
      label={translate(label)}
      value={values[name]}
      onChange={set(name)}
      error={!!errors[name]}
      helperText={errors[name] ?? (helper ? translate(helper, { min: MIN }) : undefined)}
      fullWidth
      slotProps={{ htmlInput: { maxLength: 128 } }}
    />
  );

  return (
    <Box component="main" sx={{ minHeight: '100vh', display: 'flex', alignItems: 'center', justifyContent: 'center', p: 2, bgcolor: 'grey.100' }}>
      <Card sx={{ width: '100%', maxWidth: 420 }}>
        <CardContent>
          <Stack component="form" spacing={2} onSubmit={submit} noValidate aria-labelledby="change-password-title">
            <Stack direction="row" spacing={1} alignItems="center">
              <LockResetIcon color="primary" aria-hidden />
              <Typography id="change-password-title" variant="h5" component="h1">
                {translate('fangfan.account.change_password')}
              </Typography>
            </Stack>
            <Typography variant="body2">{translate('fangfan.account.change_password_why')}</Typography>
            {formError && <Alert severity="error">{formError}</Alert>}
            {field('currentPassword', 'fangfan.account.current_password', 'current-password', 'fangfan.account.current_password_hint')}
            {field('newPassword', 'fangfan.account.new_password', 'new-password', 'fangfan.account.new_password_hint')}
            {field('confirm', 'fangfan.account.confirm_password', 'new-password')}
            <Button type="submit" variant="contained" disabled={change.isPending} data-testid="change-password">
              {translate('fangfan.account.change_password')}
            </Button>
            <Button onClick={() => logout()}>{translate('ra.auth.logout')}</Button>
          </Stack>
        </CardContent>
      </Card>
    </Box>
  );
}
