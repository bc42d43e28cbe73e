/**
 * 部门数据比对: departments send lists (JSON from their systems, CSV/XLSX from the console), the register
 * matches them, warnings are verified by the village cadres (process `dataVerification`), and the
 * department reads every record's outcome back (list or Excel). See server/data-exchange/.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { t } from '../../contracts/i18n';
import { MEASURE_CATEGORIES, RISK_TYPES } from '../../contracts/vocabulary';
import { requireActor } from '../auth';
import { IDEMPOTENT_IN_HANDLER, once } from '../idempotency';
import { ListQuery, ids, oneOf, parseListQuery, sendList, str, type ListSpec } from '../lists';
import { XlsxDownload, labelIn, ledgerTime, sendXlsx, type Ledger } from '../export';
import { requestLang } from '../lang';
import { uploadedFile } from '../uploads';
import { validateAgainst } from '../processes/validate';
import { EXCHANGE_RULES, INDICATORS } from '../../processes/data-verification/rules';
import { BatchBody, BatchSummary, BatchView, RecordView, type BatchInput } from '../data-exchange/schemas';
import { checkMaySend, receiveBatch } from '../data-exchange/intake';
import { listBatches, listRecords, readBatch } from '../data-exchange/read';
import { recordsOfFile } from '../data-exchange/upload';
import { shanghaiDate } from '../../calendar/dates';

const IdParams = Type.Object({ id: Type.String({ maxLength: 64 }) });
/** A batch over the API may be larger than the default body limit (50,000 records are about 8 MB). */
const MAX_BATCH_BYTES = 32 * 1024 * 1024;
/** Largest upload (a department's list as CSV/XLSX): room for as many records as a JSON batch (100,000 rows of a CSV are about 6 MB). */
const MAX_UPLOAD_BYTES = MAX_BATCH_BYTES;

export const RECORD_RESULTS = {
  matched: t('已匹配', 'Matched'),
  warning: t('预警', 'Warning'),
  unmatched: t('未匹配', 'Unmatched'),
  duplicate: t('重复', 'Duplicate'),
};
export const RECORD_OUTCOMES = {
  open: t('核实中', 'Being verified'),
  confirmed: t('属实，已转入监测对象认定', 'Confirmed: in identification'),
  dismissed: t('不属实', 'Dismissed'),
  noted: t('已是监测户，已记录备注', 'Already monitored: noted'),
};

const batchSpec: ListSpec = {
  resource: 'data-exchange-batches',
  filters: { department: (v) => ({ department: str('department')(v) }), status: (v) => ({ status: oneOf('status', ['processing', 'done'])(v) }), id: (v) => ({ id: ids('id')(v) }) },
  sorts: { receivedAt: 'received_at', department: 'department', id: 'id' },
  defaultSort: ['receivedAt', 'DESC'],
};
const recordSpec: ListSpec = {
  resource: 'data-exchange-records',
  filters: {
    // `matched` lists every record found in the register, warnings included.
    result: (v) => {
      const r = oneOf('result', ['matched', 'unmatched', 'warning', 'duplicate'])(v);
      return { result: r === 'matched' ? ['matched', 'warning'] : [r] };
    },
    outcome: (v) => ({ outcome: oneOf('outcome', Object.keys(RECORD_OUTCOMES))(v) }),
  },
  sorts: { seq: 'seq', result: 'result', outcome: 'outcome' },
  defaultSort: ['seq', 'ASC'],
};

const FEEDBACK: Ledger = {
  name: t('数据比对反馈', 'Data comparison feedback'),
  columns: [
    { header: t('序号', 'No.'), key: 'seq', width: 8 },
    { header: t('身份证号', 'ID number'), key: 'idNumber', width: 22 },
    { header: t('姓名', 'Name'), key: 'name' },
    { header: t('比对结果', 'Result'), key: 'result' },
    { header: t('户编号', 'Household'), key: 'householdId', width: 14 },
    { header: t('预警内容', 'Warning'), key: 'warning', width: 40 },
    { header: t('建议风险类型', 'Suggested risk'), key: 'riskTypes', width: 16 },
    { header: t('核实结论', 'Outcome'), key: 'outcome', width: 26 },
    { header: t('核实情况/理由', 'Findings / reasons'), key: 'reasons', width: 40 },
    { header: t('监测对象认定流程', 'Identification case'), key: 'caseId', width: 30 },
    { header: t('核实时间', 'Decided at'), key: 'decidedAt', width: 18 },
  ],
};

export async function dataExchangeRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const { services } = app;
  const knex = () => services.db.em().getKnex();

  r.post(
    '/data-exchange/batches',
    {
      schema: {
        tags: ['data-exchange'],
        summary:
          "A department's batch (API key scope `exchange` bound to the department, or its officer): JSON `{department, kind, records}`, or multipart `file` (CSV/XLSX) with fields `department`, `kind`; matched against the register by ID number, warnings followed up by a workflow; Idempotency-Key: a second delivery creates nothing",
        headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String({ maxLength: 128 })) }),
        response: { 201: BatchSummary },
      },
      bodyLimit: MAX_BATCH_BYTES,
      config: IDEMPOTENT_IN_HANDLER,
    },
    async (request, reply) => {
      const actor = requireActor(request);
      checkMaySend(actor);
      let body: unknown = request.body;
      let source: 'api' | 'upload' = 'api';
      if (request.isMultipart()) {
        const file = await uploadedFile(request, MAX_UPLOAD_BYTES);
        body = { department: file.fields.department ?? actor.department, kind: file.fields.kind || file.filename.replace(/\.[^.]*$/, '') || '上传名单', records: await recordsOfFile(file.bytes, file.filename) };
        source = 'upload';
      }
      validateAgainst(BatchBody, body, '');
      const input = body as BatchInput;
      return once(services.db, request, reply, actor, async (attempt) => {
        const summary = await receiveBatch(services, actor, input, { key: attempt.eventId ?? randomUUID(), source });
        return {
          status: 201,
          body: summary,
          audit: { actor, action: 'exchange_batch', target: summary.id, ip: request.ip, outcome: 'ok', detail: { department: input.department, kind: input.kind, ...summary } },
        };
      });
    },
  );

  r.get(
    '/data-exchange/batches',
    { schema: { tags: ['data-exchange'], summary: 'Batches (a department its own; progress: records processed of received)', querystring: ListQuery, response: { 200: Type.Array(BatchView) } } },
    async (request, reply) => {
      const list = parseListQuery(request.query, batchSpec);
      const { rows, total } = await listBatches(knex(), requireActor(request), list);
      return sendList(reply, batchSpec.resource, rows, total, list.offset);
    },
  );

  r.get('/data-exchange/batches/:id', { schema: { tags: ['data-exchange'], summary: 'One batch with its counts and progress', params: IdParams, response: { 200: BatchView } } }, async (request) =>
    readBatch(knex(), requireActor(request), request.params.id),
  );

  r.get(
    '/data-exchange/batches/:id/records',
    { schema: { tags: ['data-exchange'], summary: "A batch's records with their outcome (filter `result`: matched|unmatched|warning|duplicate)", params: IdParams, querystring: ListQuery, response: { 200: Type.Array(RecordView) } } },
    async (request, reply) => {
      const actor = requireActor(request);
      const batch = await readBatch(knex(), actor, request.params.id);
      const list = parseListQuery(request.query, recordSpec);
      const { rows, total } = await listRecords(knex(), actor, batch, list);
      return sendList(reply, recordSpec.resource, rows, total, list.offset);
    },
  );

  r.get(
    '/data-exchange/batches/:id/feedback.xlsx',
    { schema: { tags: ['data-exchange'], summary: "The batch's feedback for the department: every record's outcome, as Excel", params: IdParams, querystring: ListQuery, response: { 200: XlsxDownload } } },
    async (request, reply) => {
      const actor = requireActor(request);
      const lang = requestLang(request);
      const batch = await readBatch(knex(), actor, request.params.id);
      const { rows } = await listRecords(knex(), actor, batch, parseListQuery(request.query, recordSpec, { unpaged: true }));
      return sendXlsx(
        reply,
        lang,
        { ...FEEDBACK, name: t(`${batch.department}数据比对反馈_${batch.id}`, `Feedback ${batch.id}`) },
        rows.map((x) => ({
          seq: x.seq,
          idNumber: x.idNumber,
          name: x.name,
          result: labelIn(RECORD_RESULTS, x.result, lang),
          householdId: x.householdId,
          warning: x.rules.map((w) => w.text).join('；'),
          riskTypes: [...new Set(x.rules.map((w) => labelIn(RISK_TYPES, w.riskType, lang)))].join('、'),
          outcome: labelIn(RECORD_OUTCOMES, x.outcome, lang),
          reasons: x.reasons,
          caseId: x.caseId,
          decidedAt: ledgerTime(x.decidedAt),
        })),
      );
    },
  );

  r.get(
    '/data-exchange/rules',
    {
      schema: {
        tags: ['data-exchange'],
        summary: 'The comparison rules with the policy values in force (each names the risk type it suggests, and the measure it suggests for a monitored household\'s plan)',
        response: { 200: Type.Array(Type.Object({ key: Type.String(), title: Type.String(), indicator: Type.String(), riskType: Type.String(), riskTypeTitle: Type.String(), policyField: Type.Union([Type.String(), Type.Null()]), value: Type.Union([Type.String(), Type.Null()]), measure: Type.Union([Type.String(), Type.Null()], { description: 'The measure it suggests for a monitored household\'s plan' }) })) },
      },
    },
    async (request) => {
      const lang = requestLang(request);
      const policy = services.policy();
      const year = Number(shanghaiDate(new Date()).slice(0, 4));
      return EXCHANGE_RULES.map((rule) => ({
        key: rule.key,
        title: rule.title[lang],
        indicator: INDICATORS[rule.indicator][lang],
        riskType: rule.riskType,
        riskTypeTitle: RISK_TYPES[rule.riskType][lang],
        policyField: rule.policyField ?? null,
        value: rule.value?.(policy, year) ?? null,
        measure: rule.measure ? MEASURE_CATEGORIES[rule.measure.category][lang] : null,
      }));
    },
  );
}
