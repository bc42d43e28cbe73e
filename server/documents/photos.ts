/**
 * The photos a printed document shows (the notice on the village board, the rebuilt house at acceptance,
 * a fixed problem): the 320 px thumbnails the intake re-encoded without EXIF (server/files/intake.ts), read
 * from the file store and inlined as `data:` URIs so the page prints on its own. Only images, and never
 * a file of a health-document field (server/privacy.ts PRIVACY.files), whoever prints.
 */
import { EvidenceFile } from '../../db';
import type { EvidenceRef } from '../../contracts/steps';
import { isHealthFileField } from '../privacy';
import type { Services } from '../services';
import type { Block } from './layout';

/** A file a step used, with what the page says under it. */
export interface PhotoPick {
  ref: Pick<EvidenceRef, 'field' | 'id'>;
  caption: string;
}

/** At most this many photos on one page (the rest stay in the case). */
export const MAX_PHOTOS = 12;

/** The photos block of the picked files that are images (none: no block). */
export async function photoBlock(services: Services, heading: string, picks: PhotoPick[]): Promise<Block[]> {
  const wanted = picks.filter((p) => !isHealthFileField(p.ref.field));
  if (!wanted.length) return [];
  const rows = await services.db.em().find(EvidenceFile, { id: { $in: [...new Set(wanted.map((p) => p.ref.id))] } });
  const byId = new Map(rows.map((r) => [r.id, r]));
  const photos: { src: string; caption: string }[] = [];
  const seen = new Set<string>();
  for (const pick of wanted) {
    const row = byId.get(pick.ref.id);
    if (!row?.thumbnailSha256 || !row.contentType.startsWith('image/') || seen.has(row.id) || photos.length >= MAX_PHOTOS) continue;
    seen.add(row.id);
    const bytes = await services.files.get(row.thumbnailSha256);
    if (bytes) photos.push({ src: `data:image/webp;base64,${bytes.toString('base64')}`, caption: pick.caption });
  }
  return photos.length ? [{ kind: 'photos', heading, photos }] : [];
}

/** The picks of the done steps of these keys, numbered under one caption (现场照片1, 现场照片2…). */
export function stepPhotos(steps: { key: string; status: string; evidence?: EvidenceRef[] }[], keys: string[], caption: string): PhotoPick[] {
  const refs = steps.filter((s) => keys.includes(s.key) && s.status === 'done').flatMap((s) => s.evidence ?? []);
  return refs.map((ref, i) => ({ ref, caption: refs.length > 1 ? `${caption}${i + 1}` : caption }));
}
