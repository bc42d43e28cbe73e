/**
 * Resumable uploads (issue 22: a village connection drops): start one (its name, size and, if the
 * client knows it, SHA-256), send it in chunks from the offset the server has kept, ask for that offset
 * again after a drop. The last chunk finishes it through the same intake as a whole upload
 * (uploadEvidence: sniffed, re-encoded, stored under its hash), and the answer is the same file record.
 * An upload is its starter's alone (404 to anyone else); one not finished within a day is forgotten.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Actor } from '../../contracts/roles';
import type { Services } from '../services';
import type { UploadPart } from '../files/upload-parts';
import { uploadEvidence, type EvidenceView } from './files';
import { Refusal, badRequest, invalidField, notFound } from './refusal';

/** How long an unfinished upload is kept. */
export const UPLOAD_TTL_MS = 24 * 3600_000;

export interface UploadState {
  id: string;
  name: string;
  size: number;
  offset: number;
  expiresAt: string;
}

const stateOf = (p: UploadPart): UploadState => ({ id: p.id, name: p.name, size: p.size, offset: p.offset, expiresAt: new Date(new Date(p.startedAt).getTime() + UPLOAD_TTL_MS).toISOString() });

export const noSuchUpload = (id: string) => notFound(`上传 ${id} 不存在或已过期，请重新上传 (no such upload of yours)`);

export async function startUpload(services: Services, actor: Actor, input: { name: string; size: number; sha256?: string; now?: Date }): Promise<UploadState> {
  const now = input.now ?? new Date();
  await services.uploadParts.expire(new Date(now.getTime() - UPLOAD_TTL_MS));
  const part: UploadPart = {
    id: `U${randomUUID().replace(/-/g, '')}`,
    name: input.name,
    size: input.size,
    ...(input.sha256 ? { sha256: input.sha256.toLowerCase() } : {}),
    uploadedBy: actor.id,
    startedAt: now.toISOString(),
    offset: 0,
  };
  await services.uploadParts.start(part);
  return stateOf(part);
}

async function ownPart(services: Services, actor: Actor, id: string): Promise<UploadPart> {
  const part = await services.uploadParts.get(id);
  if (!part || part.uploadedBy !== actor.id || Date.now() - new Date(part.startedAt).getTime() > UPLOAD_TTL_MS) throw noSuchUpload(id);
  return part;
}

export const uploadState = async (services: Services, actor: Actor, id: string): Promise<UploadState> => stateOf(await ownPart(services, actor, id));

/** One upload's chunks are taken one at a time (in this process): two at once would both start at the same offset. */
const busy = new Map<string, Promise<unknown>>();

/**
 * A chunk starting at `start`: taken when it starts where the kept bytes end (409 with the offset
 * otherwise, nothing written). Returns the state, and the file record once the last byte arrived.
 */
export async function sendChunk(services: Services, actor: Actor, input: { id: string; start: number; total?: number; bytes: Buffer; ip?: string }): Promise<{ state: UploadState; file?: EvidenceView }> {
  const before = busy.get(input.id) ?? Promise.resolve();
  const run = before.catch(() => undefined).then(() => takeChunk(services, actor, input));
  busy.set(input.id, run);
  try {
    return await run;
  } finally {
    if (busy.get(input.id) === run) busy.delete(input.id);
  }
}

async function takeChunk(services: Services, actor: Actor, input: { id: string; start: number; total?: number; bytes: Buffer; ip?: string }): Promise<{ state: UploadState; file?: EvidenceView }> {
  let part = await ownPart(services, actor, input.id);
  if (input.total !== undefined && input.total !== part.size) {
    throw invalidField('Content-Range', 'size', `总大小 ${input.total} 与开始上传时的 ${part.size} 不符 (the total differs from the size announced)`);
  }
  if (input.start !== part.offset) {
    const message = `已收到 ${part.offset} 字节，请从该处续传 (the upload stands at offset ${part.offset})`;
    throw new Refusal('conflict', `Content-Range: ${message}`, [{ field: 'Content-Range', rule: 'offset', message }], { offset: part.offset, size: part.size });
  }
  if (part.offset + input.bytes.length > part.size) {
    throw invalidField('Content-Range', 'size', `超出开始上传时声明的 ${part.size} 字节 (more bytes than announced)`);
  }
  if (input.bytes.length) part = await services.uploadParts.append(part, input.bytes);
  if (part.offset < part.size) return { state: stateOf(part) };

  const bytes = await services.uploadParts.read(part);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  if (part.sha256 && sha256 !== part.sha256) {
    await services.uploadParts.remove(part.id);
    const message = `收到的文件与声明的 SHA-256 不符，请重新上传 (the bytes received hash to ${sha256})`;
    throw new Refusal('rule_violation', `sha256: ${message}`, [{ field: 'sha256', rule: 'matches', message }]);
  }
  try {
    const file = await uploadEvidence(services, actor, { name: part.name, bytes, ...(input.ip ? { ip: input.ip } : {}) });
    return { state: stateOf(part), file };
  } finally {
    // Kept as evidence, or refused for its type: either way nothing more will come for this upload.
    await services.uploadParts.remove(part.id);
  }
}

export const badChunk = (message: string) => badRequest(`Content-Range: ${message}`, [{ field: 'Content-Range', rule: 'format', message }]);
