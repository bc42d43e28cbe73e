/**
 * A department's list as a CSV or XLSX file (the console's upload): the header row names the columns in
 * Chinese or by the API's field names; each data row becomes a record as the JSON batch has it. A cell
 * that does not fit its column is refused naming the row and the column.
 */
import { streamTable, type TableRow } from '../import-table';
import { HttpError, invalidFields, type ErrorDetail } from '../errors';
import { ExchangeRecordSchema, MAX_BATCH_RECORDS, type ExchangeRecordInput } from './schemas';

type Field = keyof ExchangeRecordInput;
type Kind = 'text' | 'number' | 'integer' | 'boolean' | 'grade';

const COLUMNS: { field: Field; kind: Kind; headers: string[] }[] = [
  { field: 'idNumber', kind: 'text', headers: ['身份证号', '身份证号码', 'idNumber'] },
  { field: 'name', kind: 'text', headers: ['姓名', 'name'] },
  { field: 'reference', kind: 'text', headers: ['编号', '业务编号', 'reference'] },
  { field: 'perCapitaIncome', kind: 'number', headers: ['人均纯收入', '人均纯收入（元）', 'perCapitaIncome'] },
  { field: 'outOfPocket', kind: 'number', headers: ['自付医疗费用', '个人自付医疗费用', '本年个人自付医疗费用（元）', 'outOfPocket'] },
  { field: 'disabilityGrade', kind: 'integer', headers: ['残疾等级', 'disabilityGrade'] },
  { field: 'droppedOut', kind: 'boolean', headers: ['辍学', 'droppedOut'] },
  { field: 'houseGrade', kind: 'grade', headers: ['房屋等级', '房屋安全鉴定等级', 'houseGrade'] },
  { field: 'subsistenceCancelled', kind: 'boolean', headers: ['低保取消', 'subsistenceCancelled'] },
  { field: 'unemployed', kind: 'boolean', headers: ['失业', 'unemployed'] },
];

const YES = ['是', 'true', '1', 'y', 'yes'];
const NO = ['否', 'false', '0', 'n', 'no', ''];

function cellValue(kind: Kind, text: string): unknown {
  const t = text.trim();
  switch (kind) {
    case 'text':
      return t;
    case 'number':
    case 'integer': {
      const n = Number(t.replace(/[,¥，]/g, '').replace(/级$/, ''));
      if (!Number.isFinite(n) || (kind === 'integer' && !Number.isInteger(n))) throw new Error(kind === 'integer' ? '须为整数 (must be a whole number)' : '须为数字 (must be a number)');
      return n;
    }
    case 'boolean':
      if (YES.includes(t.toLowerCase())) return true;
      if (NO.includes(t.toLowerCase())) return false;
      throw new Error('须填“是”或“否” (must be 是 or 否)');
    case 'grade': {
      const g = t.toUpperCase().replace(/级$/, '');
      if (!['A', 'B', 'C', 'D'].includes(g)) throw new Error('须为 A、B、C 或 D 级 (must be A, B, C or D)');
      return g;
    }
  }
}

/** The schema's own limits of a field (length, pattern, range), so that a cell is held to what the JSON batch is. */
function checkLimits(field: Field, value: unknown): void {
  const rule = (ExchangeRecordSchema.properties as Record<string, { minLength?: number; maxLength?: number; pattern?: string; minimum?: number; maximum?: number }>)[field];
  if (typeof value === 'string') {
    if (value === '' && (field === 'idNumber' || field === 'name')) throw new Error('必填 (required)');
    if (rule.minLength && value.length < rule.minLength) throw new Error('必填 (required)');
    if (rule.maxLength !== undefined && value.length > rule.maxLength) throw new Error(`不能超过 ${rule.maxLength} 个字 (at most ${rule.maxLength} characters)`);
    if (rule.pattern && !new RegExp(rule.pattern).test(value)) throw new Error(field === 'idNumber' ? '须为 18 位身份证号，末位可为 X (an 18-digit ID number)' : '格式不对 (wrong format)');
  }
  if (typeof value === 'number') {
    if (rule.minimum !== undefined && value < rule.minimum) throw new Error(`不能小于 ${rule.minimum} (at least ${rule.minimum})`);
    if (rule.maximum !== undefined && value > rule.maximum) throw new Error(`不能大于 ${rule.maximum.toLocaleString('en-US')} (at most ${rule.maximum})`);
  }
}

/** Cells at fault reported at once; reading stops there (a wrong file of 100,000 rows would fault on every one). */
const MAX_PROBLEMS = 50;

const tooManyRows = () => {
  const message = `每批最多 ${MAX_BATCH_RECORDS.toLocaleString('en-US')} 条记录，请分批上传 (at most ${MAX_BATCH_RECORDS} records per batch)`;
  return new HttpError(413, 'payload_too_large', `file: ${message}`, [{ field: 'file', rule: 'maxRows', message }]);
};

/**
 * The file's records, read a row at a time (a batch as long as a JSON one: MAX_BATCH_RECORDS); a refusal
 * lists every cell at fault by row and column (`第 3 行“身份证号”：…`), a file of more records is a 413.
 */
export async function recordsOfFile(bytes: Buffer, filename: string): Promise<ExchangeRecordInput[]> {
  let header: TableRow | undefined;
  let columns: ((typeof COLUMNS)[number] | undefined)[] = [];
  const records: ExchangeRecordInput[] = [];
  const problems: ErrorDetail[] = [];
  for await (const row of streamTable(bytes, filename)) {
    if (!row.cells.some((c) => c.trim() !== '')) continue;
    if (!header) {
      header = row;
      columns = headerColumns(row);
      continue;
    }
    if (records.length === MAX_BATCH_RECORDS) throw tooManyRows();
    records.push(recordOf(row, header, columns, problems));
    if (problems.length >= MAX_PROBLEMS) break;
  }
  if (!header) throw invalidFields([{ field: 'file', rule: 'empty', message: '文件没有内容 (the file has no rows)' }]);
  if (!records.length && !problems.length) throw invalidFields([{ field: 'file', rule: 'empty', message: '文件只有列名，没有记录 (the file has a header row only)' }]);
  if (problems.length) throw invalidFields(problems.slice(0, MAX_PROBLEMS));
  return records;
}

function headerColumns(header: TableRow) {
  const columns = header.cells.map((h) => COLUMNS.find((c) => c.headers.includes(h.trim())));
  const problems: ErrorDetail[] = [];
  for (const required of ['idNumber', 'name'] as const) {
    if (!columns.some((c) => c?.field === required)) {
      const title = COLUMNS.find((c) => c.field === required)!.headers[0];
      problems.push({ field: 'file', rule: 'column', message: `缺少“${title}”列 (the header row lacks the ${required} column)` });
    }
  }
  if (problems.length) throw invalidFields(problems);
  return columns;
}

function recordOf(row: TableRow, header: TableRow, columns: ((typeof COLUMNS)[number] | undefined)[], problems: ErrorDetail[]): ExchangeRecordInput {
  const record: Record<string, unknown> = {};
  const fault = (i: number, field: Field, err: unknown) =>
    problems.push({ field: `file.row${row.row}.${field}`, rule: 'format', message: `第 ${row.row} 行“${header.cells[i].trim()}”：${(err as Error).message}` });
  columns.forEach((column, i) => {
    const text = row.cells[i] ?? '';
    if (!column || (text.trim() === '' && column.kind !== 'text')) return;
    try {
      if (row.inexact.has(i)) throw new Error('数字位数过长已失真，请把该列设为文本 (digits lost: format the column as text)');
      const value = cellValue(column.kind, text);
      checkLimits(column.field, value);
      record[column.field] = value;
    } catch (err) {
      fault(i, column.field, err);
    }
  });
  return record as ExchangeRecordInput;
}
