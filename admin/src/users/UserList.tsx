/** 用户 (admins): everyone, filterable by role and place; a row opens the edit form. */
import { Chip, Stack } from '@mui/material';
import { BooleanInput, CreateButton, DataTable, FilterButton, List, TopToolbar, SearchInput, SelectInput, SimpleList, TextInput, useLocaleState, useRecordContext, useTranslate } from 'react-admin';
import { DEPARTMENTS, ROLES } from '../../../contracts/roles';
import type { UserRecord } from '../api/types';
import { roleTitle } from '../common/RoleLabel';
import { useIsSmall } from '../common/useIsSmall';

function useFilters() {
  const [locale] = useLocaleState();
  return [
    <SearchInput key="q" source="q" alwaysOn />,
    <SelectInput key="role" source="role" alwaysOn choices={ROLES.map((r) => ({ id: r, name: roleTitle(r, locale) }))} />,
    <TextInput key="town" source="town" />,
    <TextInput key="village" source="village" />,
    <SelectInput key="department" source="department" choices={DEPARTMENTS.map((d) => ({ id: d, name: d }))} />,
    <BooleanInput key="active" source="active" />,
  ];
}

export function RolesField() {
  const user = useRecordContext<UserRecord>();
  const [locale] = useLocaleState();
  if (!user) return null;
  return (
    <Stack direction="row" sx={{ flexWrap: 'wrap', gap: 0.5 }}>
      {user.roles.map((r) => (
        <Chip key={r} size="small" label={roleTitle(r, locale)} />
      ))}
    </Stack>
  );
}

function ActiveField() {
  const user = useRecordContext<UserRecord>();
  const translate = useTranslate();
  if (!user) return null;
  return user.active ? <Chip size="small" color="success" variant="outlined" label={translate('fangfan.users.active')} /> : <Chip size="small" label={translate('fangfan.users.inactive')} />;
}

const placeOf = (u: UserRecord) => [u.town, u.village].filter(Boolean).join('') || u.department || '';

export function UserList() {
  const isSmall = useIsSmall();
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const filters = useFilters();
  return (
    <List<UserRecord>
      filters={filters}
      sort={{ field: 'id', order: 'ASC' }}
      perPage={25}
      actions={
        <TopToolbar>
          <FilterButton />
          <CreateButton />
        </TopToolbar>
      }
    >
      {isSmall ? (
        <SimpleList<UserRecord>
          primaryText={(u) => `${u.name}（${u.username}）`}
          secondaryText={(u) => u.roles.map((r) => roleTitle(r, locale)).join(translate('fangfan.list_separator'))}
          tertiaryText={(u) => (u.active ? placeOf(u) : translate('fangfan.users.inactive'))}
          rowClick="edit"
        />
      ) : (
        <DataTable<UserRecord> rowClick="edit" bulkActionButtons={false}>
          <DataTable.Col source="name" />
          <DataTable.Col source="username" />
          <DataTable.Col source="roles" disableSort field={RolesField} />
          <DataTable.Col source="town" />
          <DataTable.Col source="village" />
          <DataTable.Col source="department" />
          <DataTable.Col source="active" disableSort field={ActiveField} />
        </DataTable>
      )}
    </List>
  );
}
