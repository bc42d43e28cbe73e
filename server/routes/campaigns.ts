/**
 * P5 campaign progress by town (visited, problems by category, closed, reopened, overdue), read from the
 * read model with a few grouped queries: fast at district scale, never from the workflows.
 */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { Process } from '../../db';
import { requireActor } from '../auth';
import { notFound } from '../errors';
import { campaignProgress } from '../../processes/campaign/activities';
import { CHECKLIST_ITEMS, campaignId } from '../../processes/campaign/contract';

const Counts = {
  households: Type.Integer(),
  visited: Type.Integer(),
  visitsOverdue: Type.Integer(),
  problems: Type.Integer(),
  problemsByCategory: Type.Record(Type.String(), Type.Integer()),
  closed: Type.Integer(),
  reopened: Type.Integer(),
  overdue: Type.Integer(),
};

/** activities/campaign.ts CampaignProgress, with the campaign case; totals for district-wide callers only. */
const Progress = Type.Object({
  campaign: Type.Object({
    id: Type.String(),
    status: Type.String(),
    stage: Type.String(),
    startedAt: Type.String({ format: 'date-time' }),
    closedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    outcome: Type.Union([Type.String(), Type.Null()]),
    outcomeReasons: Type.Union([Type.String(), Type.Null()]),
  }),
  year: Type.Integer(),
  towns: Type.Array(Type.Object({ town: Type.String(), ...Counts })),
  totals: Type.Optional(Type.Object(Counts)),
  reopenedByDepartment: Type.Optional(Type.Record(Type.String(), Type.Integer())),
  categories: Type.Record(Type.String(), Type.Object({ zh: Type.String(), en: Type.String() }), { description: 'the problem categories (checklist items) by key, as people read them' }),
});

export async function campaignRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const { services } = app;
  r.get(
    '/campaigns/:year/progress',
    {
      schema: {
        tags: ['processes'],
        summary: "The year's campaign progress by town (towns outside a town user's own are left out)",
        params: Type.Object({ year: Type.String({ pattern: '^[0-9]{4}$', description: 'YYYY' }) }),
        response: { 200: Progress },
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
        campaign: {
          id: row.id,
          status: row.status,
          stage: row.stage,
          startedAt: row.startedAt.toISOString(),
          closedAt: row.closedAt?.toISOString() ?? null,
          outcome: row.outcome ?? null,
          outcomeReasons: row.outcomeReasons ?? null,
        },
        year: progress.year,
        towns,
        ...(wide ? { totals: progress.totals, reopenedByDepartment: progress.reopenedByDepartment } : {}),
        categories: CHECKLIST_ITEMS,
      };
    },
  );
}
