/** A household: its register entry, its housing history, its cases and their steps; start a case for it from here. */
import { Box, Button, Card, CardContent, Typography } from '@mui/material';
import PlayArrowIcon from '@mui/icons-material/PlayArrow';
import {
  DataTable,
  EditButton,
  Labeled,
  NumberField,
  ReferenceManyField,
  Show,
  TextField,
  TopToolbar,
  useRecordContext,
  useTranslate,
} from 'react-admin';
import { Link as RouterLink } from 'react-router-dom';
import { may, mayDo } from '../../../contracts/authz';
import type { HouseholdRecord, ProcessRecord, StepRecord } from '../api/types';
import { DueChip } from '../common/DueChip';
import { ProcessTypeTitle, StageTitle } from '../common/ProcessTypeField';
import { RoleLabel } from '../common/RoleLabel';
import { StatusChip } from '../common/StatusChip';
import { useActor } from '../common/useActor';
import { formatDate } from '../lib/dates';
import { StepDueField, StepTitleField, openCase } from '../steps/StepFields';
import { MaskedIdField, VocabularyField } from './HouseholdFields';
import { HousingHistory } from './HousingHistory';
import { HouseholdMembers } from './HouseholdMembers';
import { ContactCadre } from './ContactCadre';

function Actions() {
  const record = useRecordContext<HouseholdRecord>();
  const actor = useActor();
  const translate = useTranslate();
  return (
    <TopToolbar>
      {record && actor && mayDo(actor, 'start') && (
        <Button size="small" component={RouterLink} to={`/processes/create?householdId=${encodeURIComponent(String(record.id))}`} startIcon={<PlayArrowIcon />}>
          {translate('fangfan.households.start_case')}
        </Button>
      )}
      {actor && may(actor, 'households.write') && <EditButton />}
    </TopToolbar>
  );
}

function Cases() {
  return (
    <ReferenceManyField<HouseholdRecord, ProcessRecord> reference="processes" target="householdId" sort={{ field: 'startedAt', order: 'DESC' }} perPage={50}>
      <DataTable<ProcessRecord> rowClick="show" bulkActionButtons={false} data-testid="household-cases">
        <DataTable.Col source="type" render={(c) => <ProcessTypeTitle type={c.type} />} />
        <DataTable.Col source="stage" render={(c) => <StageTitle type={c.type} stage={c.stage} />} disableSort />
        <DataTable.Col source="status" render={(c) => <StatusChip status={c.status} />} />
        <DataTable.Col source="startedAt" render={(c) => formatDate(c.startedAt)} />
        <DataTable.Col source="dueAt" render={(c) => <DueChip dueAt={c.dueAt} done={c.status !== 'running'} provisional={c.provisional} />} />
      </DataTable>
    </ReferenceManyField>
  );
}

function Details() {
  const translate = useTranslate();
  return (
    <Box sx={{ display: 'flex', flexDirection: 'column', gap: 2 }}>
      <Card>
        <CardContent>
          <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr 1fr', md: 'repeat(4, 1fr)' }, gap: 2 }}>
            <Labeled>
              <TextField source="id" />
            </Labeled>
            <Labeled>
              <TextField source="headName" />
            </Labeled>
            <Labeled source="idNumber">
              <MaskedIdField />
            </Labeled>
            <Labeled>
              <TextField source="phone" emptyText={translate('fangfan.no_value')} />
            </Labeled>
            <Labeled>
              <TextField source="town" />
            </Labeled>
            <Labeled>
              <TextField source="village" />
            </Labeled>
            <Labeled>
              <NumberField source="memberCount" />
            </Labeled>
            <Labeled source="status">
              <VocabularyField source="status" />
            </Labeled>
            <Labeled source="lowIncomeGroups">
              <VocabularyField source="lowIncomeGroups" />
            </Labeled>
            <Labeled source="monitoringStatus">
              <VocabularyField source="monitoringStatus" />
            </Labeled>
            <Labeled source="monitoringCategory">
              <VocabularyField source="monitoringCategory" />
            </Labeled>
            <Labeled source="riskTypes">
              <VocabularyField source="riskTypes" />
            </Labeled>
            <Labeled>
              <TextField source="monitoredSince" emptyText={translate('fangfan.no_value')} />
            </Labeled>
          </Box>
        </CardContent>
      </Card>
      <Card>
        <CardContent>
          <ContactCadre />
        </CardContent>
      </Card>
      <Card>
        <CardContent>
          <HouseholdMembers />
        </CardContent>
      </Card>
      <Card>
        <CardContent>
          <Typography variant="h6" component="h2">
            {translate('fangfan.housing.title')}
          </Typography>
          <HousingHistory />
        </CardContent>
      </Card>
      <Card>
        <CardContent>
          <Typography variant="h6" component="h2">
            {translate('fangfan.households.cases')}
          </Typography>
          <Cases />
        </CardContent>
      </Card>
      <Card>
        <CardContent>
          <Typography variant="h6" component="h2">
            {translate('fangfan.households.steps')}
          </Typography>
          <ReferenceManyField<HouseholdRecord, StepRecord> reference="steps" target="householdId" sort={{ field: 'openedAt', order: 'DESC' }} perPage={50}>
            <DataTable<StepRecord> rowClick={openCase} bulkActionButtons={false}>
              <DataTable.Col source="title" field={StepTitleField} disableSort />
              <DataTable.Col source="role" render={(s) => <RoleLabel role={s.role} />} disableSort />
              <DataTable.Col source="dueAt" field={StepDueField} />
              <DataTable.Col source="status" render={(s) => <StatusChip status={s.status} kind="step_status" />} disableSort />
              <DataTable.Col source="completedBy" disableSort />
            </DataTable>
          </ReferenceManyField>
        </CardContent>
      </Card>
    </Box>
  );
}

export function HouseholdShow() {
  return (
    <Show actions={<Actions />} component="div">
      <Details />
    </Show>
  );
}
