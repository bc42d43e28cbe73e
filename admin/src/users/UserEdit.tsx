/**
 * A user's roles, place, department, post (职务) and active flag (admins; `PUT /api/users/:id`, only the changed
 * fields). Pessimistic: the API checks that the place fits the roles and exists, and its errors land
 * on the fields; a change of rights ends the user's sessions. Users are never deleted (no delete button).
 * A login locked after failed logins is shown with a button to lift the lock.
 */
import { Alert } from '@mui/material';
import { BooleanInput, CheckboxGroupInput, Edit, SaveButton, SelectInput, SimpleForm, TextInput, Toolbar, maxLength, required, useLocaleState, useRecordContext, useTranslate } from 'react-admin';
import { DEPARTMENTS, ROLES } from '../../../contracts/roles';
import type { UserRecord } from '../api/types';
import { roleTitle } from '../common/RoleLabel';
import { PlaceInputs } from './PlaceInputs';
import { PostInput } from './PostInput';
import { ResetPassword } from './ResetPassword';
import { UnlockAlert } from './UnlockAlert';

const blankToNull = (v: unknown) => (v === '' || v === undefined ? null : v);

function UserTitle() {
  const record = useRecordContext<UserRecord>();
  return <>{record ? `${record.name}（${record.username}）` : ''}</>;
}

export function UserEdit() {
  const [locale] = useLocaleState();
  const translate = useTranslate();
  return (
    <Edit<UserRecord> mutationMode="pessimistic" redirect="list" title={<UserTitle />}>
      <SimpleForm
        toolbar={
          <Toolbar>
            <SaveButton />
          </Toolbar>
        }
      >
        <UnlockAlert />
        <ResetPassword />
        <Alert severity="info" sx={{ mb: 2, width: '100%', boxSizing: 'border-box' }}>
          {translate('fangfan.users.sessions_hint')}
        </Alert>
        <TextInput source="username" disabled />
        <TextInput source="name" validate={[required(), maxLength(40)]} />
        <CheckboxGroupInput source="roles" choices={ROLES.map((r) => ({ id: r, name: roleTitle(r, locale) }))} validate={required()} row={false} />
        <PlaceInputs />
        <SelectInput source="department" choices={DEPARTMENTS.map((d) => ({ id: d, name: d }))} parse={blankToNull} />
        <PostInput />
        <BooleanInput source="active" />
      </SimpleForm>
    </Edit>
  );
}
