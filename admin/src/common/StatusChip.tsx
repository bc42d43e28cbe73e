/** A case's or a step's status, in words and colour. */
import { Chip } from '@mui/material';
import { useTranslate } from 'react-admin';

const COLORS: Record<string, 'default' | 'primary' | 'success' | 'error' | 'warning' | 'info'> = {
  running: 'primary',
  completed: 'success',
  rejected: 'warning',
  cancelled: 'default',
  failed: 'error',
  open: 'primary',
  done: 'success',
};

export function StatusChip({ status, kind = 'status' }: { status?: string; kind?: 'status' | 'step_status' }) {
  const translate = useTranslate();
  if (!status) return null;
  return <Chip size="small" color={COLORS[status] ?? 'default'} label={translate(`fangfan.${kind}.${status}`, { _: status })} />;
}
