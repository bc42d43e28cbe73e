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

const MonthlyQuery = Type.Object(
  {
    month: Type.String({ description: 'YYYY-MM (Beijing time), not after this month' }),
    lang: Type.Optional(Type.String({ description: 'zh (default) or en: the language of the sheets' })),
  },
  { additionalProperties: false },
);

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
      const { month } = request.query;
      const now = new Date();
      if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) throw invalidField('month', 'format', '须为 YYYY-MM 格式的月份，如 2026-11 (a month YYYY-MM)');
      const thisMonth = shanghaiDate(now).slice(0, 7);
      if (month > thisMonth) throw invalidField('month', 'range', `不能晚于本月 ${thisMonth} (not after this month)`);
      if (month < '2000-01') throw invalidField('month', 'range', '不能早于 2000-01 (not before 2000-01)');
      const lang = langOf(request.query, request.headers['accept-language']);
      const sheets = await monthlyReport(services.db.em(), actor, month, services.calendar(), lang, now);
      await audit(services.db, { actor, action: 'export', target: 'reports/monthly', ip: request.ip, outcome: 'ok', detail: { month } });
      const file = (name: string) => `${name.replace(/\s+/g, '-')}_${month}.xlsx`;
      return sendWorkbook(reply, { name: file(REPORT_NAME[lang]), fallback: file(REPORT_NAME.en) }, sheets);
    },
  );
}
