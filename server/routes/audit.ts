/**
 * The audit log (supervisors and admins): searchable, and exported to Excel. Append-only: there is no
 * route that changes or deletes an entry, the code has no update path, and the database refuses both.
 */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { InferEntity } from '@mikro-orm/core';
import { AuditEntry } from '../../db';
import { may } from '../../contracts/authz';
import type { Actor } from '../../contracts/roles';
import { addDays, shanghaiDate, startOfShanghaiDay, toShanghaiIso } from '../../calendar/dates';
import { requireActor } from '../auth';
import { audit } from '../audit';
import { forbidden, invalidField, notFound } from '../errors';
import { ListQuery, containsCondition, ids, isoDate, oneOf, parseListQuery, sendList, str, type ListQuerystring, type ListSpec } from '../lists';
import { XlsxDownload, labelIn, ledgerTime, sendXlsx, type Ledger } from '../export';
import { requestLang } from '../lang';
import { ACTOR_KINDS, AUDIT_OUTCOMES } from '../../contracts/audit';
import { t, type Lang } from '../../contracts/i18n';
import type { Static } from 'typebox';
import { nullable } from '../schema';

const AuditRow = Type.Object({
  id: Type.Integer(),
  at: Type.String({ description: 'ISO 8601 with +08:00' }),
  actorKind: Type.String({ description: 'user | integration | anonymous' }),
  actorId: Type.String(),
  actorName: Type.String(),
  action: Type.String(),
  processId: nullable(Type.String()),
  target: nullable(Type.String()),
  ip: nullable(Type.String()),
  outcome: Type.String({ description: 'ok | refused | error' }),
  detail: nullable(Type.Object({}, { additionalProperties: true, description: 'what the action concerned; its keys depend on the action' })),
});

const dayStart = (d: string) => new Date(startOfShanghaiDay(d));

const strings = (field: string) => (v: unknown): string[] => {
  const arr = Array.isArray(v) ? v : [v];
  if (!arr.length || arr.length > 50) throw invalidField(`filter.${field}`, 'type', 'must be a string or an array of 1–50 strings');
  return arr.map((x) => str(field)(x));
};

const spec: ListSpec = {
  resource: 'audit',
  filters: {
    actor: (v) => {
      const a = str('actor')(v);
      return { $or: [{ actorId: a }, containsCondition('actor_name', a)] };
    },
    actorKind: (v) => ({ actorKind: oneOf('actorKind', ['user', 'integration', 'anonymous'] as const)(v) }),
    action: (v) => ({ action: { $in: strings('action')(v) } }),
    processId: (v) => ({ processId: str('processId')(v) }),
    target: (v) => ({ target: str('target')(v) }),
    outcome: (v) => ({ outcome: oneOf('outcome', ['ok', 'refused', 'error'] as const)(v) }),
    ip: (v) => ({ ip: str('ip')(v) }),
    from: (v) => ({ at: { $gte: dayStart(isoDate('from')(v)) } }),
    to: (v) => ({ at: { $lt: dayStart(addDays(isoDate('to')(v), 1)) } }),
    q: (v) => ({ $or: ['action', 'actor_id', 'actor_name', 'process_id', 'target'].map((c) => containsCondition(c, str('q')(v))) }),
    id: (v) => ({ id: { $in: ids('id')(v).map(Number).filter(Number.isInteger) } }),
  },
  sorts: { at: 'at', id: 'id', action: 'action', actorId: 'actorId', outcome: 'outcome', processId: 'processId' },
  defaultSort: ['id', 'DESC'],
};

function auditView(e: InferEntity<typeof AuditEntry>) {
  return {
    id: e.id,
    at: toShanghaiIso(e.at),
    actorKind: e.actorKind,
    actorId: e.actorId,
    actorName: e.actorName,
    action: e.action,
    processId: e.processId ?? null,
    target: e.target ?? null,
    ip: e.ip ?? null,
    outcome: e.outcome,
    detail: e.detail ?? null,
  };
}

function mayRead(actor: Actor, what: 'audit.read' | 'audit.export'): void {
  if (!may(actor, what)) throw forbidden('仅区专班和管理员可查看审计日志 (supervisors and admins only)');
}

/** The audit log as an Excel ledger (审计日志). */
const AUDIT_LEDGER: Ledger = {
  name: t('审计日志', 'Audit log'),
  columns: [
    { header: t('编号', 'No.'), key: 'id', width: 8 },
    { header: t('时间', 'Time'), key: 'at', width: 18 },
    { header: t('操作者类型', 'Actor kind'), key: 'actorKind', width: 10 },
    { header: t('操作者', 'Actor'), key: 'actorId', width: 18 },
    { header: t('姓名/系统', 'Name / system'), key: 'actorName', width: 14 },
    { header: t('操作', 'Action'), key: 'action', width: 16 },
    { header: t('流程编号', 'Case number'), key: 'processId', width: 32 },
    { header: t('对象', 'Target'), key: 'target', width: 18 },
    { header: t('来源地址', 'IP address'), key: 'ip', width: 16 },
    { header: t('结果', 'Outcome'), key: 'outcome', width: 8 },
    { header: t('详情', 'Details'), key: 'detail', width: 60 },
  ],
};

/** An entry as a ledger row: its time in Beijing time, actor kind and outcome in the caller's language. */
function auditLedgerRow(e: Static<typeof AuditRow>, lang: Lang) {
  return {
    ...e,
    at: ledgerTime(e.at),
    actorKind: labelIn(ACTOR_KINDS, e.actorKind, lang),
    outcome: labelIn(AUDIT_OUTCOMES, e.outcome, lang),
    detail: e.detail ? JSON.stringify(e.detail) : '',
  };
}

export async function auditRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const db = () => app.services.db;

  const list = async (query: ListQuerystring, unpaged: boolean) => {
    const q = parseListQuery(query, spec, { unpaged });
    const [from, to] = [q.filter.from, q.filter.to];
    if (typeof from === 'string' && typeof to === 'string' && from > to) throw invalidField('filter.to', 'range', 'must not be before filter.from');
    const [rows, total] = await db().em().findAndCount(AuditEntry, q.where, { orderBy: { ...q.orderBy, id: q.orderBy.id ?? 'DESC' }, offset: q.offset, limit: q.limit });
    return { rows: rows.map(auditView), total, offset: q.offset, filter: q.filter };
  };

  r.get(
    '/audit',
    {
      schema: {
        tags: ['audit'],
        summary: 'The audit log (supervisors, admins; filters actor, actorKind, action, processId, target, outcome, ip, from, to, q, id)',
        querystring: ListQuery,
        response: { 200: Type.Array(AuditRow) },
      },
    },
    async (request, reply) => {
      mayRead(requireActor(request), 'audit.read');
      const { rows, total, offset } = await list(request.query, false);
      return sendList(reply, 'audit', rows, total, offset);
    },
  );

  r.get(
    '/audit/export.xlsx',
    { schema: { tags: ['audit'], summary: 'The filtered audit log as an Excel workbook (supervisors, admins)', querystring: ListQuery, response: { 200: XlsxDownload } } },
    async (request, reply) => {
      const actor = requireActor(request);
      mayRead(actor, 'audit.export');
      const { rows, filter } = await list(request.query, true);
      await audit(db(), { actor, action: 'export', target: 'audit', ip: request.ip, outcome: 'ok', detail: { filter, rows: rows.length } });
      const lang = requestLang(request);
      return sendXlsx(reply, lang, AUDIT_LEDGER, rows.map((e) => auditLedgerRow(e, lang)));
    },
  );

  r.get(
    '/audit/:id',
    { schema: { tags: ['audit'], summary: 'One audit entry (supervisors, admins)', params: Type.Object({ id: Type.String({ pattern: '^[0-9]{1,12}$' }) }), response: { 200: AuditRow } } },
    async (request) => {
      mayRead(requireActor(request), 'audit.read');
      const e = await db().em().findOne(AuditEntry, { id: Number(request.params.id) });
      if (!e) throw notFound(`没有该审计记录 (no audit entry ${request.params.id})`);
      return auditView(e);
    },
  );
}
