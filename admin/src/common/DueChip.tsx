/**
 * A due time as the policy counts it: "3 天后到期", "还有 2 个工作日" (a deadline counted in working
 * days), "今天到期", "逾期 2 天" (red), with the date. Due soon (the API's `dueState`, within two
 * working days) is amber. A provisional due date carries a "暂定" tag that says why.
 */
import { Box, Chip, Tooltip } from '@mui/material';
import { useTranslate } from 'react-admin';
import type { StepDueState } from '../api/types';
import { dueState as calendarDueState, formatDate, formatDateTime, relativeDue } from '../lib/dates';

interface DueChipProps {
  dueAt?: string | null;
  done?: boolean;
  provisional?: boolean;
  showDate?: boolean;
  /** The API's due state (steps): due soon is counted in working days there. */
  dueState?: StepDueState;
  /** Working days left, for a deadline counted in working days. */
  workingDaysLeft?: number;
}

export function DueChip({ dueAt, done, provisional, showDate = true, dueState, workingDaysLeft }: DueChipProps) {
  const translate = useTranslate();
  if (!dueAt) return <>{translate('fangfan.no_value')}</>;
  if (done) return <>{formatDate(dueAt)}</>;
  const local = calendarDueState(dueAt);
  const overdue = dueState ? dueState === 'overdue' : local.kind === 'overdue';
  const soon = dueState ? dueState === 'soon' : local.kind === 'today';
  const color = overdue ? 'error' : soon ? 'warning' : 'default';
  const text =
    !overdue && local.kind !== 'today' && workingDaysLeft !== undefined && workingDaysLeft > 0
      ? translate('fangfan.due.working_days', { smart_count: workingDaysLeft })
      : relativeDue(dueAt, translate);
  return (
    <Box component="span" sx={{ display: 'inline-flex', alignItems: 'center', gap: 0.5, flexWrap: 'wrap' }}>
      <Tooltip title={formatDateTime(dueAt)}>
        <Chip
          size="small"
          color={color}
          variant={overdue || soon ? 'filled' : 'outlined'}
          label={`${showDate ? `${formatDate(dueAt)} · ` : ''}${text}`}
          data-testid="due-chip"
          data-overdue={overdue ? 'true' : 'false'}
          data-due-state={overdue ? 'overdue' : soon ? 'soon' : 'later'}
        />
      </Tooltip>
      {provisional && (
        <Tooltip title={translate('fangfan.due.provisional')} enterTouchDelay={0}>
          <Chip size="small" variant="outlined" label={translate('fangfan.due.provisional_tag')} data-testid="due-provisional" sx={{ height: 20, fontSize: '0.7rem' }} />
        </Tooltip>
      )}
    </Box>
  );
}
