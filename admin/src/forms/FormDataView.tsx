/**
 * Submitted form data shown read-only, labelled by its JSON Schema (titles, and the titles of coded
 * values): a completed step's form, a case's start request. Generic: only the schema is known.
 */
import { Box, Typography } from '@mui/material';
import type { RJSFSchema } from '@rjsf/utils';
import { useTranslate } from 'react-admin';
import { formatDateTime } from '../lib/dates';
import { isFileIds } from '../lib/schemaUi';
import { FileThumbs } from '../files/FileThumbs';

type Node = RJSFSchema;

function constTitle(schema: Node | undefined, value: unknown): string | undefined {
  const options = schema?.oneOf as Node[] | undefined;
  const hit = options?.find((o) => o && typeof o === 'object' && o.const === value);
  return typeof hit?.title === 'string' ? hit.title : undefined;
}

/** The words a value is written with in the console's language. */
export interface ValueWords {
  separator: string;
  yes: string;
  no: string;
  /** The label of an object's key the schema does not title (e.g. a step's context). */
  label?: (key: string) => string | undefined;
}

const ZH_WORDS: ValueWords = { separator: '、', yes: '是', no: '否' };

/** An amount of money: the schema says so in its title (元) or the field's name does (cost, amount, subsidy…). */
export function isMoney(schema: Node | undefined, key = ''): boolean {
  const title = typeof schema?.title === 'string' ? schema.title : '';
  return /元/.test(title) || /(amount|cost|total|subsidy|fee|expense|payment|price|income|threshold|outofpocket|insurance|assistance)$/i.test(key);
}

/** `¥80,000.00`. */
export function formatMoney(yuan: number): string {
  const sign = yuan < 0 ? '-' : '';
  return `${sign}¥${Math.abs(yuan).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

/**
 * A value as a person reads it: a coded value by its schema title, yes/no, money as ¥80,000.00, a time
 * in Beijing time, a list as text, an object as `title：value` pairs; '' for nothing (the caller shows —).
 */
export function formatValue(schema: Node | undefined, value: unknown, words: ValueWords | string = ZH_WORDS, key = ''): string {
  const w = typeof words === 'string' ? { ...ZH_WORDS, separator: words } : words;
  if (value === null || value === undefined || value === '') return '';
  if (Array.isArray(value)) {
    const items = (schema?.items && !Array.isArray(schema.items) ? schema.items : undefined) as Node | undefined;
    return value.map((v) => formatValue(items, v, w)).filter(Boolean).join(w.separator);
  }
  if (typeof value === 'object') {
    const props = (schema?.properties ?? {}) as Record<string, Node>;
    return Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => [typeof props[k]?.title === 'string' ? props[k].title : w.label?.(k), formatValue(props[k], v, w, k)] as const)
      .filter(([title, text]) => title && text)
      .map(([title, text]) => `${title}：${text}`)
      .join('；');
  }
  const titled = constTitle(schema, value);
  if (titled) return titled;
  if (typeof value === 'boolean') return value ? w.yes : w.no;
  if (typeof value === 'number') return isMoney(schema, key) ? formatMoney(value) : value.toLocaleString('en-US');
  if (typeof value === 'string' && ISO_INSTANT.test(value)) return formatDateTime(value);
  return String(value);
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
              {isFileIds(sub) ? <FileThumbs ids={[v].flat().map(String)} size={64} /> : nested ? <FormDataView schema={sub} data={v} dense /> : formatValue(sub, v, { separator: translate('fangfan.list_separator'), yes: translate('ra.boolean.true'), no: translate('ra.boolean.false') }, k) || translate('fangfan.no_value')}
            </Typography>
          </Box>
        );
      })}
    </Box>
  );
}
