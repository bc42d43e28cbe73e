/**
 * Evidence for API tests: a multipart upload of `POST /api/files`, and small real photos built with
 * sharp (with EXIF when asked), so that steps needing a photo can be completed.
 */
import sharp from 'sharp';
import { expect } from 'vitest';
import type { TestApp } from './app';

/** A multipart/form-data body with one file in the field `file`. */
export function multipartFile(name: string, bytes: Buffer, contentType = 'application/octet-stream'): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----fangfan${Math.random().toString(16).slice(2)}`;
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: ${contentType}\r\n\r\n`;
  return { payload: Buffer.concat([Buffer.from(head), bytes, Buffer.from(`\r\n--${boundary}--\r\n`)]), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

export const upload = (t: Pick<TestApp, 'call'>, as: string, name: string, bytes: Buffer, contentType?: string) => t.call(as, { method: 'POST', url: '/api/files', ...multipartFile(name, bytes, contentType) });

/** A small JPEG photo; `exif` adds a time taken (EXIF local time) and a GPS position. */
export async function photo(opts: { colour?: string; exif?: { takenAt: string; latitude?: string; longitude?: string } } = {}): Promise<Buffer> {
  let image = sharp({ create: { width: 80, height: 60, channels: 3, background: opts.colour ?? '#3a7' } }).jpeg();
  if (opts.exif) {
    image = image.withExif({
      IFD0: { Make: 'fangfan-test' },
      IFD2: { DateTimeOriginal: opts.exif.takenAt },
      ...(opts.exif.latitude ? { IFD3: { GPSLatitudeRef: 'N', GPSLatitude: opts.exif.latitude, GPSLongitudeRef: 'E', GPSLongitude: opts.exif.longitude ?? '106/1 37/1 30/1' } } : {}),
    } as never);
  }
  return image.toBuffer();
}

/** Upload a fresh photo as `as` and return its file id (for a step form's photo field). */
export async function photoId(t: Pick<TestApp, 'call'>, as: string, colour = `#${Math.floor(Math.random() * 0xffffff).toString(16).padStart(6, '0')}`): Promise<string> {
  const res = await upload(t, as, '现场照片.jpg', await photo({ colour }), 'image/jpeg');
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id as string;
}
