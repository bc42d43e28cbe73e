/** A definition's status in words (草稿, 已发布, 已停用). */
import { Chip } from '@mui/material';
import { useTranslate } from 'react-admin';

const COLOR: Record<string, 'default' | 'success'> = { published: 'success', active: 'success' };

export function DefinitionStatusChip({ status }: { status: string }) {
  const translate = useTranslate();
  return <Chip size="small" color={COLOR[status] ?? 'default'} label={translate(`fangfan.designer.status.${status}`, { _: translate('fangfan.designer.status.retired') })} data-testid="definition-status" />;
}
