/**
 * Resumable uploads for weak village connections (server/commands/file-uploads.ts):
 * `POST /api/files/uploads` {name, size, sha256?} starts one; `PUT /api/files/uploads/:id` sends a
 * chunk (`Content-Range: bytes START-END/TOTAL`, body application/octet-stream) from where the server's
 * bytes end; `GET` (or `HEAD`) `/api/files/uploads/:id` says that offset after a drop (also as
 * `Upload-Offset`). The last chunk answers 201 with the same file record as `POST /api/files`.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { requireActor } from '../auth';
import { DEFAULT_LIMITS } from '../security';
import { tooLarge } from '../uploads';
import { UnsupportedFile } from '../files/intake';
import { badChunk, sendChunk, startUpload, uploadState, type UploadState } from '../commands/file-uploads';
import { EvidenceFile, linkedView, unsupportedFile } from './files';

const Upload = Type.Object({
  id: Type.String({ description: 'the upload, for its chunks' }),
  name: Type.String(),
  size: Type.Integer({ description: 'bytes announced' }),
  offset: Type.Integer({ description: 'bytes kept so far: where the next chunk starts' }),
  expiresAt: Type.String({ format: 'date-time', description: 'an upload not finished by then is forgotten (a day after its start)' }),
});
const Params = Type.Object({ id: Type.String({ maxLength: 64 }) });
const CONTENT_RANGE = /^bytes (\d{1,12})-(\d{1,12})\/(\d{1,12})$/;

export async function fileUploadRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const { services } = app;
  const limit = () => ({ ...DEFAULT_LIMITS, ...services.limits }).fileBytes;
  const linked = linkedView(app);
  const withOffset = (reply: FastifyReply, state: UploadState) => reply.header('upload-offset', String(state.offset)).header('upload-length', String(state.size));
  app.addContentTypeParser('application/octet-stream', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

  r.post(
    '/files/uploads',
    {
      schema: {
        tags: ['files'],
        summary: 'Start a resumable upload (a weak connection): its chunks follow with PUT /api/files/uploads/{id}; 413 over the size limit',
        body: Type.Object(
          {
            name: Type.String({ minLength: 1, maxLength: 255, description: 'the file name as people gave it' }),
            size: Type.Integer({ minimum: 1, description: 'bytes that will be sent' }),
            sha256: Type.Optional(Type.String({ pattern: '^[0-9a-fA-F]{64}$', description: 'of the whole file: the upload is refused (422) if what arrived differs' })),
          },
          { additionalProperties: false },
        ),
        response: { 201: Upload },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      if (request.body.size > limit()) throw tooLarge('size', limit());
      const state = await startUpload(services, actor, request.body);
      return withOffset(reply.code(201), state).send(state);
    },
  );

  r.get(
    '/files/uploads/:id',
    { schema: { tags: ['files'], summary: 'Where a resumable upload stands (also HEAD, header Upload-Offset): resume from `offset` after a drop; 404 once finished, expired or not yours', params: Params, response: { 200: Upload } } },
    async (request, reply) => {
      const state = await uploadState(services, requireActor(request), request.params.id);
      return withOffset(reply, state).send(state);
    },
  );

  r.put(
    '/files/uploads/:id',
    {
      bodyLimit: limit(),
      schema: {
        tags: ['files'],
        summary:
          'Send a chunk of a resumable upload: body application/octet-stream, header Content-Range "bytes START-END/TOTAL" starting at the upload\'s offset (409 with `offset` otherwise, nothing kept). 200 while more is due; 201 with the file once the last byte arrived (415 for other types, 422 naming sha256 if the bytes differ from the one announced)',
        consumes: ['application/octet-stream'],
        params: Params,
        headers: Type.Object({ 'content-range': Type.Optional(Type.String({ maxLength: 60 })) }),
        response: { 200: Upload, 201: EvidenceFile },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const bytes = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const range = request.headers['content-range'];
      const m = range ? CONTENT_RANGE.exec(range) : null;
      if (!m) throw badChunk('须为 “bytes 起-止/总数” (expected "bytes START-END/TOTAL")');
      const [start, end, total] = [Number(m[1]), Number(m[2]), Number(m[3])];
      if (end < start || end - start + 1 !== bytes.length) throw badChunk(`声明 ${end - start + 1} 字节，实际收到 ${bytes.length} 字节 (the range does not match the bytes sent)`);
      try {
        const { state, file } = await sendChunk(services, actor, { id: request.params.id, start, total, bytes, ip: request.ip });
        if (file) return reply.code(201).send(linked(file));
        return withOffset(reply, state).send(state);
      } catch (err) {
        throw err instanceof UnsupportedFile ? unsupportedFile(err, 'file') : err;
      }
    },
  );
}
