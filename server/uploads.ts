/**
 * Reading the one file of a multipart upload (field `file`), for every route that takes one. A body the
 * multipart parser cannot read (no part, a boundary it never uses, a part cut short) is the client's
 * mistake, a 400; a file over the limit is a 413 naming the field; a body that is not multipart a 415.
 */
import type { FastifyRequest } from 'fastify';
import type {} from '@fastify/multipart';
import { HttpError, asHttpError, invalidField } from './errors';

/** A `boundary` parameter with a value, quoted or not (RFC 2046 §5.1.1). */
const MULTIPART_BOUNDARY = /;\s*boundary=(?:"[^"]+"|[^\s";]+)/i;

export async function uploadedFile(request: FastifyRequest, maxBytes?: number): Promise<{ filename: string; bytes: Buffer; fields: Record<string, string> }> {
  if (!request.isMultipart()) throw new HttpError(415, 'unsupported_media_type', 'upload the file as multipart/form-data in the field "file"');
  // The multipart parser fails on a missing boundary with an error of its own (a 500): the client's mistake.
  if (!MULTIPART_BOUNDARY.test(String(request.headers['content-type']))) throw invalidField('Content-Type', 'boundary', 'multipart/form-data needs a non-empty boundary parameter');
  try {
    const file = await request.file(maxBytes ? { limits: { fileSize: maxBytes } } : undefined);
    if (!file) throw invalidField('file', 'required', 'no file uploaded (multipart field "file")');
    // The form's text fields sent before the file (a department's batch names its department and kind).
    const fields: Record<string, string> = {};
    for (const [name, field] of Object.entries(file.fields)) {
      const value = Array.isArray(field) ? field[0] : field;
      if (value && value.type === 'field' && name !== 'file') fields[name] = String(value.value);
    }
    return { filename: file.filename, bytes: await file.toBuffer(), fields };
  } catch (err) {
    if (asHttpError(err)) throw err;
    if ((err as { statusCode?: unknown }).statusCode === 413 && maxBytes) {
      throw tooLarge('file', maxBytes);
    }
    if ((err as { statusCode?: unknown }).statusCode !== undefined) throw err;
    throw invalidField('file', 'multipart', `not a readable multipart/form-data body (${err instanceof Error ? err.message : 'unreadable'})`);
  }
}

/** A 413 naming the field whose file is over `maxBytes`. */
export function tooLarge(field: string, maxBytes: number, rule = 'maxSize'): HttpError {
  const size = maxBytes >= 1024 * 1024 ? `${Math.floor(maxBytes / 1024 / 1024)} MB` : `${Math.ceil(maxBytes / 1024)} KB`;
  const message = `文件不能超过 ${size} (the file is larger than ${maxBytes} bytes)`;
  return new HttpError(413, 'payload_too_large', `${field}: ${message}`, [{ field, rule, message }]);
}
