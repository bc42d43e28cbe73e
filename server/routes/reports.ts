/** Reports people are asked for (server/reports/): the month's monitoring report as an Excel workbook. */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { requireActor } from '../auth';
import { invalidField } from '../errors';
import { audit } from '../audit';
import { XlsxDownload, sendWorkbook } from '../export';
import { langOf } from '../lang';
import { shanghaiDate } from '../../calendar/dates';
import { REPORT_NAME, monthlyReport } from '../reports/monthly';
import { monthlySummaryHtml } from '../reports/monthly-print';

const MonthlyQuery = Type.Object(
  {
    month: Type.String({ description: 'YYYY-MM (Beijing time), not after this month' }),
    lang: Type.Optional(Type.String({ description: 'zh (default) or en: the language of the sheets' })),
  },
  { additionalProperties: false },
);

/** The month asked for: YYYY-MM, from 2000-01 to this month (Beijing time). */
function checkMonth(month: string, now: Date): string {
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) throw invalidField('month', 'format', '须为 YYYY-MM 格式的月份，如 2026-11 (a month YYYY-MM)');
  const thisMonth = shanghaiDate(now).slice(0, 7);
  if (month > thisMonth) throw invalidField('month', 'range', `不能晚于本月 ${thisMonth} (not after this month)`);
  if (month < '2000-01') throw invalidField('month', 'range', '不能早于 2000-01 (not before 2000-01)');
  return month;
}

export async function reportRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const { services } = app;
  r.get(
    '/reports/monthly.xlsx',
    {
      schema: {
        tags: ['statistics'],
        summary: "The month's monitoring report (sheets in Chinese): by town, village, category and risk type, over what the caller may see",
        querystring: MonthlyQuery,
        response: { 200: XlsxDownload },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const now = new Date();
      const month = checkMonth(request.query.month, now);
      const lang = langOf(request.query, request.headers['accept-language']);
      const sheets = await monthlyReport(services.db.em(), actor, month, services.calendar(), lang, now);
      await audit(services.db, { actor, action: 'export', target: 'reports/monthly', ip: request.ip, outcome: 'ok', detail: { month } });
      const file = (name: string) => `${name.replace(/\s+/g, '-')}_${month}.xlsx`;
      return sendWorkbook(reply, { name: file(REPORT_NAME[lang]), fallback: file(REPORT_NAME.en) }, sheets);
    },
  );

  r.get(
    '/reports/monthly.html',
    {
      schema: {
        tags: ['statistics'],
        summary: "The monthly report's summary by town as a printable A4 page in Chinese (HTML, a bar chart as inline SVG), over what the caller may see",
        querystring: Type.Object({ month: Type.String({ description: 'YYYY-MM (Beijing time), not after this month' }) }, { additionalProperties: false }),
        response: { 200: { description: 'A printable A4 page (HTML)', content: { 'text/html': { schema: { type: 'string' } } } } },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const now = new Date();
      const month = checkMonth(request.query.month, now);
      const html = await monthlySummaryHtml(services.db.em(), actor, month, services.calendar(), now);
      await audit(services.db, { actor, action: 'export', target: 'reports/monthly.html', ip: request.ip, outcome: 'ok', detail: { month } });
      return reply.type('text/html; charset=utf-8').send(html);
    },
  );
}
