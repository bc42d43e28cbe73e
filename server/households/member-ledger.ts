/**
 * 家庭成员 in the register's Excel workbook: the export's second sheet (one row per member, the ID
 * number masked like the head's), and its import — a workbook with a 家庭成员 sheet replaces the members
 * of each household it names (by 户编号, or for a household of the same file by 户主身份证号), household
 * by household: one bad row refuses that household's members, never the others'.
 */
import type { EntityManager } from '@mikro-orm/core';
import { Household, HouseholdMember } from '../../db';
import type { Actor } from '../../contracts/roles';
import { LABOUR_CAPACITIES, MEMBER_RELATIONS } from '../../contracts/members';
import { t, type Lang, type Text } from '../../contracts/i18n';
import { labelIn, type XlsxCell, type XlsxSheet } from '../export';
import type { TableRow } from '../import-table';
import { mayEditHousehold, maySeeHousehold } from '../scope';
import { checkMembers, memberView, replaceMembers, type MemberInput, type MemberRow } from './members';
import type { HouseholdRow } from './view';

type Key = 'householdId' | 'headIdNumber' | 'name' | 'idNumber' | 'relation' | 'student' | 'disabilityGrade' | 'labourCapacity' | 'insured';

const COLUMNS: { key: Key; header: Text; width: number; aliases: string[] }[] = [
  { key: 'householdId', header: t('户编号', 'Household no.'), width: 12, aliases: ['户号', 'householdid'] },
  { key: 'headIdNumber', header: t('户主身份证号', "Head's ID number"), width: 22, aliases: ['headidnumber'] },
  { key: 'name', header: t('姓名', 'Name'), width: 12, aliases: ['成员姓名', 'name'] },
  { key: 'idNumber', header: t('身份证号', 'ID number'), width: 22, aliases: ['身份证号码', '居民身份证号', 'idnumber'] },
  { key: 'relation', header: t('与户主关系', 'Relation'), width: 10, aliases: ['关系', 'relation'] },
  { key: 'student', header: t('在校生', 'Student'), width: 8, aliases: ['是否在校生', 'student'] },
  { key: 'disabilityGrade', header: t('残疾等级', 'Disability grade'), width: 10, aliases: ['disabilitygrade'] },
  { key: 'labourCapacity', header: t('劳动能力', 'Labour capacity'), width: 12, aliases: ['labourcapacity'] },
  { key: 'insured', header: t('参保', 'Insured'), width: 8, aliases: ['是否参保', '参加医保', 'insured'] },
];

/** The sheet's name in either language (the import finds it by either). */
export const MEMBER_SHEET = t('家庭成员', 'Members');

const GRADE_ZH = ['', '一级', '二级', '三级', '四级'];
const yes = (lang: Lang, v: boolean) => (lang === 'zh' ? (v ? '是' : '否') : v ? 'yes' : 'no');

/** The members of the exported households as the workbook's second sheet. */
export function memberSheet(actor: Actor, households: HouseholdRow[], members: MemberRow[], involved: Set<string>, lang: Lang): XlsxSheet {
  const byId = new Map(households.map((h) => [h.id, h]));
  const rows: Record<string, XlsxCell>[] = [];
  for (const m of members) {
    const h = byId.get(m.householdId);
    if (!h) continue;
    const v = memberView(actor, h, m, involved.has(h.id));
    rows.push({
      householdId: h.id,
      headIdNumber: memberView(actor, h, { ...m, idNumber: h.idNumber }, involved.has(h.id)).idNumber,
      name: v.name,
      idNumber: v.idNumber,
      relation: labelIn(MEMBER_RELATIONS, v.relation, lang),
      student: yes(lang, v.student),
      disabilityGrade: v.disabilityGrade ? (lang === 'zh' ? GRADE_ZH[v.disabilityGrade] : String(v.disabilityGrade)) : '',
      labourCapacity: labelIn(LABOUR_CAPACITIES, v.labourCapacity, lang),
      insured: yes(lang, v.insured),
    });
  }
  return { name: MEMBER_SHEET[lang], columns: COLUMNS.map((c) => ({ key: c.key, header: c.header[lang], width: c.width })), rows };
}

/** The members of these households, household by household. */
export async function membersOf(em: EntityManager, ids: string[]): Promise<MemberRow[]> {
  const out: MemberRow[] = [];
  for (let i = 0; i < ids.length; i += 500) out.push(...(await em.find(HouseholdMember, { householdId: { $in: ids.slice(i, i + 500) } }, { orderBy: { householdId: 'ASC', id: 'ASC' } })));
  return out;
}

// ---------------------------------------------------------------- import

const norm = (s: string) => s.replace(/^\uFEFF/, '').replace(/[\s*＊:：]/g, '').toLowerCase();
const HEADER = new Map<string, Key>(COLUMNS.flatMap((c) => [c.header.zh, c.header.en, ...c.aliases].map((n) => [norm(n), c.key] as const)));

/** A vocabulary value from its key or either label. */
function byLabel(vocab: Record<string, Text>, text: string): string | undefined {
  const x = text.trim().toLowerCase();
  return Object.entries(vocab).find(([k, v]) => k === x || v.zh === text.trim() || v.en.toLowerCase() === x)?.[0] ?? (x === '本人' ? 'head' : undefined);
}
const boolOf = (text: string) => (/^(是|有|yes|y|true|1|√)$/i.test(text) ? true : /^(否|无|no|n|false|0|)$/i.test(text) ? false : text);
const gradeOf = (text: string) => {
  if (!text || text === '无') return null;
  const i = GRADE_ZH.indexOf(text.replace('残疾', ''));
  return i > 0 ? i : /^\d$/.test(text) ? Number(text) : text;
};

export interface MemberImportReport {
  households: number;
  refused: { row: number; reasons: string[] }[];
}

/** The workbook's member sheet, if it has one. */
export const findMemberSheet = (sheets: Map<string, TableRow[]> | undefined) => sheets?.get(MEMBER_SHEET.zh) ?? sheets?.get(MEMBER_SHEET.en);

/** Replaces the members of every household the sheet names; `created`: the households this import registered, by their head's ID number. */
export async function importMembers(tx: EntityManager, actor: Actor, rows: TableRow[], today: string): Promise<MemberImportReport> {
  const columns = new Map<Key, number>();
  (rows[0]?.cells ?? []).forEach((c, i) => {
    const k = HEADER.get(norm(c));
    if (k && !columns.has(k)) columns.set(k, i);
  });
  const cell = (r: TableRow, k: Key) => (columns.has(k) ? (r.cells[columns.get(k)!] ?? '').trim() : '');
  const report: MemberImportReport = { households: 0, refused: [] };
  const data = rows.slice(1).filter((r) => r.cells.some((c) => c.trim() !== ''));
  if (!columns.has('householdId') && !columns.has('headIdNumber')) {
    if (data.length) report.refused.push({ row: rows[0].row, reasons: ['householdId: 家庭成员表须有“户编号”或“户主身份证号”列 (the members sheet names each household)'] });
    return report;
  }
  // Rows by household.
  const groups = new Map<string, { household?: HouseholdRow; rows: TableRow[] }>();
  for (const r of data) {
    const id = cell(r, 'householdId');
    const head = cell(r, 'headIdNumber').toUpperCase();
    const h = id ? await tx.findOne(Household, { id }) : head ? await tx.findOne(Household, { idNumber: head }) : null;
    const key = h?.id ?? `?${id || head}`;
    if (!groups.has(key)) groups.set(key, { household: h && maySeeHousehold(actor, h) ? h : undefined, rows: [] });
    groups.get(key)!.rows.push(r);
  }
  for (const { household: h, rows: group } of groups.values()) {
    const refuse = (reasons: string[]) => report.refused.push(...group.map((r) => ({ row: r.row, reasons })));
    if (!h) {
      refuse([`householdId: no household ${cell(group[0], 'householdId') || cell(group[0], 'headIdNumber')} in the register`]);
      continue;
    }
    if (!mayEditHousehold(actor, h)) {
      refuse([`householdId: household ${h.id} is outside your area`]);
      continue;
    }
    const input = group.map((r) => ({
      name: cell(r, 'name'),
      idNumber: r.inexact.has(columns.get('idNumber') ?? -1) ? 'inexact' : cell(r, 'idNumber'),
      relation: byLabel(MEMBER_RELATIONS, cell(r, 'relation')) ?? cell(r, 'relation'),
      student: boolOf(cell(r, 'student')),
      disabilityGrade: gradeOf(cell(r, 'disabilityGrade')),
      labourCapacity: cell(r, 'labourCapacity') ? (byLabel(LABOUR_CAPACITIES, cell(r, 'labourCapacity')) ?? cell(r, 'labourCapacity')) : 'full',
      insured: columns.has('insured') ? boolOf(cell(r, 'insured')) : true,
    })) as Partial<Record<keyof MemberInput, unknown>>[];
    const { value, details } = checkMembers(input, h, today, (i) => `row ${group[i].row}`);
    if (details.length) {
      refuse(details.map((d) => `${d.field}: ${d.message}`));
      continue;
    }
    try {
      await replaceMembers(tx, h, value);
      report.households++;
    } catch (err) {
      refuse([`idNumber: ${(err as Error).message}`]);
    }
  }
  return report;
}
