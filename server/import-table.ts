/**
 * Reads an uploaded table (CSV in UTF-8 with or without BOM, or XLSX) into rows of text cells, with
 * each row's number as a spreadsheet shows it (the header is usually row 1, so data starts at row 2).
 */
import ExcelJS from 'exceljs';
import { invalidField } from './errors';

export interface TableRow {
  row: number;
  cells: string[];
  /** Columns whose XLSX cell held a number too large to be exact (digits already lost). */
  inexact: Set<number>;
}

export interface Table {
  format: 'csv' | 'xlsx';
  rows: TableRow[];
  /** An XLSX workbook's further sheets, by name (e.g. the register's 家庭成员). */
  sheets?: Map<string, TableRow[]>;
}

export const MAX_IMPORT_ROWS = 5000;

const isZip = (b: Buffer) => b.length > 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;
const isOle = (b: Buffer) => b.length > 8 && b.readUInt32BE(0) === 0xd0cf11e0;

export async function readTable(buf: Buffer, filename = ''): Promise<Table> {
  if (buf.length === 0) throw invalidField('file', 'empty', 'the file is empty');
  if (isOle(buf) || /\.xls$/i.test(filename)) {
    throw invalidField('file', 'format', 'old .xls workbooks are not supported: save as .xlsx or CSV UTF-8 (另存为 .xlsx 或 CSV UTF-8)');
  }
  if (isZip(buf)) return { format: 'xlsx', ...(await readXlsx(buf)) };
  return { format: 'csv', rows: readCsv(buf) };
}

function readCsv(buf: Buffer): TableRow[] {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(buf);
  } catch {
    throw invalidField('file', 'encoding', 'CSV must be UTF-8 (Excel: 另存为 "CSV UTF-8")');
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  const delimiter = [',', '\t', ';'].map((d) => [d, firstLine.split(d).length] as const).sort((a, b) => b[1] - a[1])[0][0];
  return parseCsv(text, delimiter).map((cells, i) => ({ row: i + 1, cells, inexact: new Set<number>() }));
}

/** RFC 4180: quoted fields may hold delimiters, quotes ("") and line breaks. */
function parseCsv(text: string, delimiter = ','): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        continue;
      }
      field += c;
      i++;
      continue;
    }
    if (c === '"' && field === '') {
      quoted = true;
      i++;
    } else if (c === delimiter) {
      row.push(field);
      field = '';
      i++;
    } else if (c === '\r' || c === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
    } else {
      field += c;
      i++;
    }
    if (rows.length > MAX_IMPORT_ROWS + 10) throw invalidField('file', 'maxRows', `at most ${MAX_IMPORT_ROWS} rows per import`);
  }
  if (field !== '' || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

function cellText(v: ExcelJS.CellValue): { text: string; inexact: boolean } {
  if (v === null || v === undefined) return { text: '', inexact: false };
  if (typeof v === 'string') return { text: v, inexact: false };
  if (typeof v === 'number') {
    if (Number.isInteger(v) && !Number.isSafeInteger(v)) return { text: BigInt(v).toString(), inexact: true };
    return { text: String(v), inexact: false };
  }
  if (typeof v === 'boolean') return { text: v ? 'true' : 'false', inexact: false };
  // ExcelJS gives a date cell's wall-clock value as that instant in UTC: its UTC date is the date shown.
  if (v instanceof Date) return { text: v.toISOString().slice(0, 10), inexact: false };
  if (typeof v === 'object') {
    if ('richText' in v && Array.isArray(v.richText)) return { text: v.richText.map((p) => p.text).join(''), inexact: false };
    if ('text' in v && typeof v.text === 'string') return { text: v.text, inexact: false };
    if ('result' in v) return cellText((v as { result?: ExcelJS.CellValue }).result ?? null);
    if ('error' in v) return { text: '', inexact: false };
  }
  return { text: String(v), inexact: false };
}

async function readXlsx(buf: Buffer): Promise<{ rows: TableRow[]; sheets: Map<string, TableRow[]> }> {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(buf as unknown as ArrayBuffer);
  } catch {
    throw invalidField('file', 'format', 'not a readable .xlsx workbook');
  }
  const sheets = wb.worksheets.filter((s) => s.actualRowCount > 0);
  if (!sheets.length) return { rows: [], sheets: new Map() };
  return { rows: sheetRows(sheets[0]), sheets: new Map(sheets.slice(1).map((s) => [s.name.trim(), sheetRows(s)])) };
}

function sheetRows(sheet: ExcelJS.Worksheet): TableRow[] {
  if (sheet.actualRowCount > MAX_IMPORT_ROWS + 10) throw invalidField('file', 'maxRows', `at most ${MAX_IMPORT_ROWS} rows per import`);
  const rows: TableRow[] = [];
  sheet.eachRow({ includeEmpty: false }, (r, rowNumber) => {
    const cells: string[] = [];
    const inexact = new Set<number>();
    for (let c = 1; c <= r.cellCount; c++) {
      const { text, inexact: lost } = cellText(r.getCell(c).value);
      cells.push(text);
      if (lost) inexact.add(c - 1);
    }
    rows.push({ row: rowNumber, cells, inexact });
  });
  return rows;
}
