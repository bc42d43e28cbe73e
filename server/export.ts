/**
 * Excel ledgers (工作台账): every list can export its whole filtered result as one worksheet, for
 * people: headers and values in the caller's language (Chinese unless it asks for English), times in
 * Beijing time as people write them, and a file named for what it holds and the day it was made
 * (`办理环节_2026-12-04.xlsx`). Strings stay strings (ID numbers keep every digit; nothing a client
 * typed becomes a formula), the header row is bold, frozen and filterable.
 */
import ExcelJS from 'exceljs';
import type { FastifyReply } from 'fastify';
import type { Lang, Text } from '../contracts/i18n';
import { shanghaiDate, toShanghaiMinute } from '../calendar/dates';

const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The response schema of an .xlsx download (`sendXlsx`). */
export const XlsxDownload = { description: 'Excel workbook (.xlsx)', content: { [XLSX_MIME]: { schema: { type: 'string', format: 'binary' } } } };

export interface XlsxColumn {
  header: Text;
  key: string;
  width?: number;
}

/** A kind of ledger: what it holds (the file and sheet name) and its columns. */
export interface Ledger {
  name: Text;
  columns: XlsxColumn[];
}

/** A code's label in the caller's language from a vocabulary (the code itself only when the vocabulary lacks it). */
export const labelIn = (vocabulary: Record<string, Text>, code: string | null | undefined, lang: Lang): string =>
  code ? (Object.hasOwn(vocabulary, code) ? vocabulary[code][lang] : code) : '';

/** An instant as the ledgers show it, in Beijing time: '2026-12-04 15:30'. */
export const ledgerTime = (instant: Date | string | null | undefined): string => (instant ? toShanghaiMinute(new Date(instant)) : '');

export type XlsxCell = string | number | boolean | Date | null | undefined;

/**
 * A text cell as text in every spreadsheet: one beginning like a formula (`=`, `+`, `-`, `@`, or a tab
 * or carriage return before one) gets a leading apostrophe, as Excel itself shows typed text; control
 * characters (other than tab and line breaks) are dropped. Exported values come from clients (names,
 * failed-login usernames): opened by a cadre, `=cmd|' /C calc'!A0` must stay words (OWASP CSV injection).
 */
function asPlainText(value: XlsxCell): XlsxCell {
  if (typeof value !== 'string') return value;
  // eslint-disable-next-line no-control-regex
  const text = value.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '');
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/** One worksheet of a workbook: its name (at most 31 characters in Excel), columns and rows. */
export interface XlsxSheet {
  name: string;
  columns: { header: string; key: string; width?: number }[];
  rows: Record<string, XlsxCell>[];
}

/** The workbook as bytes: each sheet's header row bold, frozen and filterable. */
async function buildXlsx(sheets: XlsxSheet[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'fangfan';
  workbook.created = new Date();
  for (const { name, columns, rows } of sheets) {
    const sheet = workbook.addWorksheet(name.slice(0, 31), { views: [{ state: 'frozen', ySplit: 1 }] });
    sheet.columns = columns.map((c) => ({ header: c.header, key: c.key, width: c.width ?? Math.max(10, c.header.length * 2 + 2) }));
    for (const row of rows) {
      const values: Record<string, XlsxCell> = {};
      for (const c of columns) values[c.key] = asPlainText(row[c.key] ?? null);
      sheet.addRow(values);
    }
    sheet.getRow(1).font = { bold: true };
    if (columns.length) sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } };
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/**
 * `Content-Disposition` with the UTF-8 name (RFC 6266 / 5987) for Chinese file names, and an ASCII
 * `filename` for clients that read only that one (the English name).
 */
function contentDisposition(filename: string, fallback: string): string {
  const ascii = fallback.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}

/**
 * Sends the rows (their values already in `lang`) as an .xlsx download named `<ledger>_<Beijing date>.xlsx`.
 * Return its result from the handler.
 */
export async function sendXlsx(reply: FastifyReply, lang: Lang, ledger: Ledger, rows: Record<string, XlsxCell>[], now = new Date()): Promise<FastifyReply> {
  return sendLedger(reply, lang, ledger, rows, [], now);
}

/** `sendXlsx` with further sheets after the ledger's own (e.g. the register's 家庭成员). */
export async function sendLedger(reply: FastifyReply, lang: Lang, ledger: Ledger, rows: Record<string, XlsxCell>[], more: XlsxSheet[], now = new Date()): Promise<FastifyReply> {
  const name = ledger.name[lang];
  const file = (n: string) => `${n.replace(/\s+/g, '-')}_${shanghaiDate(now)}.xlsx`;
  return sendWorkbook(reply, { name: file(name), fallback: file(ledger.name.en) }, [{ name, columns: ledger.columns.map((c) => ({ ...c, header: c.header[lang] })), rows }, ...more]);
}

/** Sends a workbook of several sheets as an .xlsx download under `file.name` (`file.fallback`: its ASCII-safe name). */
export async function sendWorkbook(reply: FastifyReply, file: { name: string; fallback: string }, sheets: XlsxSheet[]): Promise<FastifyReply> {
  const body = await buildXlsx(sheets);
  return reply.header('Content-Type', XLSX_MIME).header('Content-Disposition', contentDisposition(file.name, file.fallback)).header('Cache-Control', 'no-store').send(body);
}
