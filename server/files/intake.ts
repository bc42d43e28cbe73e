/**
 * What an upload becomes before it is kept: its type from its bytes (never its name or the client's
 * header), an image re-encoded by sharp (turned upright, EXIF and every other metadata dropped) with a
 * 320 px WebP thumbnail, and the time and place the photo was taken, read from its EXIF first.
 */
import { createHash } from 'node:crypto';
import sharp from 'sharp';
import exifr from 'exifr';
import { fileTypeFromBuffer } from 'file-type';

/** Types accepted as evidence: photos and PDF documents. */
export const EVIDENCE_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'image/heic', 'image/heif', 'application/pdf'] as const;
export const EVIDENCE_RULE = '照片（JPEG、PNG、WebP、HEIC）或 PDF 文件 (a photo: JPEG, PNG, WebP, HEIC; or a PDF)';

export interface Intake {
  bytes: Buffer;
  sha256: string;
  contentType: string;
  thumbnail?: { bytes: Buffer; sha256: string };
  takenAt?: Date;
  location?: { latitude: number; longitude: number };
}

export class UnsupportedFile extends Error {}

export const sha256Of = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

export async function intake(original: Buffer): Promise<Intake> {
  const sniffed = await fileTypeFromBuffer(original);
  const mime = sniffed?.mime as string | undefined;
  if (mime === 'application/pdf') return { bytes: original, sha256: sha256Of(original), contentType: mime };
  if (!mime || !EVIDENCE_TYPES.includes(mime as never) || !(mime.startsWith('image/') || mime === 'image/heic')) {
    throw new UnsupportedFile(`不是可接受的文件类型（识别为 ${sniffed?.ext ?? '未知'}）`);
  }
  const exif = await readExif(original);
  let bytes: Buffer;
  let contentType: string;
  try {
    const image = sharp(original, { failOn: 'error' }).rotate();
    // HEIC/HEIF is served as JPEG: browsers other than Safari do not show it.
    if (mime === 'image/png') [bytes, contentType] = [await image.png().toBuffer(), mime];
    else if (mime === 'image/webp') [bytes, contentType] = [await image.webp({ quality: 85 }).toBuffer(), mime];
    else [bytes, contentType] = [await image.jpeg({ quality: 85, mozjpeg: true }).toBuffer(), 'image/jpeg'];
  } catch {
    throw new UnsupportedFile('图片无法读取（文件已损坏或格式不受支持）');
  }
  const thumbnailBytes = await sharp(bytes).resize(320, 320, { fit: 'inside', withoutEnlargement: true }).webp({ quality: 70 }).toBuffer();
  return { bytes, sha256: sha256Of(bytes), contentType, thumbnail: { bytes: thumbnailBytes, sha256: sha256Of(thumbnailBytes) }, ...exif };
}

/**
 * The time taken and GPS position of a photo. EXIF times carry no zone unless OffsetTimeOriginal says so:
 * a camera in the district is on Beijing time, so +08:00 is assumed.
 */
async function readExif(bytes: Buffer): Promise<Pick<Intake, 'takenAt' | 'location'>> {
  let tags: Record<string, unknown> | undefined;
  try {
    tags = await exifr.parse(bytes, { gps: true, reviveValues: false, pick: ['DateTimeOriginal', 'CreateDate', 'OffsetTimeOriginal', 'GPSLatitude', 'GPSLatitudeRef', 'GPSLongitude', 'GPSLongitudeRef', 'latitude', 'longitude'] });
  } catch {
    return {}; // unreadable EXIF is no reason to refuse the photo
  }
  if (!tags) return {};
  const out: Pick<Intake, 'takenAt' | 'location'> = {};
  const raw = typeof tags.DateTimeOriginal === 'string' ? tags.DateTimeOriginal : typeof tags.CreateDate === 'string' ? tags.CreateDate : undefined;
  const m = raw?.match(/^(\d{4}):(\d{2}):(\d{2})[ T](\d{2}):(\d{2}):(\d{2})/);
  if (m) {
    const offset = typeof tags.OffsetTimeOriginal === 'string' && /^[+-]\d{2}:\d{2}$/.test(tags.OffsetTimeOriginal) ? tags.OffsetTimeOriginal : '+08:00';
    const at = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${offset}`);
    if (!Number.isNaN(at.getTime())) out.takenAt = at;
  }
  const { latitude, longitude } = tags as { latitude?: unknown; longitude?: unknown };
  if (typeof latitude === 'number' && typeof longitude === 'number' && Number.isFinite(latitude) && Number.isFinite(longitude)) out.location = { latitude, longitude };
  return out;
}
