/**
 * Supervision (plan item 6): 约谈/问责 records (list, create) and the year's scores per town and
 * department with their formula. Supervisors write records and read everything; a town's or a
 * department's officers read the records and the score concerning them (contracts/authz.ts).
 */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { AccountabilityRecord } from '../../db';
import { requireActor } from '../auth';
import { audit } from '../audit';
import { ListQuery, parseListQuery, sendList } from '../lists';
import { shanghaiDate } from '../../calendar/dates';
import { RecordBody, RecordRow, createRecord, recordRow, recordScope, recordSpec } from '../supervision/records';
import { FORMULA, WEIGHTS, scoreUnits, supervisionScores } from '../supervision/scores';
import { statisticsYear } from '../stats/year';

const rate = Type.Number({ minimum: 0, maximum: 1 });
const count = Type.Integer({ minimum: 0 });
const ScoreRow = Type.Object({
  kind: Type.String({ description: 'town | department' }),
  unit: Type.String(),
  stepsDue: count,
  stepsOnTime: count,
  onTimeRate: rate,
  visitsDue: Type.Optional(count),
  visitsDone: Type.Optional(count),
  visitRate: Type.Optional(rate),
  reopenedFixes: count,
  noticesReceived: count,
  score: Type.Number({ minimum: 0, maximum: 100 }),
});
const text = Type.Object({ zh: Type.String(), en: Type.String() });
const Scores = Type.Object({
  year: Type.Integer(),
  formula: Type.Object({ town: text, department: text }),
  weights: Type.Object({ onTime: count, visits: count, department: count, reopened: count, notices: count }),
  rows: Type.Array(ScoreRow),
});

export async function supervisionRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const { services } = app;

  r.get(
    '/accountability',
    {
      schema: {
        tags: ['supervision'],
        summary: "约谈/问责 records, newest first: those supervisors recorded and rectifications' 问责 for false or perfunctory fixes (source); supervisors read all, a town's or a department's officers those concerning them",
        querystring: ListQuery,
        response: { 200: Type.Array(RecordRow) },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const q = parseListQuery(request.query, recordSpec);
      const [rows, total] = await services.db.em().findAndCount(AccountabilityRecord, { $and: [q.where, recordScope(actor)] }, { orderBy: q.orderBy, offset: q.offset, limit: q.limit });
      return sendList(reply, 'accountability', rows.map(recordRow), total, q.offset);
    },
  );

  r.post(
    '/accountability',
    { schema: { tags: ['supervision'], summary: 'Record a 约谈 or 问责: who, why, when, the measure, the cases (supervisors; audited)', body: RecordBody, response: { 201: RecordRow } } },
    async (request, reply) => {
      const actor = requireActor(request);
      const row = await createRecord(services.db.em(), actor, request.body, shanghaiDate(new Date()));
      await audit(services.db, { actor, action: 'accountability_record', target: `accountability/${row.id}`, ip: request.ip, outcome: 'ok', detail: { kind: row.kind, target: row.target, processIds: row.processIds } });
      return reply.code(201).send(row);
    },
  );

  r.get(
    '/stats/scores',
    {
      schema: {
        tags: ['supervision'],
        summary: "The year's score per town and department, each component and the formula: every one for supervisors, a town officer's or a department officer's own",
        querystring: Type.Object({ year: Type.Optional(Type.String({ description: 'YYYY (default: this year, Beijing time)' })) }, { additionalProperties: false }),
        response: { 200: Scores },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      const now = new Date();
      const year = statisticsYear(request.query.year, now);
      return { year, formula: FORMULA, weights: WEIGHTS, rows: await supervisionScores(services.db.em(), year, now, scoreUnits(actor)) };
    },
  );
}
