/**
 * A department's list as a CSV or XLSX file (the console's upload): the header row names the columns in
 * Chinese or by the API's field names; each data row becomes a record as the JSON batch has it. A cell
 * that does not fit its column is refused naming the row and the column.
 */
import { readTable, type TableRow } from '../import-table';
import { invalidFields, type ErrorDetail } from '../errors';
import type { ExchangeRecordInput } from './schemas';

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

/** The file's records; a refusal lists every cell at fault (`row 3: 身份证号 …`). */
export async function recordsOfFile(bytes: Buffer, filename: string): Promise<ExchangeRecordInput[]> {
  const table = await readTable(bytes, filename);
  const [header, ...data] = table.rows.filter((r) => r.cells.some((c) => c.trim() !== ''));
  if (!header) throw invalidFields([{ field: 'file', rule: 'empty', message: '文件没有内容 (the file has no rows)' }]);
  const columns = header.cells.map((h) => COLUMNS.find((c) => c.headers.includes(h.trim())));
  const problems: ErrorDetail[] = [];
  for (const required of ['idNumber', 'name'] as const) {
    if (!columns.some((c) => c?.field === required)) {
      const title = COLUMNS.find((c) => c.field === required)!.headers[0];
      problems.push({ field: 'file', rule: 'column', message: `缺少“${title}”列 (the header row lacks the ${required} column)` });
    }
  }
  if (problems.length) throw invalidFields(problems);
  const records = data.map((row: TableRow) => {
    const record: Record<string, unknown> = {};
    row.cells.forEach((text, i) => {
      const column = columns[i];
      if (!column || (text.trim() === '' && column.kind !== 'text')) return;
      try {
        if (row.inexact.has(i)) throw new Error('数字位数过长已失真，请把该列设为文本 (digits lost: format the column as text)');
        record[column.field] = cellValue(column.kind, text);
      } catch (err) {
        problems.push({ field: `file.row${row.row}.${column.field}`, rule: 'format', message: `第 ${row.row} 行“${header.cells[i].trim()}”：${(err as Error).message}` });
      }
    });
    return record as ExchangeRecordInput;
  });
  if (problems.length) throw invalidFields(problems.slice(0, 50));
  return records;
}
