/**
 * 包户干部 over HTTP: `GET /api/households/{id}/contact-cadre` (the current one and every change, who
 * and when), `PUT` to name or change it (town officers of the household's town, the district). The
 * households still without one: `GET /api/households?filter={"withoutContactCadre":true}`.
 */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { requireActor } from '../auth';
import { audit } from '../audit';
import { forbidden } from '../errors';
import { visibleHousehold } from '../commands/visible-household';
import { ContactCadreSchema, IdParams } from '../households/schemas';
import { assignContactCadre, contactCadreHistory, contactCadreView, mayAssignContactCadre } from '../households/contact-cadre';
import { nullable } from '../schema';

const Person = Type.Object({ id: Type.String(), name: Type.String() });
const ContactCadreAnswer = Type.Object({
  householdId: Type.String(),
  current: ContactCadreSchema,
  history: Type.Array(
    Type.Object({ from: nullable(Person), to: Person, by: Person, reason: nullable(Type.String()), at: Type.String({ description: 'Beijing time' }) }),
    { description: 'every naming and change, newest first' },
  ),
});
const AssignBody = Type.Object(
  {
    userId: Type.String({ minLength: 1, maxLength: 64, description: '包户干部: an active cadre at district, town (the household\'s) or village (of its town) level' }),
    reason: Type.Optional(Type.String({ maxLength: 200, description: '调整原因' })),
  },
  { additionalProperties: false },
);

export async function contactCadreRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const db = () => app.services.db;

  r.get(
    '/households/:id/contact-cadre',
    { schema: { tags: ['households'], summary: "A household's contact cadre (包户干部) and its changes", params: IdParams, response: { 200: ContactCadreAnswer } } },
    async (request) => {
      const actor = requireActor(request);
      const em = db().em();
      const h = await visibleHousehold(em, actor, request.params.id);
      return { householdId: h.id, current: contactCadreView(h), history: await contactCadreHistory(em, h.id) };
    },
  );

  r.put(
    '/households/:id/contact-cadre',
    { schema: { tags: ['households'], summary: "Name or change a household's contact cadre (包户干部); the change is kept", params: IdParams, body: AssignBody, response: { 200: ContactCadreAnswer } } },
    async (request) => {
      const actor = requireActor(request);
      const em = db().em();
      const h = await visibleHousehold(em, actor, request.params.id);
      if (!mayAssignContactCadre(actor, h)) {
        await audit(db(), { actor, action: 'contact_cadre', target: h.id, ip: request.ip, outcome: 'refused', detail: { reason: 'not_town_or_district' } });
        throw forbidden('包户干部由镇工作组或区专班确定 (town officers of the household\'s town or the district name the contact cadre)');
      }
      const change = await assignContactCadre(em, actor, h, request.body.userId, request.body.reason?.trim() || null, new Date());
      if (change) {
        await em.flush();
        await audit(db(), { actor, action: 'contact_cadre', target: h.id, ip: request.ip, outcome: 'ok', detail: { from: change.fromId, to: change.toId } });
      }
      return { householdId: h.id, current: contactCadreView(h), history: await contactCadreHistory(em, h.id) };
    },
  );
}
