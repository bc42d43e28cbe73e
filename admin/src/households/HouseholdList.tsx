/** 农户: the register in the caller's area, searchable, with import and the Excel ledger. */
import { Button } from '@mui/material';
import UploadIcon from '@mui/icons-material/Upload';
import { BooleanInput, CreateButton, DataTable, FilterButton, List, SearchInput, SelectInput, SimpleList, TextInput, TopToolbar, useLocaleState, useTranslate } from 'react-admin';
import { Link as RouterLink } from 'react-router-dom';
import { HOUSEHOLD_STATUSES, MONITORING_STATUSES } from '../../../contracts/vocabulary';
import type { HouseholdRecord } from '../api/types';
import { may } from '../../../contracts/authz';
import { ExportButton } from '../common/ExportButton';
import { useActor } from '../common/useActor';
import { useIsSmall } from '../common/useIsSmall';
import { choicesOf, labelOf } from '../lib/text';
import { MaskedIdField, VocabularyField } from './HouseholdFields';

function useFilters() {
  const [locale] = useLocaleState();
  return [
    <SearchInput key="q" source="q" alwaysOn />,
    <SelectInput key="monitoringStatus" source="monitoringStatus" choices={choicesOf(MONITORING_STATUSES, locale)} alwaysOn />,
    <SelectInput key="status" source="status" choices={choicesOf(HOUSEHOLD_STATUSES, locale)} />,
    <TextInput key="town" source="town" />,
    <TextInput key="village" source="village" />,
    // 包户干部: the 脱贫户 and 监测户 still without one.
    <BooleanInput key="withoutContactCadre" source="withoutContactCadre" />,
  ];
}

function Actions() {
  const translate = useTranslate();
  const actor = useActor();
  const writes = !!actor && may(actor, 'households.write');
  return (
    <TopToolbar>
      <FilterButton />
      {writes && <CreateButton />}
      {writes && (
        <Button size="small" component={RouterLink} to="/households/import" startIcon={<UploadIcon />}>
          {translate('fangfan.households.import')}
        </Button>
      )}
      <ExportButton />
    </TopToolbar>
  );
}

export function HouseholdList() {
  const isSmall = useIsSmall();
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const filters = useFilters();
  return (
    <List<HouseholdRecord> filters={filters} actions={<Actions />} sort={{ field: 'id', order: 'ASC' }}>
      {isSmall ? (
        <SimpleList<HouseholdRecord>
          primaryText={(h) => `${h.headName}（${h.id}）`}
          secondaryText={(h) => `${h.town}${h.village} · ${translate('fangfan.households.members', { smart_count: h.memberCount })}`}
          tertiaryText={(h) => labelOf(MONITORING_STATUSES, h.monitoringStatus, locale)}
          rowClick="show"
        />
      ) : (
        <DataTable<HouseholdRecord> rowClick="show" bulkActionButtons={false}>
          <DataTable.Col source="id" />
          <DataTable.Col source="headName" />
          <DataTable.Col source="idNumber" field={MaskedIdField} disableSort />
          <DataTable.Col source="town" render={(h) => `${h.town}${h.village}`} />
          <DataTable.NumberCol source="memberCount" />
          <DataTable.Col source="status" render={() => <VocabularyField source="status" />} />
          <DataTable.Col source="monitoringStatus" render={() => <VocabularyField source="monitoringStatus" />} />
        </DataTable>
      )}
    </List>
  );
}
