/**
 * The household register (农户台账): list, detail with its cases, create, update, Excel export and
 * CSV/XLSX import. Scope: a village cadre works on their village, a town officer on their town, the
 * supervisor and admins on the district; department officers read everything and write nothing.
 * ID numbers and phones are masked for whoever does not need them (server/privacy.ts). Monitoring
 * fields belong to the workflows and are read-only here.
 */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type {} from '@fastify/multipart';
import Type from 'typebox';
import { randomInt } from 'node:crypto';
import { UniqueConstraintViolationException, type EntityManager, type InferEntity } from '@mikro-orm/core';
import { Household, Process, Village } from '../../db';
import { coversPlace, type Actor, type Place } from '../../contracts/roles';
import { maySeeCase } from '../../contracts/authz';
import {
  HOUSEHOLD_STATUSES,
  LOW_INCOME_GROUPS,
  MONITORING_CATEGORIES,
  MONITORING_STATUSES,
  RISK_TYPES,
  type Vocabulary,
} from '../../contracts/vocabulary';
import { shanghaiDate } from '../../calendar';
import { toShanghaiIso } from '../../calendar/dates';
import { requireActor } from '../auth';
import { audit } from '../audit';
import { HttpError, asHttpError, badRequest, conflict, forbidden, invalidField, notFound, type ErrorDetail } from '../errors';
import { ListQuery, containsCondition, ids, oneOf, parseListQuery, sendList, str, type ListSpec, type Where } from '../lists';
import { involvedHouseholds, personalFields } from '../privacy';
import { HousingHistorySchema, housingHistory } from '../housing-history';
import { XLSX_MIME, sendXlsx, type XlsxColumn } from '../export';
import { readTable, MAX_IMPORT_ROWS, type TableRow } from '../import-table';
import {
  HEAD_NAME_MAX,
  MEMBER_COUNT,
  REQUIRED_FIELDS,
  checkHouseholdFields,
  lowIncomeGroupFromLabel,
  placeDirectory,
  statusFromLabel,
  type HouseholdFields,
  type PlaceDirectory,
} from '../validation/household';

type HouseholdRow = InferEntity<typeof Household>;

// ---------------------------------------------------------------- scope

const isDistrictWide = (a: Pick<Actor, 'roles'>) => a.roles.includes('admin') || a.roles.includes('district_supervisor');

/** The places an actor's area covers, as a condition (null: none). Same rule as `coversPlace`. */
function areaWhere(actor: Actor): Where | null {
  if (isDistrictWide(actor)) return {};
  const parts: Where[] = [];
  if (actor.roles.includes('town_officer') && actor.town) parts.push({ town: actor.town });
  if (actor.roles.includes('village_cadre') && actor.town && actor.village) parts.push({ town: actor.town, village: actor.village });
  if (!parts.length) return null;
  return parts.length === 1 ? parts[0] : { $or: parts };
}

/** Households an actor may read: their area, or all for department officers. Null: none (403). */
function readWhere(actor: Actor): Where | null {
  if (actor.roles.includes('department_officer')) return {};
  return areaWhere(actor);
}

const mayRead = (actor: Actor, place: Place) => coversPlace(actor, place) || actor.roles.includes('department_officer');
const mayWriteSomewhere = (actor: Actor) => actor.kind === 'user' && areaWhere(actor) !== null;
const mayWrite = (actor: Actor, place: Place) => actor.kind === 'user' && coversPlace(actor, place);

const placeText = (p: Place) => `${p.town}${p.village}`;
const outOfArea = (p: Place) => forbidden(`无权操作${placeText(p)}的农户 (the household is outside your area)`);

// ---------------------------------------------------------------- schemas

const nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const vocabEnum = (v: Vocabulary<string>, description: string) => Type.Enum(Object.keys(v), { description });

const StatusSchema = vocabEnum(HOUSEHOLD_STATUSES, Object.entries(HOUSEHOLD_STATUSES).map(([k, v]) => `${k}: ${v.zh}`).join('; '));
const GroupsSchema = Type.Array(vocabEnum(LOW_INCOME_GROUPS, Object.entries(LOW_INCOME_GROUPS).map(([k, v]) => `${k}: ${v.zh}`).join('; ')), {
  uniqueItems: true,
  maxItems: Object.keys(LOW_INCOME_GROUPS).length,
});

/** What a client writes. Shapes here; the semantic rules (check digit, places…) in validation/household.ts. */
const writable = {
  headName: Type.String({ minLength: 1, maxLength: HEAD_NAME_MAX, description: '户主姓名' }),
  idNumber: Type.String({ minLength: 1, maxLength: 32, description: '户主居民身份证号 (18 characters, GB 11643 check digit)' }),
  phone: nullable(Type.String({ maxLength: 20, description: '联系电话: mobile 1[3-9]xxxxxxxxx or landline 0xx-xxxxxxxx' })),
  town: Type.String({ minLength: 1, maxLength: 50, description: '镇' }),
  village: Type.String({ minLength: 1, maxLength: 50, description: '村 (of that town)' }),
  memberCount: Type.Integer({ minimum: MEMBER_COUNT.min, maximum: MEMBER_COUNT.max, description: '家庭人口' }),
  status: StatusSchema,
  lowIncomeGroups: GroupsSchema,
};

const CreateBody = Type.Object(
  {
    headName: writable.headName,
    idNumber: writable.idNumber,
    phone: Type.Optional(writable.phone),
    town: writable.town,
    village: writable.village,
    memberCount: writable.memberCount,
    status: Type.Optional(writable.status),
    lowIncomeGroups: Type.Optional(writable.lowIncomeGroups),
  },
  { additionalProperties: false, description: 'A new household. Monitoring fields are set by the workflows, never here.' },
);

const UpdateBody = Type.Object(
  {
    headName: Type.Optional(writable.headName),
    idNumber: Type.Optional(writable.idNumber),
    phone: Type.Optional(writable.phone),
    town: Type.Optional(writable.town),
    village: Type.Optional(writable.village),
    memberCount: Type.Optional(writable.memberCount),
    status: Type.Optional(writable.status),
    lowIncomeGroups: Type.Optional(writable.lowIncomeGroups),
  },
  { additionalProperties: false, minProperties: 1, description: 'The fields to change. Monitoring fields are read-only.' },
);

const viewProps = {
  id: Type.String(),
  headName: Type.String(),
  idNumber: Type.String({ description: 'masked (500112********1234) unless the caller may see it' }),
  idNumberMasked: Type.Boolean({ description: 'true when idNumber and phone are masked for this caller' }),
  phone: nullable(Type.String()),
  town: Type.String(),
  village: Type.String(),
  memberCount: Type.Integer(),
  status: Type.String(),
  lowIncomeGroups: Type.Array(Type.String()),
  monitoringStatus: Type.String(),
  monitoringCategory: nullable(Type.String()),
  riskTypes: Type.Array(Type.String()),
  monitoredSince: nullable(Type.String()),
  monitoringProcessId: nullable(Type.String()),
  createdAt: Type.String(),
  updatedAt: Type.String(),
};
const HouseholdView = Type.Object(viewProps);

const CaseRow = Type.Object({
  id: Type.String(),
  type: Type.String(),
  status: Type.String(),
  stage: Type.String(),
  startedAt: Type.String(),
  closedAt: nullable(Type.String()),
  dueDate: nullable(Type.String()),
});
const HouseholdDetail = Type.Object({ ...viewProps, cases: Type.Array(CaseRow), housingHistory: HousingHistorySchema });

const ImportReport = Type.Object({
  format: Type.String(),
  rows: Type.Integer({ description: 'data rows read (blank rows skipped)' }),
  created: Type.Integer(),
  updated: Type.Integer(),
  unchanged: Type.Integer(),
  refused: Type.Array(Type.Object({ row: Type.Integer({ description: 'row number as the spreadsheet shows it' }), reasons: Type.Array(Type.String()) })),
  createdIds: Type.Array(Type.String()),
  updatedIds: Type.Array(Type.String()),
  ignoredColumns: Type.Array(Type.String({ description: 'read-only columns (as in the export) that the import does not write' })),
});

const IdParams = Type.Object({ id: Type.String({ maxLength: 40 }) });

// ---------------------------------------------------------------- views

const iso = (d: Date | null | undefined) => (d ? toShanghaiIso(d) : null);

/** `involved`: a case of the household concerns the caller's department (server/privacy.ts). */
function view(actor: Actor, h: HouseholdRow, involved = false) {
  const p = personalFields(actor, h, involved);
  return {
    id: h.id,
    headName: h.headName,
    idNumber: p.idNumber,
    idNumberMasked: p.idNumberMasked,
    phone: p.phone,
    town: h.town,
    village: h.village,
    memberCount: h.memberCount,
    status: h.status,
    lowIncomeGroups: [...(h.lowIncomeGroups ?? [])],
    monitoringStatus: h.monitoringStatus,
    monitoringCategory: h.monitoringCategory ?? null,
    riskTypes: p.riskTypes ?? [],
    monitoredSince: h.monitoredSince ?? null,
    monitoringProcessId: h.monitoringProcessId ?? null,
    createdAt: toShanghaiIso(h.createdAt),
    updatedAt: toShanghaiIso(h.updatedAt),
  };
}

async function detail(em: EntityManager, actor: Actor, h: HouseholdRow) {
  const cases = await em.find(Process, { householdId: h.id }, { orderBy: { startedAt: 'DESC' } });
  const dept = actor.roles.includes('department_officer') ? actor.department : undefined;
  return {
    ...view(actor, h, !!dept && cases.some((c) => (c.departments ?? []).includes(dept))),
    // The same rule as the process API: a department officer sees the cases their department works on.
    cases: cases.filter((c) => maySeeCase(actor, c, c.departments ?? [])).map((c) => ({
      id: c.id,
      type: c.type,
      status: c.status,
      stage: c.stage,
      startedAt: toShanghaiIso(c.startedAt),
      closedAt: iso(c.closedAt),
      dueDate: c.dueDate ?? null,
    })),
    // 住房档案 (P4): appraisals and renovations; it decides re-eligibility for rebuilding.
    housingHistory: await housingHistory(em, h),
  };
}

// ---------------------------------------------------------------- list spec

/**
 * Free-text search over name, household id and ID number. The ID number is matched in part only
 * where the caller may see it; elsewhere only a whole ID number matches (no guessing digit by digit).
 */
function searchWhere(actor: Actor, term: string): Where {
  const t = term.trim();
  const visible = areaWhere(actor);
  const or: Where[] = [containsCondition('head_name', t), containsCondition('id', t), { idNumber: t.toUpperCase() }];
  if (visible) or.push({ $and: [visible, containsCondition('id_number', t.toUpperCase())] });
  return { $or: or };
}

function listSpec(actor: Actor): ListSpec {
  return {
    resource: 'households',
    filters: {
      town: (v) => ({ town: str('town')(v) }),
      village: (v) => ({ village: str('village')(v) }),
      status: (v) => ({ status: oneOf('status', Object.keys(HOUSEHOLD_STATUSES))(v) }),
      monitoringStatus: (v) => ({ monitoringStatus: oneOf('monitoringStatus', Object.keys(MONITORING_STATUSES))(v) }),
      q: (v) => searchWhere(actor, str('q')(v)),
      id: (v) => ({ id: { $in: ids('id')(v) } }),
    },
    sorts: {
      id: 'id',
      headName: 'headName',
      town: 'town',
      village: 'village',
      memberCount: 'memberCount',
      status: 'status',
      monitoringStatus: 'monitoringStatus',
      monitoredSince: 'monitoredSince',
      createdAt: 'createdAt',
      updatedAt: 'updatedAt',
    },
    defaultSort: ['id', 'ASC'],
  };
}

// ---------------------------------------------------------------- export columns

const zh = (v: Vocabulary<string>, k: string | null | undefined) => (k ? (v[k]?.zh ?? k) : '');
const zhList = (v: Vocabulary<string>, ks: string[] | null | undefined) => (ks ?? []).map((k) => zh(v, k)).join('、');
const local = (d: Date) => toShanghaiIso(d).slice(0, 16).replace('T', ' ');

/** The ledger's columns; the first nine are also the import's column names. */
export const LEDGER_COLUMNS: XlsxColumn[] = [
  { header: '户编号', key: 'id', width: 12 },
  { header: '户主姓名', key: 'headName', width: 12 },
  { header: '身份证号', key: 'idNumber', width: 22 },
  { header: '联系电话', key: 'phone', width: 15 },
  { header: '镇', key: 'town', width: 10 },
  { header: '村', key: 'village', width: 10 },
  { header: '家庭人口', key: 'memberCount', width: 10 },
  { header: '户类型', key: 'status', width: 10 },
  { header: '低收入群体', key: 'lowIncomeGroups', width: 20 },
  { header: '监测状态', key: 'monitoringStatus', width: 12 },
  { header: '监测类型', key: 'monitoringCategory', width: 16 },
  { header: '风险类型', key: 'riskTypes', width: 20 },
  { header: '纳入监测日期', key: 'monitoredSince', width: 14 },
  { header: '登记时间', key: 'createdAt', width: 18 },
  { header: '更新时间', key: 'updatedAt', width: 18 },
];

// ---------------------------------------------------------------- import columns

type ImportField = 'id' | keyof HouseholdFields;

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
  ...LEDGER_COLUMNS.slice(9).flatMap((c) => [c.header, c.key]),
  'idnumbermasked',
  '序号',
  'no',
  'no.',
  '#',
].map(norm);

const ALIAS_TO_FIELD = new Map<string, ImportField>(
  (Object.entries(COLUMN_ALIASES) as [ImportField, string[]][]).flatMap(([field, names]) => names.map((n) => [norm(n), field] as const)),
);

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

// ---------------------------------------------------------------- helpers

async function loadPlaces(em: EntityManager): Promise<PlaceDirectory> {
  return placeDirectory(await em.find(Village, {}, { fields: ['town', 'name'] }));
}

async function newHouseholdIds(em: EntityManager, n: number): Promise<string[]> {
  const out = new Set<string>();
  while (out.size < n) {
    const batch = new Set<string>();
    while (batch.size < n - out.size) {
      const id = `H${String(randomInt(0, 100_000_000)).padStart(8, '0')}`;
      if (!out.has(id)) batch.add(id);
    }
    const taken = new Set((await em.find(Household, { id: { $in: [...batch] } }, { fields: ['id'] })).map((h) => h.id));
    for (const id of batch) if (!taken.has(id)) out.add(id);
  }
  return [...out];
}

const fail400 = (details: ErrorDetail[]) => badRequest(details.map((d) => `${d.field}: ${d.message}`).join('; '), details);

function duplicate(actor: Actor, other: HouseholdRow) {
  const extra = mayRead(actor, other) ? { id: other.id } : {};
  return conflict(`该身份证号已登记 (idNumber is already registered${'id' in extra ? ` for household ${other.id}` : ''})`, extra);
}

const changedFields = (h: HouseholdRow, v: Partial<HouseholdFields>) =>
  (Object.keys(v) as (keyof HouseholdFields)[]).filter((k) => JSON.stringify(h[k] ?? null) !== JSON.stringify(v[k] ?? null));

// ---------------------------------------------------------------- routes

export async function householdRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const db = () => app.services.db;

  r.get(
    '/households',
    {
      schema: {
        tags: ['households'],
        summary: 'The household register (filters: town, village, status, monitoringStatus, q, id)',
        querystring: ListQuery,
        response: { 200: Type.Array(HouseholdView) },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const scope = readWhere(actor);
      if (!scope) throw forbidden('无权查看农户台账 (your role may not read the household register)');
      const q = parseListQuery(request.query, listSpec(actor));
      const [rows, total] = await db().em().findAndCount(Household, { $and: [scope, q.where] }, { orderBy: q.orderBy, offset: q.offset, limit: q.limit });
      const involved = await involvedHouseholds(db().em(), actor, rows.map((h) => h.id));
      return sendList(reply, 'households', rows.map((h) => view(actor, h, involved.has(h.id))), total, q.offset);
    },
  );

  r.get(
    '/households/export.xlsx',
    {
      schema: {
        tags: ['households'],
        summary: 'The filtered register as an Excel ledger (工作台账); same filters as the list',
        querystring: ListQuery,
        response: { 200: { description: 'Excel workbook (.xlsx)', content: { [XLSX_MIME]: { schema: { type: 'string', format: 'binary' } } } } },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const scope = readWhere(actor);
      if (!scope) throw forbidden('无权导出农户台账 (your role may not read the household register)');
      const q = parseListQuery(request.query, listSpec(actor), { unpaged: true });
      const rows = await db().em().find(Household, { $and: [scope, q.where] }, { orderBy: q.orderBy, limit: q.limit });
      await audit(db(), { actor, action: 'export', target: 'households', ip: request.ip, outcome: 'ok', detail: { filter: q.filter, rows: rows.length } });
      const today = shanghaiDate(new Date());
      // Personal data as in the list: masked for whoever may not see it (server/privacy.ts).
      const involved = await involvedHouseholds(db().em(), actor);
      return sendXlsx(
        reply,
        `农户台账-${today}.xlsx`,
        LEDGER_COLUMNS,
        rows.map((h) => {
          const v = view(actor, h, involved.has(h.id));
          return {
            ...v,
            phone: v.phone ?? '',
            status: zh(HOUSEHOLD_STATUSES, h.status),
            lowIncomeGroups: zhList(LOW_INCOME_GROUPS, h.lowIncomeGroups),
            monitoringStatus: zh(MONITORING_STATUSES, h.monitoringStatus),
            monitoringCategory: zh(MONITORING_CATEGORIES, h.monitoringCategory),
            riskTypes: zhList(RISK_TYPES, v.riskTypes),
            monitoredSince: h.monitoredSince ?? '',
            createdAt: local(h.createdAt),
            updatedAt: local(h.updatedAt),
          };
        }),
        { sheetName: '农户台账' },
      );
    },
  );

  r.get(
    '/households/:id',
    {
      schema: {
        tags: ['households'],
        summary: 'One household with its cases',
        params: IdParams,
        response: { 200: HouseholdDetail },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      const em = db().em();
      const h = await em.findOne(Household, { id: request.params.id });
      if (!h) throw notFound(`没有该农户 (no household ${request.params.id})`);
      if (!mayRead(actor, h)) throw outOfArea(h);
      return detail(em, actor, h);
    },
  );

  r.post(
    '/households',
    {
      schema: {
        tags: ['households'],
        summary: 'Register a household',
        body: CreateBody,
        response: { 201: HouseholdDetail },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      if (!mayWriteSomewhere(actor)) throw forbidden('无权登记农户 (your role may not edit the register)');
      const em = db().em();
      const body = request.body;
      const { value, details } = checkHouseholdFields(body, await loadPlaces(em), shanghaiDate(new Date()));
      if (details.length) throw fail400(details);
      const place = { town: value.town!, village: value.village! };
      if (!mayWrite(actor, place)) {
        await audit(db(), { actor, action: 'household_create', ip: request.ip, outcome: 'refused', detail: { reason: 'out_of_area', ...place } });
        throw outOfArea(place);
      }
      const other = await em.findOne(Household, { idNumber: value.idNumber! });
      if (other) throw duplicate(actor, other);
      const [id] = await newHouseholdIds(em, 1);
      const h = em.create(Household, {
        id,
        headName: value.headName!,
        idNumber: value.idNumber!,
        phone: value.phone ?? null,
        town: place.town,
        village: place.village,
        memberCount: value.memberCount!,
        status: value.status ?? 'ordinary',
        lowIncomeGroups: value.lowIncomeGroups ?? [],
      });
      try {
        await em.flush();
      } catch (err) {
        if (err instanceof UniqueConstraintViolationException) throw conflict('该身份证号已登记 (idNumber is already registered)');
        throw err;
      }
      await audit(db(), { actor, action: 'household_create', target: h.id, ip: request.ip, outcome: 'ok', detail: { town: h.town, village: h.village } });
      return reply.status(201).send(await detail(em, actor, h));
    },
  );

  r.put(
    '/households/:id',
    {
      schema: {
        tags: ['households'],
        summary: 'Change a household (the fields given)',
        params: IdParams,
        body: UpdateBody,
        response: { 200: HouseholdDetail },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      const em = db().em();
      const h = await em.findOne(Household, { id: request.params.id });
      if (!h) throw notFound(`没有该农户 (no household ${request.params.id})`);
      if (!mayWrite(actor, h)) {
        await audit(db(), { actor, action: 'household_update', target: h.id, ip: request.ip, outcome: 'refused', detail: { reason: 'out_of_area' } });
        throw mayRead(actor, h) ? forbidden('无权修改农户信息 (you may read but not edit this household)') : outOfArea(h);
      }
      const body: Partial<Record<keyof HouseholdFields, unknown>> = { ...request.body };
      // A village is checked against its town: a change of either checks both.
      if (body.town !== undefined || body.village !== undefined) {
        body.town ??= h.town;
        body.village ??= h.village;
      }
      const { value, details } = checkHouseholdFields(body, await loadPlaces(em), shanghaiDate(new Date()));
      if (details.length) throw fail400(details);
      if (value.town !== undefined && !mayWrite(actor, { town: value.town, village: value.village! })) {
        throw outOfArea({ town: value.town, village: value.village! });
      }
      if (value.idNumber !== undefined && value.idNumber !== h.idNumber) {
        const other = await em.findOne(Household, { idNumber: value.idNumber });
        if (other) throw duplicate(actor, other);
      }
      const fields = changedFields(h, value);
      if (fields.length) {
        em.assign(h, value);
        try {
          await em.flush();
        } catch (err) {
          if (err instanceof UniqueConstraintViolationException) throw conflict('该身份证号已登记 (idNumber is already registered)');
          throw err;
        }
        await audit(db(), { actor, action: 'household_update', target: h.id, ip: request.ip, outcome: 'ok', detail: { fields } });
      }
      return detail(em, actor, h);
    },
  );

  r.post(
    '/households/import',
    {
      schema: {
        tags: ['households'],
        summary: 'Import households from a CSV (UTF-8) or XLSX file (multipart field "file"); refused rows change nothing',
        consumes: ['multipart/form-data'],
        response: { 200: ImportReport },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      if (!mayWriteSomewhere(actor)) throw forbidden('无权导入农户 (your role may not edit the register)');
      if (!request.isMultipart()) throw new HttpError(415, 'unsupported_media_type', 'upload the file as multipart/form-data in the field "file"');
      const file = await request.file();
      if (!file) throw invalidField('file', 'required', 'no file uploaded (multipart field "file")');
      const buf = await file.toBuffer();
      const table = await readTable(buf, file.filename);
      try {
        const report = await importRows(app, actor, table.rows);
        await audit(db(), {
          actor,
          action: 'import',
          target: 'households',
          ip: request.ip,
          outcome: 'ok',
          detail: {
            filename: file.filename,
            format: table.format,
            rows: report.rows,
            created: report.createdIds,
            updated: report.updatedIds,
            unchanged: report.unchanged,
            refused: report.refused.map((x) => x.row),
          },
        });
        return { format: table.format, ...report };
      } catch (err) {
        const refusal = asHttpError(err);
        if (refusal) {
          await audit(db(), { actor, action: 'import', target: 'households', ip: request.ip, outcome: 'refused', detail: { filename: file.filename, error: refusal.message } });
        }
        throw err;
      }
    },
  );
}

// ---------------------------------------------------------------- import

interface PlannedRow {
  row: number;
  existing?: HouseholdRow;
  value: HouseholdFields;
}

function headerIndex(rows: TableRow[]): number {
  // The header is the first of the top rows naming at least two known columns (a title row may precede it).
  for (let i = 0; i < Math.min(rows.length, 5); i++) {
    const known = rows[i].cells.filter((c) => {
      const f = columnField(c);
      return f !== undefined && f !== 'readOnly';
    });
    if (known.length >= 2) return i;
  }
  return 0;
}

async function importRows(app: FastifyInstance, actor: Actor, all: TableRow[]) {
  const h = headerIndex(all);
  const header = all[h]?.cells ?? [];
  const columns = header.map((c) => columnField(c));
  const unknown = header.filter((c, i) => c.trim() !== '' && columns[i] === undefined);
  const details: ErrorDetail[] = unknown.map((c) => ({ field: `column ${c}`, rule: 'unknown', message: 'is not a known column' }));
  const seen = new Map<ImportField, number>();
  columns.forEach((f, i) => {
    if (f && f !== 'readOnly') {
      if (seen.has(f)) details.push({ field: `column ${header[i]}`, rule: 'duplicate', message: `repeats the column for ${f}` });
      seen.set(f, i);
    }
  });
  for (const f of REQUIRED_FIELDS) {
    if (!seen.has(f)) details.push({ field: `column ${COLUMN_ALIASES[f][0]}`, rule: 'required', message: `is missing (${f})` });
  }
  if (details.length) throw fail400(details);
  const data = all.slice(h + 1).filter((r) => r.cells.some((c) => c.trim() !== ''));
  if (!data.length) throw invalidField('file', 'empty', 'no data rows below the header');
  if (data.length > MAX_IMPORT_ROWS) throw invalidField('file', 'maxRows', `at most ${MAX_IMPORT_ROWS} rows per import (got ${data.length})`);
  const ignoredColumns = header.filter((_, i) => columns[i] === 'readOnly');

  const cell = (r: TableRow, f: ImportField) => {
    const i = seen.get(f);
    return i === undefined ? undefined : (r.cells[i] ?? '').trim();
  };
  const today = shanghaiDate(new Date());
  const db = app.services.db;

  const run = async (em: EntityManager) => {
    const places = await loadPlaces(em);
    // Parse and check every row on its own first.
    const parsed = data.map((r) => {
      const reasons: string[] = [];
      const input: Partial<Record<keyof HouseholdFields, unknown>> = {};
      for (const f of ['headName', 'idNumber', 'phone', 'town', 'village'] as const) {
        const v = cell(r, f);
        if (v !== undefined) input[f] = v;
      }
      const idCol = seen.get('idNumber');
      if (idCol !== undefined && r.inexact.has(idCol)) {
        reasons.push('idNumber: Excel stored it as a number and lost digits — format the column as text (设置为文本格式)');
        delete input.idNumber;
      }
      const count = cell(r, 'memberCount');
      if (count !== undefined) input.memberCount = /^\d{1,3}$/.test(count) ? Number(count) : Number.NaN;
      const status = cell(r, 'status');
      if (status) {
        const s = statusFromLabel(status);
        if (s) input.status = s;
        else reasons.push(`status: unknown household type "${status}" (allowed: ${Object.values(HOUSEHOLD_STATUSES).map((v) => v.zh).join(', ')})`);
      }
      const groups = cell(r, 'lowIncomeGroups');
      if (groups !== undefined) {
        const labels = groups.split(/[,，、;；|/\s]+/).filter(Boolean);
        const keys = labels.map((l) => lowIncomeGroupFromLabel(l));
        const bad = labels.filter((_, i) => !keys[i]);
        if (bad.length) reasons.push(`lowIncomeGroups: unknown group ${bad.join(', ')} (allowed: ${Object.values(LOW_INCOME_GROUPS).map((v) => v.zh).join(', ')})`);
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
    });

    // What the register holds already, for the ID numbers and ids in the file.
    const byIdNumber = new Map<string, HouseholdRow>();
    const byId = new Map<string, HouseholdRow>();
    const chunks = <T>(xs: T[]) => Array.from({ length: Math.ceil(xs.length / 500) }, (_, i) => xs.slice(i * 500, i * 500 + 500));
    for (const part of chunks([...new Set(parsed.map((p) => p.value.idNumber).filter((x): x is string => !!x))])) {
      for (const hh of await em.find(Household, { idNumber: { $in: part } })) byIdNumber.set(hh.idNumber, hh);
    }
    for (const part of chunks([...new Set(parsed.map((p) => p.id).filter((x): x is string => !!x))])) {
      for (const hh of await em.find(Household, { id: { $in: part } })) byId.set(hh.id, hh);
    }

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
        if (!existing) reasons.push(`id: no household ${p.id} in the register`);
      } else if (idNumber) {
        existing = byIdNumber.get(idNumber);
      }
      if (existing && idNumber && idNumber !== existing.idNumber) {
        const other = byIdNumber.get(idNumber);
        if (other && other.id !== existing.id) reasons.push(`idNumber: already registered for ${mayRead(actor, other) ? `household ${other.id}` : 'another household'}`);
      }
      if (!reasons.length) {
        const target = { town: p.value.town!, village: p.value.village! };
        if (existing && !mayWrite(actor, existing)) reasons.push(`id: household ${existing.id} is outside your area (${placeText(existing)})`);
        else if (!mayWrite(actor, target)) reasons.push(`village: ${placeText(target)} is outside your area`);
      }
      if (reasons.length) refused.push({ row: p.r.row, reasons });
      else planned.push({ row: p.r.row, existing, value: { phone: null, status: 'ordinary', lowIncomeGroups: [], ...p.value } as HouseholdFields });
    }

    // Apply the rows that passed.
    const creates = planned.filter((p) => !p.existing);
    const newIds = await newHouseholdIds(em, creates.length);
    const createdIds: string[] = [];
    const updatedIds: string[] = [];
    let unchanged = 0;
    creates.forEach((p, i) => {
      em.create(Household, { id: newIds[i], ...p.value });
      createdIds.push(newIds[i]);
    });
    for (const p of planned) {
      if (!p.existing) continue;
      // Only the columns present in the file are written.
      const value: Partial<HouseholdFields> = Object.fromEntries(
        (Object.keys(p.value) as (keyof HouseholdFields)[]).filter((k) => seen.has(k)).map((k) => [k, p.value[k]]),
      );
      if (changedFields(p.existing, value).length) {
        em.assign(p.existing, value);
        updatedIds.push(p.existing.id);
      } else unchanged++;
    }
    await em.flush();
    return { rows: data.length, created: createdIds.length, updated: updatedIds.length, unchanged, refused, createdIds, updatedIds, ignoredColumns };
  };

  try {
    return await db.em().transactional(run);
  } catch (err) {
    if (err instanceof UniqueConstraintViolationException) {
      throw conflict('导入期间台账已被修改，未导入任何行，请重试 (the register changed during the import; nothing was imported — retry)');
    }
    throw err;
  }
}
