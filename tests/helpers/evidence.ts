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

/** A JPEG of noise (it does not compress): big enough to go up in several chunks of a resumable upload. */
export async function noisePhoto(seed: number, width = 200, height = 150): Promise<Buffer> {
  const raw = Buffer.alloc(width * height * 3);
  let x = seed;
  for (let i = 0; i < raw.length; i++) raw[i] = (x = (x * 1103515245 + 12345) & 0x7fffffff) >> 16;
  return sharp(raw, { raw: { width, height, channels: 3 } }).jpeg({ quality: 95 }).toBuffer();
}

/** A new identification of a 荣光村 household (cadres `cadre` and `cadre2`), at its public notice with the notice minimum passed. */
export async function identificationAtNotice(t: TestApp, cadre = 'cadre.rongguang', cadre2 = 'cadre.rongguang2'): Promise<string> {
  const step = (as: string, id: string, key: string, body: object) => t.call(as, { method: 'POST', url: `/api/processes/${encodeURIComponent(id)}/steps/${key}`, payload: body });
  const households = (await t.call('admin', { method: 'GET', url: `/api/households?filter=${encodeURIComponent(JSON.stringify({ village: '荣光村' }))}&range=[0,99]` })).json() as { id: string }[];
  for (const { id: householdId } of households) {
    const started = await t.call(cadre, { method: 'POST', url: '/api/processes', payload: { type: 'identification', input: { householdId, channel: 'cadre_check', category: 'marginal', riskTypes: ['illness'], description: '户主患病' } } });
    if (started.statusCode !== 201) continue; // one open case per household
    const { id } = started.json();
    const verification = { verifiedOn: '2026-11-20', coVerifierId: cadre2, memberCount: 4, perCapitaIncome: 5600, guarantees: { foodClothing: 'secure', education: 'secure', medical: 'at_risk', housing: 'secure', water: 'secure' }, findings: '住院费用高' };
    expect((await step(cadre, id, 'homeVerification', verification)).statusCode).toBe(200);
    const res = await step(cadre2, id, 'villageReview', { heldOn: '2026-11-21', participants: 30, result: 'pass', minutes: '同意纳入' });
    const open = res.json().state.steps.find((s: { key: string; status: string }) => s.key === 'publicNotice' && s.status === 'open');
    await new Promise((r) => setTimeout(r, Math.max(0, Date.parse(open.context.earliestCompletion) - Date.now() + 200)));
    return id;
  }
  throw new Error('no household of 荣光村 without an open case');
}
