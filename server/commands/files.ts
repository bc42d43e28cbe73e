/**
 * Evidence uploads (issue 22): keep one (`POST /api/files`) and read one back (`GET /api/files/:id`, its
 * thumbnail). Whoever uploaded a file reads it while no step uses it; once a step used it, whoever may
 * see a case it is attached to; anyone else is told it does not exist. Files no step used expire a day
 * after their upload (swept at each upload). Uploads and downloads are audited.
 */
import { randomUUID } from 'node:crypto';
import type { InferEntity } from '@mikro-orm/core';
import { EvidenceFile } from '../../db';
import type { Actor } from '../../contracts/roles';
import type { Services } from '../services';
import { audit } from '../audit';
import { intake } from '../files/intake';
import { notFound } from './refusal';
import { stepDepartments, visibleCase, type VisibleCase } from './visible-case';
import { isHealthFileField, seesCaseHealth } from '../privacy';

type FileRow = InferEntity<typeof EvidenceFile>;

/** How long a file no step used is kept. */
export const UNATTACHED_TTL_MS = 24 * 3600_000;

export interface EvidenceView {
  id: string;
  name: string;
  contentType: string;
  size: number;
  sha256: string;
  /** Images: the path of their 320 px WebP thumbnail, `/api/files/{id}/thumbnail` (under the app's mount point). */
  thumbnail?: string;
  takenAt?: string;
  location?: { latitude: number; longitude: number };
}

export const evidenceView = (f: FileRow): EvidenceView => ({
  id: f.id,
  name: f.name,
  contentType: f.contentType,
  size: f.size,
  sha256: f.sha256,
  ...(f.thumbnailSha256 ? { thumbnail: `/api/files/${f.id}/thumbnail` } : {}),
  ...(f.takenAt ? { takenAt: f.takenAt.toISOString() } : {}),
  ...(f.latitude != null && f.longitude != null ? { location: { latitude: Number(f.latitude), longitude: Number(f.longitude) } } : {}),
});

/** A file name as people gave it, without folders or control characters. */
function cleanName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  const clean = base.replace(/[\u0000-\u001f\u007f]/g, '').trim().slice(0, 200);
  return clean || '未命名文件';
}

/** Keep an upload: sniffed, re-encoded (images), stored under its hash; throws UnsupportedFile for other types. */
export async function uploadEvidence(services: Services, actor: Actor, input: { name: string; bytes: Buffer; ip?: string }): Promise<EvidenceView> {
  const now = new Date();
  await expireUnattached(services, now);
  const kept = await intake(input.bytes);
  await services.files.put(kept.sha256, kept.bytes);
  if (kept.thumbnail) await services.files.put(kept.thumbnail.sha256, kept.thumbnail.bytes);
  const em = services.db.em();
  const row = em.create(EvidenceFile, {
    id: `F${randomUUID().replace(/-/g, '')}`,
    sha256: kept.sha256,
    name: cleanName(input.name),
    contentType: kept.contentType,
    size: kept.bytes.length,
    uploadedBy: actor.id,
    uploadedByName: actor.name,
    uploadedAt: now,
    takenAt: kept.takenAt ?? null,
    latitude: kept.location?.latitude ?? null,
    longitude: kept.location?.longitude ?? null,
    thumbnailSha256: kept.thumbnail?.sha256 ?? null,
    attachedTo: [],
    attachedAt: null,
  });
  await em.flush();
  const view = evidenceView(row);
  await audit(services.db, { actor, action: 'file_upload', target: row.id, ...(input.ip ? { ip: input.ip } : {}), outcome: 'ok', detail: { name: row.name, contentType: row.contentType, size: row.size, sha256: row.sha256 } });
  return view;
}

/** The file (or its thumbnail) if the actor may read it now; 404 alike for none and not theirs. */
export async function readableEvidence(services: Services, actor: Actor, input: { id: string; thumbnail?: boolean }): Promise<EvidenceView> {
  const row = await services.db.em().findOne(EvidenceFile, { id: input.id });
  if (!row || !(input.thumbnail ? row.thumbnailSha256 : row.sha256) || !(await mayRead(services, actor, row))) throw noSuchFile(input.id);
  return evidenceView(row);
}

/**
 * The bytes of a file (or its thumbnail) the actor may read; 404 alike for none and not theirs. `signed`:
 * the actor holds a signed link the API gave them (server/files/links.ts), which stands for the check.
 */
export async function readEvidence(services: Services, actor: Pick<Actor, 'kind' | 'id' | 'name'>, input: { id: string; thumbnail?: boolean; ip?: string; signed?: boolean }): Promise<{ file: EvidenceView; bytes: Buffer; contentType: string }> {
  const row = await services.db.em().findOne(EvidenceFile, { id: input.id });
  const sha256 = input.thumbnail ? row?.thumbnailSha256 : row?.sha256;
  if (!row || !sha256 || !(input.signed || (await mayRead(services, actor as Actor, row)))) throw noSuchFile(input.id);
  const bytes = await services.files.get(sha256);
  if (!bytes) throw noSuchFile(input.id);
  await audit(services.db, { actor, action: 'file_download', target: row.id, ...(input.ip ? { ip: input.ip } : {}), outcome: 'ok', detail: { name: row.name, sha256: row.sha256, ...(input.thumbnail ? { thumbnail: true } : {}), ...(input.signed ? { signedLink: true } : {}) } });
  return { file: evidenceView(row), bytes, contentType: input.thumbnail ? 'image/webp' : row.contentType };
}

export const noSuchFile = (id: string) => notFound(`文件 ${id} 不存在 (no such file)`);

/**
 * Whoever may see a case the file is attached to. A health document (attached to a field of
 * server/privacy.ts PRIVACY.files) only to whoever also sees the health details of a case holding it
 * as one: using it elsewhere does not make it readable to more people.
 */
async function mayRead(services: Services, actor: Actor, row: FileRow): Promise<boolean> {
  if (!row.attachedTo.length) return actor.kind === 'user' && actor.id === row.uploadedBy;
  const health = row.attachedTo.some((a) => isHealthFileField(a.field));
  const uses = health ? row.attachedTo.filter((a) => isHealthFileField(a.field)) : row.attachedTo;
  for (const processId of new Set(uses.map((a) => a.processId))) {
    let found: VisibleCase;
    try {
      found = await visibleCase(services, actor, processId);
    } catch {
      continue; // not this case: try the next one the file is attached to
    }
    if (!health || (await seesHealthOf(services, actor, found))) return true;
  }
  return false;
}

/** The case's health details are the actor's to see (its area, or a department working on one of its steps). */
const seesHealthOf = async (services: Services, actor: Actor, found: VisibleCase) => seesCaseHealth(actor, found, found.departments, await stepDepartments(services, found));

/**
 * Forget the files no step used within a day of their upload, and their bytes where no other upload
 * holds the same ones. Returns how many were forgotten.
 */
export async function expireUnattached(services: Services, now = new Date()): Promise<number> {
  const em = services.db.em();
  const expired = await em.find(EvidenceFile, { attachedAt: null, uploadedAt: { $lt: new Date(now.getTime() - UNATTACHED_TTL_MS) } }, { limit: 500 });
  if (!expired.length) return 0;
  await em.nativeDelete(EvidenceFile, { id: { $in: expired.map((f) => f.id) } });
  const hashes = new Set(expired.flatMap((f) => [f.sha256, f.thumbnailSha256 ?? []].flat()));
  const held = await em.find(EvidenceFile, { $or: [{ sha256: { $in: [...hashes] } }, { thumbnailSha256: { $in: [...hashes] } }] }, { fields: ['sha256', 'thumbnailSha256'] });
  for (const f of held) {
    hashes.delete(f.sha256);
    if (f.thumbnailSha256) hashes.delete(f.thumbnailSha256);
  }
  for (const sha256 of hashes) await services.files.remove(sha256);
  return expired.length;
}
