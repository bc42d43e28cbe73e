/** Cells of a step row, shared by the inbox, the step list and the overdue list. */
import { Box, Typography } from '@mui/material';
import { ReferenceField, TextField, useLocaleState, useRecordContext, useTranslate, type RowClickFunction } from 'react-admin';
import type { StepRecord } from '../api/types';
import { DueChip } from '../common/DueChip';
import { ProcessTypeTitle } from '../common/ProcessTypeField';
import { pick } from '../lib/text';

export const stepTitle = (s: StepRecord, locale: string) => pick(s.title, locale);

/** A step row opens its case. */
export const openCase: RowClickFunction = (_id, _resource, record) => `/processes/${encodeURIComponent(String(record.processId))}/show`;

/** Overdue open steps stand out. */
export const overdueRowSx = (record: StepRecord) => (record.status === 'open' && record.overdue ? { backgroundColor: 'rgba(211, 47, 47, 0.08)' } : {});

export function StepTitleField() {
  const record = useRecordContext<StepRecord>();
  const [locale] = useLocaleState();
  if (!record) return null;
  return (
    <Box>
      <Typography variant="body2" sx={{ fontWeight: 600 }}>
        {stepTitle(record, locale)}
      </Typography>
      <Typography variant="caption" color="text.secondary">
        <ProcessTypeTitle type={record.processType} />
      </Typography>
    </Box>
  );
}

export function StepDueField() {
  const record = useRecordContext<StepRecord>();
  if (!record) return null;
  return <DueChip dueAt={record.dueAt} done={record.status !== 'open'} provisional={record.provisional} />;
}

/** The household's head, by reference (one batched request per page). */
export function HouseholdNameField({ source = 'householdId' }: { source?: string }) {
  const record = useRecordContext();
  const translate = useTranslate();
  if (!record?.[source]) return <>{translate('fangfan.no_value')}</>;
  return (
    <ReferenceField source={source} reference="households" link={false}>
      <TextField source="headName" />
    </ReferenceField>
  );
}

export function PlaceField() {
  const record = useRecordContext<StepRecord>();
  if (!record) return null;
  return (
    <>
      {record.town}
      {record.village}
    </>
  );
}

export function OverdueDaysField() {
  const record = useRecordContext<StepRecord>();
  if (!record) return null;
  return (
    <Typography variant="body2" color={record.overdueDays > 0 ? 'error' : 'text.primary'} sx={{ fontWeight: record.overdueDays > 0 ? 700 : 400 }}>
      {record.overdueDays}
    </Typography>
  );
}
