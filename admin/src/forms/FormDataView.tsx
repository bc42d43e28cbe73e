/**
 * Submitted form data shown read-only, labelled by its JSON Schema (titles, and the titles of coded
 * values): a completed step's form, a case's start request. Generic: only the schema is known.
 */
import { Box, Typography } from '@mui/material';
import type { RJSFSchema } from '@rjsf/utils';
import { useTranslate } from 'react-admin';

type Node = RJSFSchema;

function constTitle(schema: Node | undefined, value: unknown): string | undefined {
  const options = schema?.oneOf as Node[] | undefined;
  const hit = options?.find((o) => o && typeof o === 'object' && o.const === value);
  return typeof hit?.title === 'string' ? hit.title : undefined;
}

export function formatValue(schema: Node | undefined, value: unknown, separator = '、'): string {
  if (value === null || value === undefined || value === '') return '';
  if (Array.isArray(value)) {
    const items = (schema?.items && !Array.isArray(schema.items) ? schema.items : undefined) as Node | undefined;
    return value.map((v) => formatValue(items, v, separator)).join(separator);
  }
  if (typeof value === 'object') return JSON.stringify(value);
  return constTitle(schema, value) ?? String(value);
}

export function FormDataView({ schema, data, dense }: { schema?: RJSFSchema; data: unknown; dense?: boolean }) {
  const translate = useTranslate();
  if (!data || typeof data !== 'object') return null;
  const values = data as Record<string, unknown>;
  const props = (schema?.properties ?? {}) as Record<string, Node>;
  const keys = Object.keys(props).filter((k) => values[k] !== undefined && values[k] !== null && values[k] !== '');
  if (!keys.length) return null;
  return (
    <Box component="dl" sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', sm: 'minmax(8em, max-content) 1fr' }, columnGap: 2, rowGap: dense ? 0.25 : 0.75, m: 0 }}>
      {keys.map((k) => {
        const sub = props[k];
        const v = values[k];
        const nested = sub?.type === 'object' && v && typeof v === 'object' && !Array.isArray(v);
        return (
          <Box key={k} sx={{ display: 'contents' }}>
            <Typography component="dt" variant="body2" color="text.secondary">
              {typeof sub?.title === 'string' ? sub.title : k}
            </Typography>
            <Typography component="dd" variant="body2" sx={{ m: 0, whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
              {nested ? <FormDataView schema={sub} data={v} dense /> : formatValue(sub, v, translate('fangfan.list_separator')) || translate('fangfan.no_value')}
            </Typography>
          </Box>
        );
      })}
    </Box>
  );
}
