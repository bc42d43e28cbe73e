/**
 * P5 campaign progress by town (visited, problems by category, closed, reopened, overdue), read from the
 * read model with a few grouped queries: fast at district scale, never from the workflows.
 */
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { Process } from '../../db';
import { requireActor } from '../auth';
import { notFound } from '../errors';
import { campaignProgress } from '../../processes/campaign/activities';
import { campaignId } from '../../processes/campaign/contract';

export async function campaignRoutes(app: FastifyInstance) {
  const { services } = app;
  app.get<{ Params: { year: string } }>(
    '/campaigns/:year/progress',
    {
      schema: {
        tags: ['processes'],
        summary: "The year's campaign progress by town (towns outside a town user's own are left out)",
        params: Type.Object({ year: Type.String({ pattern: '^[0-9]{4}$', description: 'YYYY' }) }),
      },
    },
    async (request) => {
      const actor = requireActor(request);
      const year = Number(request.params.year);
      const em = services.db.em();
      const row = await em.findOne(Process, { id: campaignId(year) });
      if (!row) throw notFound(`${year} 年度没有大走访 (no campaign that year)`);
      const progress = await campaignProgress(em, year);
      const wide = actor.roles.some((r) => r === 'admin' || r === 'district_supervisor' || r === 'department_officer');
      const towns = wide ? progress.towns : progress.towns.filter((t) => t.town === actor.town);
      return {
        campaign: { id: row.id, status: row.status, stage: row.stage, startedAt: row.startedAt, closedAt: row.closedAt, outcome: row.outcome, outcomeReasons: row.outcomeReasons },
        year: progress.year,
        towns,
        ...(wide ? { totals: progress.totals, reopenedByDepartment: progress.reopenedByDepartment } : {}),
      };
    },
  );
}
