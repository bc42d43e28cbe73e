/** `GET /api/stats/information-officers`: 信息员 staffing against the policy's targets (default 2 / 2 / 1), and the shortfall (server/stats/information-officers.ts). */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { requireActor } from '../auth';
import { informationOfficerStaffing } from '../stats/information-officers';
import { nullable } from '../schema';

const Staffing = { required: Type.Integer(), staffed: Type.Integer({ description: 'active information officers' }), shortfall: Type.Integer({ description: 'required − staffed, at least 0' }) };
const Answer = Type.Object({
  plan: Type.Object({ district: Type.Integer(), town: Type.Integer(), village: Type.Integer() }, { description: 'officers the policy in force asks for per level (staffing.informationOfficers; plan item 16: 2 / 2 / 1)' }),
  district: nullable(Type.Object(Staffing, { description: 'district level (only for district-wide callers)' })),
  towns: Type.Array(Type.Object({ town: Type.String(), ...Staffing, villages: Type.Array(Type.Object({ village: Type.String(), ...Staffing })) })),
  total: Type.Object(Staffing),
});

export async function informationOfficerRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  r.get(
    '/stats/information-officers',
    { schema: { tags: ['statistics'], summary: '信息员 staffing by level against the policy in force (default 2 district, 2 per town, 1 per village) and the shortfall, over what the caller may see', response: { 200: Answer } } },
    async (request) => informationOfficerStaffing(app.services.db.em(), requireActor(request), app.services.policy().staffing.informationOfficers),
  );
}
