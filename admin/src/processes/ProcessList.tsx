/** 流程: every case in the caller's area, with filters (type, status, town, village, overdue, search). */
import { BooleanInput, DataTable, FilterButton, List, SearchInput, SelectInput, SimpleList, TextInput, TopToolbar, CreateButton, useLocaleState, useTranslate } from 'react-admin';
import type { ProcessRecord } from '../api/types';
import { DueChip } from '../common/DueChip';
import { ExportButton } from '../common/ExportButton';
import { ProcessTypeTitle, StageTitle } from '../common/ProcessTypeField';
import { StatusChip } from '../common/StatusChip';
import { useCatalogue } from '../common/useCatalogue';
import { useIsSmall } from '../common/useIsSmall';
import { onlyTrue } from '../common/filters';
import { useActor } from '../common/useActor';
import { mayDo } from '../../../contracts/authz';
import { formatDate } from '../lib/dates';
import { pick } from '../lib/text';

const STATUSES = ['running', 'completed', 'rejected', 'cancelled', 'failed'];

function useFilters() {
  const [locale] = useLocaleState();
  const translate = useTranslate();
  const { data: catalogue = [] } = useCatalogue();
  return [
    <SearchInput key="q" source="q" alwaysOn />,
    <SelectInput key="status" source="status" alwaysOn choices={STATUSES.map((s) => ({ id: s, name: translate(`fangfan.status.${s}`) }))} />,
    <BooleanInput key="overdue" source="overdue" alwaysOn parse={onlyTrue} />,
    <SelectInput key="type" source="type" choices={catalogue.map((p) => ({ id: p.type, name: pick(p.title, locale) }))} />,
    <TextInput key="town" source="town" />,
    <TextInput key="village" source="village" />,
  ];
}

function Actions() {
  const actor = useActor();
  return (
    <TopToolbar>
      <FilterButton />
      {actor && mayDo(actor, 'start') && <CreateButton label="fangfan.menu.start" />}
      <ExportButton />
    </TopToolbar>
  );
}

const rowSx = (r: ProcessRecord) => (r.overdue ? { backgroundColor: 'rgba(211, 47, 47, 0.08)' } : {});

export function ProcessList() {
  const isSmall = useIsSmall();
  const filters = useFilters();
  return (
    <List<ProcessRecord> filters={filters} sort={{ field: 'startedAt', order: 'DESC' }} actions={<Actions />}>
      {isSmall ? (
        <SimpleList<ProcessRecord>
          primaryText={(r) => (
            <>
              {r.title ?? r.subject} · <ProcessTypeTitle type={r.type} />
            </>
          )}
          secondaryText={(r) => (
            <>
              {r.caseNo ? `${r.caseNo} · ` : ''}
              {r.town}
              {r.village} · <StageTitle type={r.type} stage={r.stage} />
            </>
          )}
          tertiaryText={(r) => <StatusChip status={r.status} />}
          rowClick="show"
          rowSx={rowSx}
        />
      ) : (
        <DataTable<ProcessRecord> rowClick="show" rowSx={rowSx} bulkActionButtons={false}>
          <DataTable.Col source="caseNo" render={(r) => r.caseNo ?? ''} disableSort />
          <DataTable.Col source="title" render={(r) => r.title ?? r.subject} disableSort />
          <DataTable.Col source="type" render={(r) => <ProcessTypeTitle type={r.type} />} />
          <DataTable.Col source="town" render={(r) => `${r.town}${r.village}`} />
          <DataTable.Col source="stage" render={(r) => <StageTitle type={r.type} stage={r.stage} />} disableSort />
          <DataTable.Col source="status" render={(r) => <StatusChip status={r.status} />} />
          <DataTable.Col source="startedAt" render={(r) => formatDate(r.startedAt)} />
          <DataTable.Col source="dueAt" render={(r) => <DueChip dueAt={r.dueAt} done={r.status !== 'running'} provisional={r.provisional} />} />
        </DataTable>
      )}
    </List>
  );
}
