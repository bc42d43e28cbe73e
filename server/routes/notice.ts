/**
 * `GET /api/processes/:id/notice`: the public notice (公示) of a case that posts one, as JSON by default
 * and as the printable page with `?format=html` (server/documents/notice.ts builds both). It is also
 * the `notice` document of `GET /api/processes/:id/documents/notice` (server/routes/documents.ts).
 */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { requireActor } from '../auth';
import { printNotice } from '../commands/documents';
import { documentHtml } from '../documents';

export async function noticeRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const { services } = app;
  r.get(
    '/processes/:id/notice',
    {
      schema: {
        tags: ['processes'],
        summary: 'The printable public notice (公示) of a case: no ID number, phone, bank account or health details',
        params: Type.Object({ id: Type.String({ maxLength: 200 }) }),
        querystring: Type.Object({ format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('html')])) }, { additionalProperties: false }),
      },
    },
    async (request, reply) => {
      const { notice, document } = await printNotice(services, requireActor(request), { processId: request.params.id, ip: request.ip });
      if (request.query.format === 'html') return reply.type('text/html; charset=utf-8').send(documentHtml(document));
      return notice;
    },
  );
}
