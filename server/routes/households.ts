/**
 * The household register (农户台账): list, detail with its cases, create, update, Excel export and
 * CSV/XLSX import. Scope (server/scope.ts): a village cadre works on their village, a town officer on
 * their town, the supervisor and admins on the district; department officers read everything and
 * write nothing. ID numbers and phones are masked for whoever does not need them (server/privacy.ts).
 * Monitoring fields belong to the workflows and are read-only here.
 */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { uploadedFile } from '../uploads';
import Type from 'typebox';
import { Household } from '../../db';
import { shanghaiDate } from '../../calendar/dates';
import { requireActor } from '../auth';
import { audit } from '../audit';
import { asHttpError, forbidden, invalidFields } from '../errors';
import { ListQuery, parseListQuery, sendList } from '../lists';
import { involvedHouseholds } from '../privacy';
import { XlsxDownload, sendLedger } from '../export';
import { requestLang } from '../lang';
import { readTable } from '../import-table';
import { householdScope, mayEditHousehold, mayEditRegister } from '../scope';
import { visibleHousehold } from '../commands/visible-household';
import { checkHouseholdFields, type HouseholdFields } from '../validation/household';
import { CreateBody, HouseholdDetail, HouseholdView, IdParams, ImportReport, UpdateBody } from '../households/schemas';
import { householdDetail, householdView } from '../households/view';
import { householdListSpec } from '../households/list';
import { HOUSEHOLD_LEDGER, ledgerRow } from '../households/ledger';
import { importHouseholds } from '../households/import';
import { findMemberSheet, memberSheet, membersOf } from '../households/member-ledger';
import { changedFields, duplicateIdNumber, flushRegister, loadPlaces, newHouseholdIds, outOfArea } from '../households/register';

export async function householdRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const db = () => app.services.db;

  r.get(
    '/households',
    {
      schema: {
        tags: ['households'],
        summary: 'The household register (filters: town, village, status, monitoringStatus, monitoringCategory, riskType, includedFrom/To, eliminatedFrom/To, returned, returnedFrom/To, q, id)',
        querystring: ListQuery,
        response: { 200: Type.Array(HouseholdView) },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const scope = householdScope(actor);
      if (!scope) throw forbidden('无权查看农户台账 (your role may not read the household register)');
      const q = parseListQuery(request.query, householdListSpec(actor));
      const [rows, total] = await db().em().findAndCount(Household, { $and: [scope, q.where] }, { orderBy: q.orderBy, offset: q.offset, limit: q.limit });
      const involved = await involvedHouseholds(db().em(), actor, rows.map((h) => h.id));
      return sendList(reply, 'households', rows.map((h) => householdView(actor, h, involved.has(h.id))), total, q.offset);
    },
  );

  r.get(
    '/households/export.xlsx',
    {
      schema: {
        tags: ['households'],
        summary: 'The filtered register as an Excel ledger (工作台账); same filters as the list',
        querystring: ListQuery,
        response: { 200: XlsxDownload },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const scope = householdScope(actor);
      if (!scope) throw forbidden('无权导出农户台账 (your role may not read the household register)');
      const q = parseListQuery(request.query, householdListSpec(actor), { unpaged: true });
      const rows = await db().em().find(Household, { $and: [scope, q.where] }, { orderBy: q.orderBy, limit: q.limit });
      await audit(db(), { actor, action: 'export', target: 'households', ip: request.ip, outcome: 'ok', detail: { filter: q.filter, rows: rows.length } });
      const involved = await involvedHouseholds(db().em(), actor);
      const lang = requestLang(request);
      const members = memberSheet(actor, rows, await membersOf(db().em(), rows.map((h) => h.id)), involved, lang);
      return sendLedger(reply, lang, HOUSEHOLD_LEDGER, rows.map((h) => ledgerRow(actor, h, involved.has(h.id), lang)), [members]);
    },
  );

  r.get(
    '/households/:id',
    { schema: { tags: ['households'], summary: 'One household with its cases', params: IdParams, response: { 200: HouseholdDetail } } },
    async (request) => {
      const actor = requireActor(request);
      const em = db().em();
      return householdDetail(em, actor, await visibleHousehold(em, actor, request.params.id));
    },
  );

  r.post(
    '/households',
    { schema: { tags: ['households'], summary: 'Register a household', body: CreateBody, response: { 201: HouseholdDetail } } },
    async (request, reply) => {
      const actor = requireActor(request);
      if (!mayEditRegister(actor)) throw forbidden('无权登记农户 (your role may not edit the register)');
      const em = db().em();
      const { value, details } = checkHouseholdFields(request.body, await loadPlaces(em), shanghaiDate(new Date()));
      if (details.length) throw invalidFields(details);
      const place = { town: value.town!, village: value.village! };
      if (!mayEditHousehold(actor, place)) {
        await audit(db(), { actor, action: 'household_create', ip: request.ip, outcome: 'refused', detail: { reason: 'out_of_area', ...place } });
        throw outOfArea(place);
      }
      const other = await em.findOne(Household, { idNumber: value.idNumber! });
      if (other) throw duplicateIdNumber(actor, other);
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
      await flushRegister(em);
      await audit(db(), { actor, action: 'household_create', target: h.id, ip: request.ip, outcome: 'ok', detail: { town: h.town, village: h.village } });
      return reply.status(201).send(await householdDetail(em, actor, h));
    },
  );

  r.put(
    '/households/:id',
    { schema: { tags: ['households'], summary: 'Change a household (the fields given)', params: IdParams, body: UpdateBody, response: { 200: HouseholdDetail } } },
    async (request) => {
      const actor = requireActor(request);
      const em = db().em();
      const h = await visibleHousehold(em, actor, request.params.id);
      if (!mayEditHousehold(actor, h)) {
        await audit(db(), { actor, action: 'household_update', target: h.id, ip: request.ip, outcome: 'refused', detail: { reason: 'out_of_area' } });
        throw forbidden('无权修改农户信息 (you may read but not edit this household)');
      }
      const body: Partial<Record<keyof HouseholdFields, unknown>> = { ...request.body };
      // A village is checked against its town: a change of either checks both.
      if (body.town !== undefined || body.village !== undefined) {
        body.town ??= h.town;
        body.village ??= h.village;
      }
      const { value, details } = checkHouseholdFields(body, await loadPlaces(em), shanghaiDate(new Date()));
      if (details.length) throw invalidFields(details);
      if (value.town !== undefined && !mayEditHousehold(actor, { town: value.town, village: value.village! })) {
        throw outOfArea({ town: value.town, village: value.village! });
      }
      if (value.idNumber !== undefined && value.idNumber !== h.idNumber) {
        const other = await em.findOne(Household, { idNumber: value.idNumber });
        if (other) throw duplicateIdNumber(actor, other);
      }
      const fields = changedFields(h, value);
      if (fields.length) {
        em.assign(h, value);
        await flushRegister(em);
        await audit(db(), { actor, action: 'household_update', target: h.id, ip: request.ip, outcome: 'ok', detail: { fields } });
      }
      return householdDetail(em, actor, h);
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
      if (!mayEditRegister(actor)) throw forbidden('无权导入农户 (your role may not edit the register)');
      const file = await uploadedFile(request);
      const table = await readTable(file.bytes, file.filename);
      const entry = { actor, action: 'import', target: 'households', ip: request.ip };
      try {
        const report = await importHouseholds(db().em(), actor, table.rows, findMemberSheet(table.sheets));
        await audit(db(), {
          ...entry,
          outcome: 'ok',
          detail: {
            filename: file.filename,
            format: table.format,
            rows: report.rows,
            created: report.createdIds,
            updated: report.updatedIds,
            unchanged: report.unchanged,
            refused: report.refused.map((x) => x.row),
            ...(report.members ? { membersOf: report.members.households, membersRefused: report.members.refused.map((x) => x.row) } : {}),
          },
        });
        return { format: table.format, ...report };
      } catch (err) {
        const refusal = asHttpError(err);
        if (refusal) await audit(db(), { ...entry, outcome: 'refused', detail: { filename: file.filename, error: refusal.message } });
        throw err;
      }
    },
  );
}
