/** District statistics (server/stats/): figures by town, village, category or risk type, scoped to the caller. */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { requireActor } from '../auth';
import { invalidField } from '../errors';
import { isIsoDate, shanghaiDate } from '../../calendar/dates';
import { GROUP_BYS, period, type GroupBy } from '../stats/query';
import { monitoringStats } from '../stats/monitoring';
import { MonitoringQuery, MonitoringRows } from '../stats/schemas';

const day = (field: 'from' | 'to', value: string) => {
  if (!isIsoDate(value)) throw invalidField(field, 'format', 'must be a date YYYY-MM-DD');
  return value;
};

export async function statsRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const { services } = app;
  r.get(
    '/stats/monitoring',
    {
      schema: {
        tags: ['statistics'],
        summary: 'Monitoring figures by town, village, category or risk type for a period, over what the caller may see',
        querystring: MonitoringQuery,
        response: { 200: MonitoringRows },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      const groupBy = request.query.groupBy ?? 'town';
      if (!(GROUP_BYS as readonly string[]).includes(groupBy)) throw invalidField('groupBy', 'enum', `must be one of ${GROUP_BYS.join(', ')}`);
      const now = new Date();
      const today = shanghaiDate(now);
      const to = day('to', request.query.to ?? today);
      const from = day('from', request.query.from ?? `${to.slice(0, 8)}01`);
      if (from > to) throw invalidField('from', 'range', `must not be after to (${to})`);
      return monitoringStats(services.db.em(), actor, groupBy as GroupBy, period(from, to), services.calendar(), now);
    },
  );
}
