/**
 * `GET /api/processes/:id/notice`: the printable public notice (公示) of a case that posts one
 * (identification: inclusion in monitoring; helper assignment: risk elimination). It names the head
 * of household, the village, the monitoring category, the risk types and the notice period — never
 * an ID number, a phone, a bank account or health details (descriptions, findings), whoever prints
 * it (server/privacy.ts PRIVACY.neverOnNotice). JSON by default, a printable page with `?format=html`.
 */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { stateQuery } from '../../contracts/messages';
import { MONITORING_CATEGORIES, RISK_TYPES } from '../../contracts/vocabulary';
import type { CaseState } from '../../contracts/steps';
import { requireActor } from '../auth';
import { notFound } from '../errors';
import { visibleCase } from '../commands/visible-case';
import { fromTemporal } from '../processes/temporal-errors';
import { NOTICES } from '../../processes';
import { onNotice } from '../privacy';

const shanghaiDate = (iso: string) => new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(0, 10);
const zhDate = (d: string) => `${Number(d.slice(0, 4))}年${Number(d.slice(5, 7))}月${Number(d.slice(8, 10))}日`;
const days = (duration: string | undefined) => {
  const m = duration ? /^P(\d+)D$/.exec(duration) : null;
  return m ? Number(m[1]) : undefined;
};
const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export interface Notice {
  processId: string;
  type: string;
  title: string;
  status: 'draft' | 'posted' | 'ended';
  householdHead: string;
  town: string;
  village: string;
  category?: { code: string; label: string };
  riskTypes: { code: string; label: string }[];
  period: { postedOn?: string; endedOn?: string; minimumDays?: number; location?: string };
  text: string;
}

/** The notice from the case's state: only the fields a notice may carry are read. */
export function buildNotice(state: CaseState, minimum: string | undefined): Notice {
  const spec = NOTICES[state.type];
  const data = (state.data ?? {}) as { headName?: string; request?: { category?: string; riskTypes?: string[] }; category?: string; riskTypes?: string[] };
  const categoryCode = data.request?.category ?? data.category;
  // Health risk types (因病, 因残) are health details: a notice never prints them.
  const riskCodes = onNotice('riskTypes', data.request?.riskTypes ?? data.riskTypes ?? []);
  const notices = state.steps.filter((s) => s.key === 'publicNotice');
  const current = notices.at(-1);
  const result = current?.status === 'done' ? (current.result as { postedOn?: string; endedOn?: string; location?: string } | undefined) : undefined;
  const period = {
    ...(result?.postedOn ? { postedOn: result.postedOn } : current ? { postedOn: shanghaiDate(current.openedAt) } : {}),
    ...(result?.endedOn ? { endedOn: result.endedOn } : {}),
    ...(days(minimum) ? { minimumDays: days(minimum) } : {}),
    ...(result?.location ? { location: result.location } : {}),
  };
  const category = categoryCode ? { code: categoryCode, label: (MONITORING_CATEGORIES as Record<string, { zh: string }>)[categoryCode]?.zh ?? categoryCode } : undefined;
  const riskTypes = riskCodes.map((c) => ({ code: c, label: (RISK_TYPES as Record<string, { zh: string }>)[c]?.zh ?? c }));
  const headName = data.headName ?? state.subject;
  const periodText = period.postedOn
    ? period.endedOn
      ? `${zhDate(period.postedOn)}至${zhDate(period.endedOn)}${period.minimumDays ? `（不少于${period.minimumDays}天）` : ''}`
      : `自${zhDate(period.postedOn)}起${period.minimumDays ? `不少于${period.minimumDays}天` : ''}`
    : `不少于${period.minimumDays ?? 5}天（日期待定）`;
  const lines = [
    spec.title,
    '',
    `根据防止返贫动态监测和帮扶工作有关规定，经入户核实、村级民主评议，${spec.proposal}，现予公示：`,
    '',
    `户主姓名：${headName}`,
    `所在村：${state.town}${state.village}`,
    ...(category ? [`监测类型：${category.label}`] : []),
    ...(riskTypes.length ? [`风险类型：${riskTypes.map((r) => r.label).join('、')}`] : []),
    `公示期：${periodText}`,
    ...(period.location ? [`公示地点：${period.location}`] : []),
    '',
    `公示期间，如有异议，请向${state.village}村民委员会或${state.town}人民政府实名反映。`,
    '',
    `${state.town}${state.village}村民委员会`,
    ...(period.postedOn ? [zhDate(period.postedOn)] : []),
  ];
  return {
    processId: state.processId,
    type: state.type,
    title: spec.title,
    status: !current ? 'draft' : current.status === 'done' ? 'ended' : 'posted',
    householdHead: headName,
    town: state.town,
    village: state.village,
    ...(category ? { category } : {}),
    riskTypes,
    period,
    text: lines.join('\n'),
  };
}

function noticeHtml(n: Notice): string {
  const [title, ...rest] = n.text.split('\n');
  const body = rest.map((l) => (l ? `<p>${escapeHtml(l)}</p>` : '')).join('\n');
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font-family:"Noto Serif CJK SC","SimSun",serif;max-width:40em;margin:3em auto;line-height:2;font-size:16pt}h1{text-align:center;font-size:22pt}p:nth-last-child(-n+2){text-align:right}@media print{body{margin:2cm}}</style>
</head><body><h1>${escapeHtml(title)}</h1>
${body}
</body></html>`;
}

export async function noticeRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const { services } = app;
  r.get(
    '/processes/:id/notice',
    {
      schema: {
        tags: ['processes'],
        summary: 'The printable public notice (公示) of a case: no ID number, phone, bank account or health details',
        params: Type.Object({ id: Type.String({ maxLength: 200 }) }),
        querystring: Type.Object({ format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('html')])) }, { additionalProperties: false }),
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const found = await visibleCase(services, actor, request.params.id);
      const spec = NOTICES[found.type];
      if (!spec) throw notFound(`该类流程没有公示 (a ${found.type} case posts no public notice)`);
      let state = found.state;
      try {
        state ??= await services.temporal.client.workflow.getHandle(request.params.id).query(stateQuery);
      } catch (err) {
        throw fromTemporal(err);
      }
      const notice = buildNotice(state, spec.minimum(services.policy()));
      if (request.query.format === 'html') return reply.type('text/html; charset=utf-8').send(noticeHtml(notice));
      return notice;
    },
  );
}
