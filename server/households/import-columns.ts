/**
 * The import's columns: which header names mean which field (Chinese names as offices write them,
 * the export's own headers, the API's field names), which export columns are read past, and where
 * the header row is.
 */
import type { ErrorDetail } from '../errors';
import type { TableRow } from '../import-table';
import { REQUIRED_FIELDS, type HouseholdFields } from '../validation/household';
import { LEDGER_COLUMNS, WRITABLE_LEDGER_COLUMNS } from './ledger';

export type ImportField = 'id' | keyof HouseholdFields;

const norm = (s: string) => s.replace(/^\uFEFF/, '').replace(/[\s*＊:：]/g, '').toLowerCase();

const COLUMN_ALIASES: Record<ImportField, string[]> = {
  id: ['户编号', '户号', '农户编号', 'id', 'householdid'],
  headName: ['户主姓名', '户主', '姓名', 'headname', 'name'],
  idNumber: ['身份证号', '身份证号码', '户主身份证号', '户主身份证号码', '居民身份证号', '居民身份证号码', '证件号码', 'idnumber'],
  phone: ['联系电话', '电话', '手机', '手机号', '手机号码', 'phone'],
  town: ['镇', '乡镇', '镇街', '所属镇', 'town'],
  village: ['村', '行政村', '村社区', '村(社区)', '村（社区）', '所属村', 'village'],
  memberCount: ['家庭人口', '家庭人口数', '人口数', '人口', '家庭成员数', 'membercount'],
  status: ['户类型', '户别', '户属性', 'status'],
  lowIncomeGroups: ['低收入群体', '低收入人口类型', '低收入类型', 'lowincomegroups'],
};
/** Columns of the export that the import reads past (monitoring is the workflows'; times are the system's). */
const READ_ONLY_COLUMNS = [
  ...LEDGER_COLUMNS.slice(WRITABLE_LEDGER_COLUMNS).flatMap((c) => [c.header.zh, c.header.en, c.key]),
  'idnumbermasked',
  '序号',
  'no',
  'no.',
  '#',
].map(norm);

/** The aliases, and the export's own headers in both languages (a ledger exported in English imports too). */
const ALIAS_TO_FIELD = new Map<string, ImportField>([
  ...(Object.entries(COLUMN_ALIASES) as [ImportField, string[]][]).flatMap(([field, names]) => names.map((n) => [norm(n), field] as const)),
  ...LEDGER_COLUMNS.slice(0, WRITABLE_LEDGER_COLUMNS).flatMap((c) => [c.header.zh, c.header.en].map((n) => [norm(n), c.key as ImportField] as const)),
]);

/** A header cell's field: its whole text, or the part before / inside brackets ("户主姓名(headName)"). */
function columnField(header: string): ImportField | 'readOnly' | undefined {
  const h = norm(header);
  const candidates = [h, h.replace(/[(（].*$/, ''), /[(（]([^)）]*)[)）]/.exec(h)?.[1] ?? ''].filter(Boolean);
  for (const c of candidates) {
    const f = ALIAS_TO_FIELD.get(c);
    if (f) return f;
  }
  if (candidates.some((c) => READ_ONLY_COLUMNS.includes(c))) return 'readOnly';
  return undefined;
}

/** The header is the first of the top rows naming at least two known columns (a title row may precede it). */
function headerIndex(rows: TableRow[]): number {
  for (let i = 0; i < Math.min(rows.length, 5); i++) {
    const known = rows[i].cells.filter((c) => {
      const f = columnField(c);
      return f !== undefined && f !== 'readOnly';
    });
    if (known.length >= 2) return i;
  }
  return 0;
}

interface ImportHeader {
  /** The index of the header row in the table; data rows follow it. */
  row: number;
  /** Each field's column index. */
  columns: Map<ImportField, number>;
  /** Read-only export columns present in the file (reported, not written). */
  ignored: string[];
  /** Unknown, repeated and missing required columns. */
  problems: ErrorDetail[];
}

export function readHeader(rows: TableRow[]): ImportHeader {
  const row = headerIndex(rows);
  const header = rows[row]?.cells ?? [];
  const fields = header.map((c) => columnField(c));
  const problems: ErrorDetail[] = header
    .filter((c, i) => c.trim() !== '' && fields[i] === undefined)
    .map((c) => ({ field: `column ${c}`, rule: 'unknown', message: 'is not a known column' }));
  const columns = new Map<ImportField, number>();
  fields.forEach((f, i) => {
    if (f && f !== 'readOnly') {
      if (columns.has(f)) problems.push({ field: `column ${header[i]}`, rule: 'duplicate', message: `repeats the column for ${f}` });
      columns.set(f, i);
    }
  });
  for (const f of REQUIRED_FIELDS) {
    if (!columns.has(f)) problems.push({ field: `column ${COLUMN_ALIASES[f][0]}`, rule: 'required', message: `is missing (${f})` });
  }
  return { row, columns, ignored: header.filter((_, i) => fields[i] === 'readOnly'), problems };
}
