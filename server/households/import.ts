/**
 * Import of households from a table (CSV or XLSX, server/import-table.ts): each row is checked on its
 * own and against the register and the rest of the file; rows that pass are created (no id, an ID
 * number not yet registered) or updated (by id, else by ID number) in one transaction, and only the
 * columns present in the file are written. Refused rows change nothing and are reported with reasons.
 */
import { UniqueConstraintViolationException, type EntityManager } from '@mikro-orm/core';
import { Household } from '../../db';
import type { Actor } from '../../contracts/roles';
import { HOUSEHOLD_STATUSES, LOW_INCOME_GROUPS } from '../../contracts/vocabulary';
import { shanghaiDate, type IsoDate } from '../../calendar/dates';
import { conflict, invalidField, invalidFields } from '../errors';
import { MAX_IMPORT_ROWS, type TableRow } from '../import-table';
import { mayEditHousehold, maySeeHousehold } from '../scope';
import {
  REQUIRED_FIELDS,
  checkHouseholdFields,
  lowIncomeGroupFromLabel,
  statusFromLabel,
  type HouseholdFields,
  type PlaceDirectory,
} from '../validation/household';
import { readHeader, type ImportField } from './import-columns';
import { importMembers } from './member-ledger';
import { changedFields, loadPlaces, newHouseholdIds, placeText } from './register';
import type { HouseholdRow } from './view';

type Cell = (r: TableRow, f: ImportField) => string | undefined;

interface ParsedRow {
  r: TableRow;
  id?: string;
  value: Partial<HouseholdFields>;
  reasons: string[];
}

interface PlannedRow {
  existing?: HouseholdRow;
  value: HouseholdFields;
}

/** One row checked on its own: labels to codes, required fields, then the register's field rules. */
function parseRow(r: TableRow, cell: Cell, idNumberColumn: number | undefined, places: PlaceDirectory, today: IsoDate): ParsedRow {
  const reasons: string[] = [];
  const input: Partial<Record<keyof HouseholdFields, unknown>> = {};
  for (const f of ['headName', 'idNumber', 'phone', 'town', 'village'] as const) {
    const v = cell(r, f);
    if (v !== undefined) input[f] = v;
  }
  if (idNumberColumn !== undefined && r.inexact.has(idNumberColumn)) {
    reasons.push('idNumber: Excel stored it as a number and lost digits — format the column as text (设置为文本格式)');
    delete input.idNumber;
  }
  const count = cell(r, 'memberCount');
  if (count !== undefined) input.memberCount = /^\d{1,3}$/.test(count) ? Number(count) : Number.NaN;
  const status = cell(r, 'status');
  if (status) {
    const s = statusFromLabel(status);
    if (s) input.status = s;
    else reasons.push(`status: 未知的农户类型“${status}”（可选：${Object.values(HOUSEHOLD_STATUSES).map((v) => v.zh).join('、')}）`);
  }
  const groups = cell(r, 'lowIncomeGroups');
  if (groups !== undefined) {
    const labels = groups.split(/[,，、;；|/\s]+/).filter(Boolean);
    const keys = labels.map((l) => lowIncomeGroupFromLabel(l));
    const bad = labels.filter((_, i) => !keys[i]);
    if (bad.length) reasons.push(`lowIncomeGroups: 未知的低收入人群类别 ${bad.join('、')}（可选：${Object.values(LOW_INCOME_GROUPS).map((v) => v.zh).join('、')}）`);
    else input.lowIncomeGroups = [...new Set(keys)];
  }
  for (const f of REQUIRED_FIELDS) {
    if (input[f] === undefined || input[f] === '') {
      if (!reasons.some((x) => x.startsWith(`${f}:`))) reasons.push(`${f}: is required`);
      delete input[f];
    }
  }
  const checked = checkHouseholdFields(input, places, today);
  for (const d of checked.details) reasons.push(`${d.field}: ${d.message}`);
  return { r, id: cell(r, 'id') || undefined, value: checked.value, reasons };
}

/** The households already registered under the file's ids and ID numbers (queried 500 at a time). */
async function registered(em: EntityManager, parsed: ParsedRow[]) {
  const chunks = <T>(xs: T[]) => Array.from({ length: Math.ceil(xs.length / 500) }, (_, i) => xs.slice(i * 500, i * 500 + 500));
  const byIdNumber = new Map<string, HouseholdRow>();
  const byId = new Map<string, HouseholdRow>();
  for (const part of chunks([...new Set(parsed.map((p) => p.value.idNumber).filter((x): x is string => !!x))])) {
    for (const hh of await em.find(Household, { idNumber: { $in: part } })) byIdNumber.set(hh.idNumber, hh);
  }
  for (const part of chunks([...new Set(parsed.map((p) => p.id).filter((x): x is string => !!x))])) {
    for (const hh of await em.find(Household, { id: { $in: part } })) byId.set(hh.id, hh);
  }
  return { byIdNumber, byId };
}

/** Each row against the register, the rest of the file and the caller's area: planned, or refused with reasons. */
function plan(actor: Actor, parsed: ParsedRow[], { byIdNumber, byId }: Awaited<ReturnType<typeof registered>>) {
  const refused: { row: number; reasons: string[] }[] = [];
  const planned: PlannedRow[] = [];
  const fileIdNumbers = new Map<string, number>();
  const fileIds = new Map<string, number>();
  for (const p of parsed) {
    const reasons = [...p.reasons];
    const idNumber = p.value.idNumber;
    if (idNumber) {
      const first = fileIdNumbers.get(idNumber);
      if (first !== undefined) reasons.push(`idNumber: repeats row ${first} of this file`);
      else fileIdNumbers.set(idNumber, p.r.row);
    }
    let existing: HouseholdRow | undefined;
    if (p.id) {
      const first = fileIds.get(p.id);
      if (first !== undefined) reasons.push(`id: repeats row ${first} of this file`);
      else fileIds.set(p.id, p.r.row);
      existing = byId.get(p.id);
      // One the importer may not see is answered as one that does not exist (commands/refusal.ts unknown).
      if (!existing || !maySeeHousehold(actor, existing)) reasons.push(`id: no household ${p.id} in the register`);
    } else if (idNumber) {
      existing = byIdNumber.get(idNumber);
    }
    if (existing && idNumber && idNumber !== existing.idNumber) {
      const other = byIdNumber.get(idNumber);
      if (other && other.id !== existing.id) reasons.push(`idNumber: already registered for ${maySeeHousehold(actor, other) ? `household ${other.id}` : 'another household'}`);
    }
    if (!reasons.length) {
      const target = { town: p.value.town!, village: p.value.village! };
      if (existing && !mayEditHousehold(actor, existing)) reasons.push(maySeeHousehold(actor, existing) ? `id: household ${existing.id} is outside your area` : 'idNumber: already registered for another household');
      else if (!mayEditHousehold(actor, target)) reasons.push(`village: ${placeText(target)} is outside your area`);
    }
    if (reasons.length) refused.push({ row: p.r.row, reasons });
    else planned.push({ existing, value: { phone: null, status: 'ordinary', lowIncomeGroups: [], ...p.value } as HouseholdFields });
  }
  return { refused, planned };
}

/** Imports the table's rows for `actor`; a 400 for a bad header or no (or too many) data rows. */
export async function importHouseholds(em: EntityManager, actor: Actor, all: TableRow[], memberRows?: TableRow[]) {
  const header = readHeader(all);
  if (header.problems.length) throw invalidFields(header.problems);
  const data = all.slice(header.row + 1).filter((r) => r.cells.some((c) => c.trim() !== ''));
  if (!data.length) throw invalidField('file', 'empty', 'no data rows below the header');
  if (data.length > MAX_IMPORT_ROWS) throw invalidField('file', 'maxRows', `at most ${MAX_IMPORT_ROWS} rows per import (got ${data.length})`);

  const cell: Cell = (r, f) => {
    const i = header.columns.get(f);
    return i === undefined ? undefined : (r.cells[i] ?? '').trim();
  };
  const today = shanghaiDate(new Date());

  const run = async (tx: EntityManager) => {
    const places = await loadPlaces(tx);
    const parsed = data.map((r) => parseRow(r, cell, header.columns.get('idNumber'), places, today));
    const { refused, planned } = plan(actor, parsed, await registered(tx, parsed));

    const creates = planned.filter((p) => !p.existing);
    const newIds = await newHouseholdIds(tx, creates.length);
    creates.forEach((p, i) => tx.create(Household, { id: newIds[i], ...p.value }));
    const updatedIds: string[] = [];
    let unchanged = 0;
    for (const p of planned) {
      if (!p.existing) continue;
      // Only the columns present in the file are written.
      const value: Partial<HouseholdFields> = Object.fromEntries(
        (Object.keys(p.value) as (keyof HouseholdFields)[]).filter((k) => header.columns.has(k)).map((k) => [k, p.value[k]]),
      );
      if (changedFields(p.existing, value).length) {
        tx.assign(p.existing, value);
        updatedIds.push(p.existing.id);
      } else unchanged++;
    }
    await tx.flush();
    // A workbook's 家庭成员 sheet: the members of the households it names (server/households/member-ledger.ts).
    const members = memberRows ? await importMembers(tx, actor, memberRows, today) : undefined;
    if (members) await tx.flush();
    return { rows: data.length, created: newIds.length, updated: updatedIds.length, unchanged, refused, createdIds: newIds, updatedIds, ignoredColumns: header.ignored, ...(members ? { members } : {}) };
  };

  try {
    return await em.transactional(run);
  } catch (err) {
    if (err instanceof UniqueConstraintViolationException) {
      throw conflict('导入期间台账已被修改，未导入任何行，请重试 (the register changed during the import; nothing was imported — retry)');
    }
    throw err;
  }
}
