/**
 * 我的待办: the open steps the user may complete (`filter={"mine":true,"status":"open"}`), soonest due
 * first, overdue highlighted, each naming the household head; searchable by head or household id and
 * filtered by due state, process and village (on a phone the last two behind the filter button).
 * It is the console's home page.
 */
import { Box, Typography } from '@mui/material';
import { DataTable, FilterButton, List, Title, TopToolbar, useTranslate } from 'react-admin';
import type { StepRecord } from '../api/types';
import { ExportButton } from '../common/ExportButton';
import { RoleLabel } from '../common/RoleLabel';
import { useIsSmall } from '../common/useIsSmall';
import { StepSimpleList } from '../steps/StepSimpleList';
import { HouseholdNameField, PlaceField, StepDueField, StepTitleField, openCase, overdueRowSx } from '../steps/StepFields';
import { useStepFilters } from '../steps/stepFilters';

function Empty() {
  const translate = useTranslate();
  return (
    <Box sx={{ p: 4, textAlign: 'center' }} data-testid="inbox-empty">
      <Typography variant="h6">{translate('fangfan.inbox.empty')}</Typography>
      <Typography variant="body2" color="text.secondary">
        {translate('fangfan.inbox.empty_hint')}
      </Typography>
    </Box>
  );
}

export function Inbox() {
  const isSmall = useIsSmall();
  const translate = useTranslate();
  const filters = useStepFilters({ alwaysShown: !isSmall });
  return (
    <>
      <Title title={translate('fangfan.inbox.title')} />
      <List<StepRecord>
        resource="steps"
        title={false}
        filter={{ mine: true, status: 'open' }}
        sort={{ field: 'dueAt', order: 'ASC' }}
        disableSyncWithLocation
        storeKey="inbox"
        perPage={50}
        filters={filters}
        actions={
          isSmall ? (
            <TopToolbar>
              <FilterButton />
            </TopToolbar>
          ) : (
            <TopToolbar>
              <ExportButton />
            </TopToolbar>
          )
        }
        empty={<Empty />}
        sx={{ '& .RaList-main': { mt: 0 } }}
      >
        {isSmall ? (
          <StepSimpleList />
        ) : (
          <DataTable<StepRecord> rowClick={openCase} rowSx={overdueRowSx} bulkActionButtons={false} data-testid="inbox">
            <DataTable.Col source="title" field={StepTitleField} disableSort />
            <DataTable.Col source="householdId" label="resources.steps.fields.household" field={HouseholdNameField} disableSort />
            <DataTable.Col source="town" field={PlaceField} disableSort />
            <DataTable.Col source="role" render={(r) => <RoleLabel role={r.role} />} disableSort />
            <DataTable.Col source="dueAt" field={StepDueField} />
          </DataTable>
        )}
      </List>
    </>
  );
}
