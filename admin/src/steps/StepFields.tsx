/** Cells of a step row, shared by the inbox, the step list and the overdue list. */
import type { MouseEvent } from 'react';
import { Box, Typography } from '@mui/material';
import { Link, useLocaleState, useRecordContext, useTranslate, type RowClickFunction } from 'react-admin';
import type { StepRecord } from '../api/types';
import { DueChip } from '../common/DueChip';
import { pick } from '../lib/text';

export const stepTitle = (s: StepRecord, locale: string) => pick(s.title, locale);

/** A step row opens its case. */
export const caseLink = (processId: string) => `/processes/${encodeURIComponent(processId)}/show`;
export const openCase: RowClickFunction = (_id, _resource, record) => caseLink(String(record.processId));

/** Overdue open steps stand out. */
export const overdueRowSx = (record: StepRecord) => (record.status === 'open' && record.overdue ? { backgroundColor: 'rgba(211, 47, 47, 0.08)' } : {});

export function StepTitleField() {
  const record = useRecordContext<StepRecord>();
  const [locale] = useLocaleState();
  if (!record) return null;
  return (
    <Box>
      {/* A link, so that the row is reached with Tab and opened with Enter (the row's click does the same). */}
      <Typography variant="body2" sx={{ fontWeight: 600 }}>
        <Link to={caseLink(record.processId)} onClick={(e: MouseEvent) => e.stopPropagation()} color="inherit" underline="hover">
          {stepTitle(record, locale)}
        </Link>
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
