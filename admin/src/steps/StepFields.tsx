/** Cells of a step row, shared by the inbox, the step list and the overdue list. */
import { Box, Typography } from '@mui/material';
import { useLocaleState, useRecordContext, useTranslate, type RowClickFunction } from 'react-admin';
import type { StepRecord } from '../api/types';
import { DueChip } from '../common/DueChip';
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
        {pick(record.processTitle, locale)}
      </Typography>
    </Box>
  );
}

/** A step's due chip, with the API's due state (due soon in working days) and working days left. */
export function StepDue({ step, showDate }: { step: StepRecord; showDate?: boolean }) {
  return (
    <DueChip
      dueAt={step.dueAt}
      done={step.status !== 'open'}
      provisional={step.provisional}
      dueState={step.dueState}
      workingDaysLeft={step.workingDaysLeft}
      showDate={showDate}
    />
  );
}

export function StepDueField() {
  const record = useRecordContext<StepRecord>();
  if (!record) return null;
  return <StepDue step={record} />;
}

/** The household's head (户主), as the step list names it. */
export function HouseholdNameField() {
  const record = useRecordContext<StepRecord>();
  const translate = useTranslate();
  if (!record) return null;
  return (
    <Typography variant="body2" component="span" data-testid="step-head-name">
      {record.headName ?? translate('fangfan.no_value')}
    </Typography>
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
