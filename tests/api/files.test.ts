/**
 * Evidence files over HTTP (issue 22): upload, dedupe, the type from the bytes, the size limit, EXIF read
 * then stripped, who may read a file, expiry of files no step used.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import sharp from 'sharp';
import exifr from 'exifr';
import { EvidenceFile } from '../../db';
import { startTestApp, type TestApp } from '../helpers/app';
import { photo, upload } from '../helpers/evidence';

const LIMIT = 300 * 1024;
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ worker: false, limits: { fileBytes: LIMIT } });
});
afterAll(async () => t?.close());

const CADRE = 'cadre.rongguang';
const OTHER_CADRE = 'cadre.jixing';
const TOWN = 'town.tongjing';
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const get = (as: string, url: string) => t.call(as, { method: 'GET', url });

describe('POST /api/files and GET /api/files/{id}', () => {
  it('keeps a photo re-encoded without its EXIF, after reading when and where it was taken', async () => {
    const original = await photo({ exif: { takenAt: '2026:12:01 09:30:00', latitude: '29/1 43/1 0/1', longitude: '106/1 37/1 30/1' } });
    expect((await exifr.parse(original)).DateTimeOriginal).toBeTruthy(); // the photo as taken carries it
    const res = await upload(t, CADRE, '公示照片.jpg', original, 'image/jpeg');
    expect(res.statusCode, res.body).toBe(201);
    const file = res.json();
    expect(file).toMatchObject({ name: '公示照片.jpg', contentType: 'image/jpeg', takenAt: '2026-12-01T01:30:00.000Z', thumbnail: `/api/files/${file.id}/thumbnail` });
    expect(file.location.latitude).toBeCloseTo(29.7167, 3);
    expect(file.location.longitude).toBeCloseTo(106.625, 3);

    const served = await get(CADRE, `/api/files/${file.id}`);
    expect(served.statusCode).toBe(200);
    expect(served.headers['content-type']).toBe('image/jpeg');
    expect(served.rawPayload.length).toBe(file.size);
    expect(sha256(served.rawPayload)).toBe(file.sha256);
    expect(await exifr.parse(served.rawPayload)).toBeUndefined(); // no EXIF at all: no time, no place, no camera
    expect((await sharp(served.rawPayload).metadata()).width).toBe(80);

    const thumb = await get(CADRE, file.thumbnail);
    expect(thumb.statusCode).toBe(200);
    expect(thumb.headers['content-type']).toBe('image/webp');
    expect((await sharp(thumb.rawPayload).metadata()).format).toBe('webp');

    const audit = await t.db.em().getConnection().execute(`select action, target from audit_entry where target = ? order by id`, [file.id]);
    expect(audit.map((a: { action: string }) => a.action)).toEqual(['file_upload', 'file_download', 'file_download']);
  });

  it('the same bytes twice are one stored file: the same sha256, two uploads', async () => {
    const bytes = await photo({ colour: '#123456' });
    const a = (await upload(t, CADRE, 'a.jpg', bytes)).json();
    const b = (await upload(t, CADRE, 'b.jpg', bytes)).json();
    expect(a.id).not.toBe(b.id);
    expect(b.sha256).toBe(a.sha256);
    expect(await t.services.files.has(a.sha256)).toBe(true);
  });

  it('takes the type from the bytes, not the name: a PNG named .pdf is a PNG, a text named .jpg is refused', async () => {
    const png = await sharp({ create: { width: 20, height: 20, channels: 4, background: '#fff' } }).png().toBuffer();
    const res = await upload(t, CADRE, '凭证.pdf', png, 'application/pdf');
    expect(res.statusCode).toBe(201);
    expect(res.json().contentType).toBe('image/png');
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');
    const doc = await upload(t, CADRE, 'receipt', pdf);
    expect(doc.statusCode).toBe(201);
    expect(doc.json()).toMatchObject({ contentType: 'application/pdf', size: pdf.length, sha256: sha256(pdf) });
    expect(doc.json().thumbnail).toBeUndefined();

    const text = await upload(t, CADRE, 'photo.jpg', Buffer.from('<script>alert(1)</script>'), 'image/jpeg');
    expect(text.statusCode).toBe(415);
    expect(text.json().error.details[0]).toMatchObject({ field: 'file', rule: 'contentType' });
    expect(text.json().error.message).toContain('PDF');
  });

  it('refuses a file over the limit with 413 naming the field, and a body without a file with 400', async () => {
    const big = await upload(t, CADRE, 'big.jpg', Buffer.alloc(LIMIT + 10, 1));
    expect(big.statusCode).toBe(413);
    expect(big.json().error.details[0]).toMatchObject({ field: 'file', rule: 'maxSize' });
    const none = await t.call(CADRE, { method: 'POST', url: '/api/files', payload: { file: 'x' } });
    expect(none.statusCode).toBe(415);
  });

  it('an unattached file is its uploader’s alone: anyone else, even the town, is told it does not exist', async () => {
    const file = (await upload(t, CADRE, 'x.jpg', await photo({ colour: '#654321' }))).json();
    for (const who of [OTHER_CADRE, TOWN, 'cadre.rongguang2']) {
      expect((await get(who, `/api/files/${file.id}`)).statusCode).toBe(404);
      expect((await get(who, `/api/files/${file.id}/thumbnail`)).statusCode).toBe(404);
    }
    expect((await get(CADRE, '/api/files/Fdeadbeefdeadbeefdeadbeefdeadbeef')).statusCode).toBe(404);
    expect((await t.call(null, { method: 'GET', url: `/api/files/${file.id}` })).statusCode).toBe(401);
  });

  it('files no step used expire a day after their upload, with their bytes unless another upload holds them', async () => {
    const lonely = (await upload(t, CADRE, 'old.jpg', await photo({ colour: '#0000fe' }))).json();
    const shared = await photo({ colour: '#00fe00' });
    const old = (await upload(t, CADRE, 'old-shared.jpg', shared)).json();
    await t.db.em().nativeUpdate(EvidenceFile, { id: { $in: [lonely.id, old.id] } }, { uploadedAt: new Date(Date.now() - 25 * 3600_000) });
    const fresh = (await upload(t, CADRE, 'new-shared.jpg', shared)).json(); // an upload sweeps the expired ones
    expect((await get(CADRE, `/api/files/${lonely.id}`)).statusCode).toBe(404);
    expect((await get(CADRE, `/api/files/${old.id}`)).statusCode).toBe(404);
    expect(await t.services.files.has(lonely.sha256)).toBe(false);
    expect((await get(CADRE, `/api/files/${fresh.id}`)).statusCode).toBe(200);
    expect(await t.services.files.has(fresh.sha256)).toBe(true);
  });
});
