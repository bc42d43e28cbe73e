/** 各版本: every saved version of a definition's key, newest first, each opening in the designer. */
import { Chip, Stack, Typography } from '@mui/material';
import { useGetList, useTranslate } from 'react-admin';
import { Link as RouterLink } from 'react-router-dom';
import type { ProcessDefinitionRecord } from './types';

export function Versions({ definitionKey, current }: { definitionKey: string; current: string }) {
  const translate = useTranslate();
  const { data = [] } = useGetList<ProcessDefinitionRecord>('process-definitions', { filter: { key: definitionKey }, pagination: { page: 1, perPage: 100 }, sort: { field: 'version', order: 'DESC' } });
  const versions = data.filter((d) => d.key === definitionKey).sort((a, b) => b.version - a.version);
  if (!versions.length) return null;
  return (
    <Stack spacing={1} data-testid="definition-versions">
      <Typography variant="subtitle2">{translate('fangfan.designer.versions')}</Typography>
      <Stack direction="row" useFlexGap spacing={1} sx={{ flexWrap: 'wrap' }}>
        {versions.map((v) => (
          <Chip
            key={v.id}
            component={RouterLink}
            to={`/process-definitions/${encodeURIComponent(v.id)}/show`}
            clickable
            color={v.id === current ? 'primary' : 'default'}
            variant={v.id === current ? 'filled' : 'outlined'}
            label={`${translate('fangfan.designer.version', { version: v.version })} · ${translate(`fangfan.designer.status.${v.status}`, { _: translate('fangfan.designer.status.retired') })}`}
          />
        ))}
      </Stack>
    </Stack>
  );
}
