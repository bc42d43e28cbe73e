/** 办理环节: every step in the caller's area, filterable, with the Excel ledger. */
import { BooleanInput, DataTable, List, SelectInput, TextInput, TopToolbar, FilterButton, useLocaleState, useTranslate } from 'react-admin';
import { ROLES } from '../../../contracts/roles';
import type { StepRecord } from '../api/types';
import { ExportButton } from '../common/ExportButton';
import { roleTitle, RoleLabel } from '../common/RoleLabel';
import { StatusChip } from '../common/StatusChip';
import { useIsSmall } from '../common/useIsSmall';
import { onlyTrue } from '../common/filters';
import { StepSimpleList } from './StepSimpleList';
import { useStepFilters } from './stepFilters';
import { HouseholdNameField, OverdueDaysField, PlaceField, StepDueField, StepTitleField, openCase, overdueRowSx } from './StepFields';
import { formatDateTime } from '../lib/dates';

function useStepListFilters() {
  const [locale] = useLocaleState();
  const translate = useTranslate();
  const [q, due, ...others] = useStepFilters({ alwaysShown: false });
  return [
    q,
    <SelectInput
      key="status"
      source="status"
      alwaysOn
      choices={['open', 'done', 'cancelled'].map((s) => ({ id: s, name: translate(`fangfan.step_status.${s}`) }))}
    />,
    due,
    <BooleanInput key="overdue" source="overdue" parse={onlyTrue} />,
    <BooleanInput key="mine" source="mine" parse={onlyTrue} />,
    ...others,
    <SelectInput key="role" source="role" choices={ROLES.map((r) => ({ id: r, name: roleTitle(r, locale) }))} />,
    <TextInput key="town" source="town" />,
  ];
}

function StepListActions() {
  return (
    <TopToolbar>
      <FilterButton />
      <ExportButton />
    </TopToolbar>
  );
}

export function StepList() {
  const isSmall = useIsSmall();
  const filters = useStepListFilters();
  return (
    <List<StepRecord> filters={filters} filterDefaultValues={{ status: 'open' }} sort={{ field: 'dueAt', order: 'ASC' }} actions={<StepListActions />} perPage={25}>
      {isSmall ? (
        <StepSimpleList />
      ) : (
        <DataTable<StepRecord> rowClick={openCase} rowSx={overdueRowSx} bulkActionButtons={false}>
          <DataTable.Col source="title" field={StepTitleField} disableSort />
          <DataTable.Col source="householdId" label="resources.steps.fields.household" field={HouseholdNameField} disableSort />
          <DataTable.Col source="town" field={PlaceField} />
          <DataTable.Col source="role" render={(r) => <RoleLabel role={r.role} />} disableSort />
          <DataTable.Col source="dueAt" field={StepDueField} />
          <DataTable.Col source="overdueDays" field={OverdueDaysField} />
          <DataTable.Col source="status" render={(r) => <StatusChip status={r.status} kind="step_status" />} disableSort />
          <DataTable.Col source="completedAt" render={(r) => (r.completedAt ? `${formatDateTime(r.completedAt)} ${r.completedBy ?? ''}` : '')} />
        </DataTable>
      )}
    </List>
  );
}
