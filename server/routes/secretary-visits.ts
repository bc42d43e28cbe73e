/** `GET /api/stats/secretary-visits?year=YYYY`: the secretaries' annual 遍访 (plan item 4) as coverage by person (server/stats/secretary-visits.ts). */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { POSTS } from '../../contracts/posts';
import { requireActor } from '../auth';
import { nullable } from '../schema';
import { secretaryVisits } from '../stats/secretary-visits';
import { statisticsYear } from '../stats/year';

const Unit = Type.Object({
  kind: Type.Union([Type.Literal('town'), Type.Literal('village'), Type.Literal('household')]),
  town: Type.String(),
  village: nullable(Type.String()),
  householdId: nullable(Type.String()),
  headName: nullable(Type.String({ description: "the household head's name as the register has it (no ID number or phone)" })),
  group: nullable(Type.Union([Type.Literal('monitored'), Type.Literal('out_of_poverty')], { description: 'a household: 监测户 or 脱贫户' })),
});

const Answer = Type.Object({
  year: Type.Integer(),
  districtBasis: Type.Union([Type.Literal('key'), Type.Literal('monitored')], {
    description: "the district secretary's set: `key` the register's key villages and their towns; `monitored` (no village flagged key) every village with 监测户 and its town",
  }),
  secretaries: Type.Array(
    Type.Object({
      userId: Type.String(),
      name: Type.String(),
      post: Type.Enum([...POSTS]),
      town: nullable(Type.String()),
      village: nullable(Type.String()),
      due: Type.Integer({ description: 'towns, villages or households to visit this year' }),
      visited: Type.Integer({ description: 'of those, visited by this person in the year (a visit step they completed)' }),
      coverage: nullable(Type.Number({ description: 'visited / due in percent, one decimal; null when nothing is due' })),
      unvisited: Type.Array(Unit),
    }),
  ),
});

export async function secretaryVisitRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  r.get(
    '/stats/secretary-visits',
    {
      schema: {
        tags: ['statistics'],
        summary: "The secretaries' annual visits (遍访, plan item 4) by person: what each must visit, how much they visited in the year, what is left; every secretary for supervisors, a town officer's town's",
        querystring: Type.Object({ year: Type.Optional(Type.String({ description: 'YYYY (default: this year, Beijing time)' })) }, { additionalProperties: false }),
        response: { 200: Answer },
      },
    },
    async (request) => secretaryVisits(app.services.db.em(), requireActor(request), statisticsYear(request.query.year, new Date())),
  );
}
