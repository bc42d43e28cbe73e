/**
 * Evidence files (issue 22): `POST /api/files` keeps an upload (multipart field `file`: a photo or a PDF,
 * its type read from its bytes), `GET /api/files/:id` and `/thumbnail` serve it back to whoever may read
 * it (server/commands/files.ts). Step forms then name the file by its id (`format: "file-id"`).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { requireActor } from '../auth';
import { HttpError } from '../errors';
import { DEFAULT_LIMITS } from '../security';
import { uploadedFile } from '../uploads';
import { readEvidence, readableEvidence, uploadEvidence, type EvidenceView } from '../commands/files';
import { LINK_TTL_MS, fileLinkSigner } from '../files/links';
import { User } from '../../db';
import { Refusal } from '../commands/refusal';
import { EVIDENCE_RULE, UnsupportedFile } from '../files/intake';

export const EvidenceFile = Type.Object({
  id: Type.String({ description: 'what step forms name it by (`format: "file-id"`)' }),
  name: Type.String(),
  contentType: Type.String({ description: 'from the bytes: image/jpeg, image/png, image/webp or application/pdf (HEIC is kept as JPEG)' }),
  size: Type.Integer({ description: 'bytes kept (an image re-encoded without its metadata)' }),
  sha256: Type.String({ description: 'of the bytes kept; the case history records it with the step that used the file' }),
  thumbnail: Type.Optional(Type.String({ description: 'images: the path of a 320 px WebP thumbnail' })),
  takenAt: Type.Optional(Type.String({ format: 'date-time', description: "from the photo's EXIF (Beijing time unless it names its offset)" })),
  location: Type.Optional(Type.Object({ latitude: Type.Number(), longitude: Type.Number() }, { description: "from the photo's EXIF GPS tags" })),
});
const Params = Type.Object({ id: Type.String({ maxLength: 64 }) });
/** The bytes, in the type they were stored as (photos are kept as JPEG, PNG or WebP; thumbnails are WebP). */
const binary = { schema: { type: 'string', format: 'binary' } };
const Bytes = { description: 'The file', content: { 'image/jpeg': binary, 'image/png': binary, 'image/webp': binary, 'application/pdf': binary } };

/** A 415 naming the field whose bytes are not a photo or a PDF. */
export function unsupportedFile(err: UnsupportedFile, field: string): HttpError {
  const message = `${err.message}：只接受${EVIDENCE_RULE}`;
  return new HttpError(415, 'unsupported_media_type', `${field}: ${message}`, [{ field, rule: 'contentType', message }]);
}

/** A file record with its thumbnail's path under the app's mount point (a host may mount it under a prefix). */
export const linkedView =
  (app: FastifyInstance) =>
  (view: EvidenceView): EvidenceView =>
    view.thumbnail ? { ...view, thumbnail: `${app.prefix}/files/${view.id}/thumbnail` } : view;

export async function fileRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const { services } = app;
  const linked = linkedView(app);

  r.post(
    '/files',
    {
      schema: {
        tags: ['files'],
        summary: 'Upload a photo or PDF as evidence (multipart field "file"); 415 for other types, 413 over the size limit',
        consumes: ['multipart/form-data'],
        response: { 201: EvidenceFile },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const limit = { ...DEFAULT_LIMITS, ...services.limits }.fileBytes;
      const upload = await uploadedFile(request, limit);
      try {
        const view = await uploadEvidence(services, actor, { name: upload.filename, bytes: upload.bytes, ip: request.ip });
        return reply.code(201).send(linked(view));
      } catch (err) {
        throw err instanceof UnsupportedFile ? unsupportedFile(err, 'file') : err;
      }
    },
  );

  const serve = async (id: string, request: FastifyRequest, reply: FastifyReply, thumbnail: boolean, signedBy?: { id: string; name: string }) => {
    const actor = signedBy ? { kind: 'user' as const, ...signedBy } : requireActor(request);
    const found = await readEvidence(services, actor, { id, thumbnail, ip: request.ip, ...(signedBy ? { signed: true } : {}) });
    const name = thumbnail ? `${found.file.name}.webp` : found.file.name;
    return reply
      .type(found.contentType)
      .header('content-disposition', `inline; filename*=UTF-8''${encodeURIComponent(name)}`)
      .header('content-security-policy', "default-src 'none'; sandbox")
      .header('cache-control', 'private, max-age=3600')
      .header('etag', `"${found.file.sha256}${thumbnail ? '-t' : ''}"`)
      .send(found.bytes);
  };
  r.get('/files/:id', { schema: { tags: ['files'], summary: 'An uploaded file: to its uploader while no step uses it, then to whoever may see a case it is attached to (404 to others)', params: Params, response: { 200: Bytes } } }, (request, reply) => serve(request.params.id, request, reply, false));
  r.get('/files/:id/thumbnail', { schema: { tags: ['files'], summary: "An image's 320 px WebP thumbnail (same access as the file)", params: Params, response: { 200: { description: 'WebP', content: { 'image/webp': { schema: { type: 'string', format: 'binary' } } } } } } }, (request, reply) => serve(request.params.id, request, reply, true));

  const links = fileLinkSigner(services.fileLinkSecret);
  r.get(
    '/files/:id/link',
    {
      schema: {
        tags: ['files'],
        summary: 'A signed link to the file (or its thumbnail) for the browser, valid 5 minutes, opened without the token; only for a caller who may read it now',
        params: Params,
        querystring: Type.Object({ thumbnail: Type.Optional(Type.Union([Type.Literal('true'), Type.Literal('false')], { description: 'true: a link to the thumbnail' })) }, { additionalProperties: false }),
        response: { 200: Type.Object({ url: Type.String({ description: 'under the app’s mount point' }), expiresAt: Type.String({ format: 'date-time' }) }) },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      const thumbnail = request.query.thumbnail === 'true';
      await readableEvidence(services, actor, { id: request.params.id, thumbnail });
      const link = { id: request.params.id, thumbnail, userId: actor.id, exp: Date.now() + LINK_TTL_MS };
      const query = new URLSearchParams({ u: link.userId, exp: String(link.exp), ...(thumbnail ? { t: '1' } : {}), sig: links.sign(link) });
      return { url: `${app.prefix}/files/${encodeURIComponent(link.id)}/signed?${query}`, expiresAt: new Date(link.exp).toISOString() };
    },
  );
  r.get(
    '/files/:id/signed',
    {
      schema: {
        tags: ['files'],
        summary: 'The file through a signed link from GET /api/files/{id}/link (no token); 403 once it lapsed',
        security: [],
        params: Params,
        querystring: Type.Object(
          { u: Type.String({ maxLength: 64 }), exp: Type.String({ pattern: '^[0-9]{1,15}$' }), t: Type.Optional(Type.Literal('1')), sig: Type.String({ maxLength: 100 }) },
          { additionalProperties: false },
        ),
        response: { 200: Bytes },
      },
    },
    async (request, reply) => {
      const { u, exp, t, sig } = request.query;
      const link = { id: request.params.id, thumbnail: t === '1', userId: u, exp: Number(exp) };
      const user = links.verify(link, sig) ? await services.db.em().findOne(User, { id: u, active: true }) : null;
      if (!user) {
        const message = '链接无效或已过期，请在页面上重新打开 (the link is invalid or has lapsed)';
        throw new Refusal('forbidden', `sig: ${message}`, [{ field: 'sig', rule: 'valid', message }]);
      }
      return serve(link.id, request, reply, link.thumbnail, { id: user.id, name: user.name });
    },
  );
}
