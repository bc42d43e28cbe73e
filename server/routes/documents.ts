/**
 * The printed documents of a case (server/documents/): `GET /api/processes/:id/documents` lists what
 * the case offers now, `GET /api/processes/:id/documents/:kind` is one of them as a printable A4 page.
 * Whoever may read the case may print them; each print is audited.
 */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { requireActor } from '../auth';
import { documentOffers, printDocument } from '../commands/documents';
import { documentHtml } from '../documents';

const Params = Type.Object({ id: Type.String({ maxLength: 200 }) });

const Offer = Type.Object({
  kind: Type.String({ description: 'notice (公示), reliefDecision (救助决定书), rebuildAcceptance (验收及补助通知), problemList (村问题清单)' }),
  title: Type.String(),
  village: Type.Optional(Type.String({ description: 'a list printed per village: pass it as `?village=`' })),
});

const HtmlPage = { description: 'A printable A4 page (HTML)', content: { 'text/html': { schema: { type: 'string' } } } };

export async function documentRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const { services } = app;
  r.get(
    '/processes/:id/documents',
    {
      schema: {
        tags: ['processes'],
        summary: 'The documents a case offers to print now (public notice, relief decision, acceptance and subsidy notice, village problem lists)',
        params: Params,
        response: { 200: Type.Array(Offer) },
      },
    },
    async (request) => documentOffers(services, requireActor(request), request.params.id),
  );
  r.get(
    '/processes/:id/documents/:kind',
    {
      schema: {
        tags: ['processes'],
        summary: 'One document of a case as a printable A4 page: no ID number, phone or health details; 404 for a kind the case does not offer',
        params: Type.Object({ id: Type.String({ maxLength: 200 }), kind: Type.String({ maxLength: 50, description: 'a kind the case offers (see the list above)' }) }),
        querystring: Type.Object(
          { village: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'the village of a list printed per village (problemList): required for it' })) },
          { additionalProperties: false },
        ),
        response: { 200: HtmlPage },
      },
    },
    async (request, reply) => {
      const { id, kind } = request.params;
      const document = await printDocument(services, requireActor(request), { processId: id, kind, ip: request.ip, ...(request.query.village ? { village: request.query.village } : {}) });
      return reply.type('text/html; charset=utf-8').send(documentHtml(document));
    },
  );
}
