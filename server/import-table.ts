/**
 * Reads an uploaded table (CSV in UTF-8 with or without BOM, or XLSX) into rows of text cells, with
 * each row's number as a spreadsheet shows it (the header is usually row 1, so data starts at row 2).
 */
import { Readable } from 'node:stream';
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
  if (checkFormat(buf, filename) === 'xlsx') return { format: 'xlsx', ...(await readXlsx(buf)) };
  return { format: 'csv', rows: readCsv(buf) };
}

function checkFormat(buf: Buffer, filename: string): 'csv' | 'xlsx' {
  if (buf.length === 0) throw invalidField('file', 'empty', 'the file is empty');
  if (isOle(buf) || /\.xls$/i.test(filename)) {
    throw invalidField('file', 'format', 'old .xls workbooks are not supported: save as .xlsx or CSV UTF-8 (另存为 .xlsx 或 CSV UTF-8)');
  }
  return isZip(buf) ? 'xlsx' : 'csv';
}

/**
 * The rows of a table one at a time, for lists far longer than an import (a department's 100,000 records):
 * CSV decoded and split a slice at a time, an XLSX's first sheet with a sheet through ExcelJS's streaming
 * reader, so that neither the whole text nor a workbook model of every cell is ever held.
 */
export async function* streamTable(buf: Buffer, filename = ''): AsyncGenerator<TableRow> {
  if (checkFormat(buf, filename) === 'xlsx') yield* streamXlsx(buf);
  else yield* streamCsv(buf);
}

const CSV_SLICE = 256 * 1024;

async function* streamCsv(buf: Buffer): AsyncGenerator<TableRow> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let parser: CsvRows | undefined;
  let head = '';
  let row = 0;
  for (let at = 0; at < buf.length || !parser; at += CSV_SLICE) {
    const last = at + CSV_SLICE >= buf.length;
    let text: string;
    try {
      text = decoder.decode(buf.subarray(at, at + CSV_SLICE), { stream: !last });
    } catch {
      throw invalidField('file', 'encoding', 'CSV must be UTF-8 (Excel: 另存为 "CSV UTF-8")');
    }
    if (!parser) {
      // The delimiter is the one the first line has most of: wait for that line.
      head += text;
      if (!/[\r\n]/.test(head) && !last) continue;
      parser = new CsvRows(delimiterOf(head));
      text = head;
    }
    const rows: string[][] = [];
    parser.push(text, rows);
    if (last) parser.end(rows);
    for (const cells of rows) yield { row: ++row, cells, inexact: new Set<number>() };
    if (last) return;
  }
}

function delimiterOf(text: string): string {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  return [',', '\t', ';'].map((d) => [d, firstLine.split(d).length] as const).sort((a, b) => b[1] - a[1])[0][0];
}

function readCsv(buf: Buffer): TableRow[] {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(buf);
  } catch {
    throw invalidField('file', 'encoding', 'CSV must be UTF-8 (Excel: 另存为 "CSV UTF-8")');
  }
  const rows: string[][] = [];
  const parser = new CsvRows(delimiterOf(text));
  parser.push(text, rows, MAX_IMPORT_ROWS + 10);
  parser.end(rows);
  return rows.map((cells, i) => ({ row: i + 1, cells, inexact: new Set<number>() }));
}

/** RFC 4180, fed a piece of text at a time: quoted fields may hold delimiters, quotes ("") and line breaks. */
class CsvRows {
  private row: string[] = [];
  private field = '';
  private quoted = false;
  /** A quote inside a quoted field: the end of the field, or the first of "". */
  private quoteInQuoted = false;
  /** A \r ended a row: a \n right after it belongs to it. */
  private afterCr = false;
  private started = false;

  constructor(private readonly delimiter: string) {}

  push(text: string, rows: string[][], maxRows = Infinity): void {
    let i = 0;
    if (!this.started) {
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) i = 1;
    }
    for (; i < text.length; i++) {
      const c = text[i];
      if (this.afterCr) {
        this.afterCr = false;
        if (c === '\n') continue;
      }
      if (this.quoteInQuoted) {
        this.quoteInQuoted = false;
        if (c === '"') {
          this.field += '"';
          continue;
        }
        this.quoted = false;
      } else if (this.quoted) {
        if (c === '"') this.quoteInQuoted = true;
        else this.field += c;
        continue;
      }
      if (c === '"' && this.field === '') {
        this.quoted = true;
      } else if (c === this.delimiter) {
        this.row.push(this.field);
        this.field = '';
      } else if (c === '\r' || c === '\n') {
        this.row.push(this.field);
        rows.push(this.row);
        this.row = [];
        this.field = '';
        this.afterCr = c === '\r';
        if (rows.length > maxRows) throw invalidField('file', 'maxRows', `at most ${MAX_IMPORT_ROWS} rows per import`);
      } else {
        this.field += c;
      }
    }
  }

  end(rows: string[][]): void {
    if (this.field !== '' || this.row.length) {
      this.row.push(this.field);
      rows.push(this.row);
    }
    this.row = [];
    this.field = '';
  }
}

export function cellText(v: ExcelJS.CellValue): { text: string; inexact: boolean } {
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
  sheet.eachRow({ includeEmpty: false }, (r, rowNumber) => rows.push(rowOf(r, rowNumber)));
  return rows;
}

function rowOf(r: ExcelJS.Row, rowNumber: number): TableRow {
  const cells: string[] = [];
  const inexact = new Set<number>();
  for (let c = 1; c <= r.cellCount; c++) {
    const { text, inexact: lost } = cellText(r.getCell(c).value);
    cells.push(text);
    if (lost) inexact.add(c - 1);
  }
  return { row: rowNumber, cells, inexact };
}

/** The first sheet with rows, a row at a time (a sheet stored before the shared strings waits in a temporary file, not in memory). */
async function* streamXlsx(buf: Buffer): AsyncGenerator<TableRow> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([buf]), { worksheets: 'emit', sharedStrings: 'cache', hyperlinks: 'ignore', styles: 'ignore', entries: 'ignore' });
  const sheets = reader[Symbol.asyncIterator]();
  for (;;) {
    const sheet = await unreadable(sheets.next());
    if (sheet.done) return;
    const rows = sheet.value[Symbol.asyncIterator]();
    let any = false;
    for (;;) {
      const r = await unreadable(rows.next());
      if (r.done) break;
      any = true;
      yield rowOf(r.value, r.value.number);
    }
    if (any) return;
  }
}

/** A workbook the streaming reader cannot read is the client's mistake. */
async function unreadable<T>(step: Promise<T>): Promise<T> {
  try {
    return await step;
  } catch {
    throw invalidField('file', 'format', 'not a readable .xlsx workbook');
  }
}
