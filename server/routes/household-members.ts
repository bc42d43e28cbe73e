/**
 * 家庭成员 over HTTP: `GET /api/households/{id}/members` lists a household's members (ID numbers
 * masked like the head's), `PUT` replaces the whole list (add, edit, remove in one write, one audit
 * entry). Read and written by the same scope as the household itself.
 */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { shanghaiDate } from '../../calendar/dates';
import { DISABILITY_GRADES, LABOUR_CAPACITIES, MEMBER_RELATIONS } from '../../contracts/members';
import type { Vocabulary } from '../../contracts/vocabulary';
import { requireActor } from '../auth';
import { audit } from '../audit';
import { forbidden, invalidFields } from '../errors';
import { involvedHouseholds } from '../privacy';
import { mayEditHousehold } from '../scope';
import { visibleHousehold } from '../commands/visible-household';
import { IdParams } from '../households/schemas';
import { checkMembers, loadMembers, memberView, replaceMembers } from '../households/members';
import { flushRegister } from '../households/register';
import { HEAD_NAME_MAX, MEMBER_COUNT } from '../validation/household';
import { nullable } from '../schema';

const vocabEnum = (v: Vocabulary<string>, title: string) =>
  Type.Enum(Object.keys(v), { description: `${title}: ${Object.entries(v).map(([k, x]) => `${k} ${x.zh}`).join('; ')}` });

const memberFields = {
  name: Type.String({ minLength: 1, maxLength: HEAD_NAME_MAX, description: '姓名' }),
  idNumber: Type.String({ minLength: 1, maxLength: 32, description: '居民身份证号 (18 characters, GB 11643 check digit); the head\'s is the household\'s' }),
  relation: vocabEnum(MEMBER_RELATIONS, '与户主关系'),
  student: Type.Boolean({ description: '在校生' }),
  disabilityGrade: nullable(Type.Integer({ minimum: DISABILITY_GRADES[0], maximum: DISABILITY_GRADES.at(-1), description: '残疾等级 (1–4; null: not disabled)' })),
  labourCapacity: vocabEnum(LABOUR_CAPACITIES, '劳动能力'),
  insured: Type.Boolean({ description: '参加城乡居民基本医疗保险' }),
};

const MemberInputSchema = Type.Object(
  {
    name: memberFields.name,
    idNumber: memberFields.idNumber,
    relation: memberFields.relation,
    student: Type.Optional(memberFields.student),
    disabilityGrade: Type.Optional(memberFields.disabilityGrade),
    labourCapacity: Type.Optional(memberFields.labourCapacity),
    insured: Type.Optional(memberFields.insured),
  },
  { additionalProperties: false },
);

export const MemberViewSchema = Type.Object({
  id: Type.Integer(),
  ...memberFields,
  idNumber: Type.String({ description: 'masked (500112********1234) unless the caller may see the head\'s whole' }),
});

const MembersBody = Type.Object(
  { members: Type.Array(MemberInputSchema, { maxItems: MEMBER_COUNT.max, description: 'every member, the head (relation head) included; people left out are removed' }) },
  { additionalProperties: false },
);
const MembersView = Type.Object({ householdId: Type.String(), memberCount: Type.Integer(), members: Type.Array(MemberViewSchema) });

export async function householdMemberRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const db = () => app.services.db;

  r.get(
    '/households/:id/members',
    { schema: { tags: ['households'], summary: "A household's members (家庭成员), the head first", params: IdParams, response: { 200: MembersView } } },
    async (request) => {
      const actor = requireActor(request);
      const em = db().em();
      const h = await visibleHousehold(em, actor, request.params.id);
      const involved = (await involvedHouseholds(em, actor, [h.id])).has(h.id);
      return { householdId: h.id, memberCount: h.memberCount, members: (await loadMembers(em, h.id)).map((m) => memberView(actor, h, m, involved)) };
    },
  );

  r.put(
    '/households/:id/members',
    {
      schema: {
        tags: ['households'],
        summary: "Replace a household's members (add, change, remove in one write); 家庭人口 becomes their number",
        params: IdParams,
        body: MembersBody,
        response: { 200: MembersView },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      const em = db().em();
      const h = await visibleHousehold(em, actor, request.params.id);
      if (!mayEditHousehold(actor, h)) {
        await audit(db(), { actor, action: 'household_members', target: h.id, ip: request.ip, outcome: 'refused', detail: { reason: 'out_of_area' } });
        throw forbidden('无权修改该户家庭成员 (you may read but not edit this household)');
      }
      const { value, details } = checkMembers(request.body.members, h, shanghaiDate(new Date()));
      if (details.length) throw invalidFields(details);
      const changes = await replaceMembers(em, h, value);
      await flushRegister(em);
      if (changes.added || changes.changed || changes.removed) {
        await audit(db(), { actor, action: 'household_members', target: h.id, ip: request.ip, outcome: 'ok', detail: { ...changes, members: value.length } });
      }
      return { householdId: h.id, memberCount: h.memberCount, members: (await loadMembers(em, h.id)).map((m) => memberView(actor, h, m)) };
    },
  );
}
