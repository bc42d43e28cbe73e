/**
 * A new user (admins; `POST /api/users`): username, name, roles, place or department, post (职务), and a first
 * password the administrator hands over. The API checks that the place fits the roles and exists; its
 * errors land on the fields.
 */
import { CheckboxGroupInput, Create, PasswordInput, SelectInput, SimpleForm, TextInput, maxLength, minLength, regex, required, useLocaleState } from 'react-admin';
import { DEPARTMENTS, ROLES } from '../../../contracts/roles';
import { roleTitle } from '../common/RoleLabel';
import { PlaceInputs } from './PlaceInputs';
import { PostInput } from './PostInput';

const blankToNull = (v: unknown) => (v === '' || v === undefined ? null : v);
export const USERNAME = /^[a-z0-9][a-z0-9._-]{2,39}$/;

export function UserCreate() {
  const [locale] = useLocaleState();
  return (
    <Create redirect="list">
      <SimpleForm>
        <TextInput source="username" validate={[required(), regex(USERNAME, 'fangfan.users.username_rule')]} helperText="fangfan.users.username_rule" />
        <TextInput source="name" validate={[required(), maxLength(40)]} />
        <CheckboxGroupInput source="roles" choices={ROLES.map((r) => ({ id: r, name: roleTitle(r, locale) }))} validate={required()} row={false} />
        <PlaceInputs />
        <SelectInput source="department" choices={DEPARTMENTS.map((d) => ({ id: d, name: d }))} parse={blankToNull} />
        <PostInput />
        <PasswordInput source="password" validate={[required(), minLength(8), maxLength(128)]} helperText="fangfan.users.password_hint" autoComplete="new-password" />
      </SimpleForm>
    </Create>
  );
}
