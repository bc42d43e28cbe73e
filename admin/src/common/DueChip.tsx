/** A due time as the policy counts it: "3 天后到期", "今天到期", "逾期 2 天" (red), with the date. */
import { Chip, Tooltip } from '@mui/material';
import { useTranslate } from 'react-admin';
import { dueState, formatDate, formatDateTime, relativeDue } from '../lib/dates';

export function DueChip({ dueAt, done, provisional, showDate = true }: { dueAt?: string | null; done?: boolean; provisional?: boolean; showDate?: boolean }) {
  const translate = useTranslate();
  if (!dueAt) return <>{translate('fangfan.no_value')}</>;
  if (done) return <>{formatDate(dueAt)}</>;
  const state = dueState(dueAt);
  const color = state.kind === 'overdue' ? 'error' : state.kind === 'today' ? 'warning' : 'default';
  const text = relativeDue(dueAt, translate);
  const tip = `${formatDateTime(dueAt)}${provisional ? ` · ${translate('fangfan.due.provisional')}` : ''}`;
  return (
    <Tooltip title={tip}>
      <Chip
        size="small"
        color={color}
        variant={state.kind === 'upcoming' ? 'outlined' : 'filled'}
        label={`${showDate ? `${formatDate(dueAt)} · ` : ''}${text}${provisional ? ' *' : ''}`}
        data-testid="due-chip"
        data-overdue={state.kind === 'overdue' ? 'true' : 'false'}
      />
    </Tooltip>
  );
}
