/**
 * Evidence files over HTTP (issue 22): upload, dedupe, the type from the bytes, the size limit, EXIF read
 * then stripped, who may read a file, expiry of files no step used.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import exifr from 'exifr';
import { EvidenceFile } from '../../db';
import { startTestApp, type TestApp } from '../helpers/app';
import { identificationAtNotice, multipartFile, photo, photoId, upload } from '../helpers/evidence';

const policyFile = fileURLToPath(new URL('../fixtures/policy-short.yaml', import.meta.url));
const LIMIT = 300 * 1024;
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ policyFile, limits: { fileBytes: LIMIT } });
});
afterAll(async () => t?.close());

const CADRE = 'cadre.rongguang';
const CADRE2 = 'cadre.rongguang2';
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

    const audit = await t.db.em().getConnection().execute<{ action: string }[]>(`select action, target from audit_entry where target = ? order by id`, [file.id]);
    expect(audit.map((a) => a.action)).toEqual(['file_upload', 'file_download', 'file_download']);
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

  it('an upload cut off halfway (the connection dropped) keeps nothing: no file, no row', async () => {
    const bytes = await photo({ colour: '#fedcba' });
    const { payload, headers } = multipartFile('cut.jpg', bytes, 'image/jpeg');
    const before = await t.db.em().count(EvidenceFile, {});
    const res = await t.call(CADRE, { method: 'POST', url: '/api/files', payload: payload.subarray(0, Math.floor(payload.length / 2)), headers });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details[0]).toMatchObject({ field: 'file', rule: 'multipart' });
    expect(await t.db.em().count(EvidenceFile, {})).toBe(before);
    // The whole photo, sent again, is kept as if the first attempt never happened.
    const again = await t.call(CADRE, { method: 'POST', url: '/api/files', payload, headers });
    expect(again.statusCode).toBe(201);
    expect(await t.services.files.has(again.json().sha256)).toBe(true);
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

  it('gives the browser a signed link, valid a few minutes, that opens the file without the token', async () => {
    const file = (await upload(t, CADRE, '凭证.jpg', await photo({ colour: '#0a0b0c' }))).json();
    expect((await get(OTHER_CADRE, `/api/files/${file.id}/link`)).statusCode).toBe(404); // only for who may read it
    const link = (await get(CADRE, `/api/files/${file.id}/link`)).json();
    expect(Date.parse(link.expiresAt) - Date.now()).toBeLessThanOrEqual(5 * 60_000);
    const opened = await t.call(null, { method: 'GET', url: link.url });
    expect(opened.statusCode).toBe(200);
    expect(sha256(opened.rawPayload)).toBe(file.sha256);
    const thumb = (await get(CADRE, `/api/files/${file.id}/link?thumbnail=true`)).json();
    expect((await t.call(null, { method: 'GET', url: thumb.url })).headers['content-type']).toBe('image/webp');

    // Changed in any part (a later expiry, another user, another file), the signature no longer holds.
    const url = new URL(link.url, 'http://x');
    const later = new URL(url);
    later.searchParams.set('exp', String(Number(url.searchParams.get('exp')) + 60_000));
    const other = new URL(url);
    other.searchParams.set('u', OTHER_CADRE);
    for (const bad of [later, other]) {
      const res = await t.call(null, { method: 'GET', url: `${bad.pathname}${bad.search}` });
      expect(res.statusCode).toBe(403);
      expect(res.json().error.details[0]).toMatchObject({ field: 'sig', rule: 'valid' });
    }
    const audit = await t.db.em().getConnection().execute<{ action: string; actor_id: string }[]>(`select action, actor_id from audit_entry where target = ? and action = 'file_download'`, [file.id]);
    expect(audit.map((a) => a.actor_id)).toEqual([CADRE, CADRE]);
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

describe('files on a step: the notice photo', () => {
  const step = (as: string, id: string, key: string, body: object) => t.call(as, { method: 'POST', url: `/api/processes/${encodeURIComponent(id)}/steps/${key}`, payload: body });
  /** Posted the day the notice opened (today) and taken down today. */
  const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
  const notice = { postedOn: today, endedOn: today, location: '村务公开栏' };

  const atNotice = () => identificationAtNotice(t, CADRE, CADRE2);

  it('refuses the notice without a photo of it (422 naming the field), with a file not the cadre’s, or with a PDF', async () => {
    const id = await atNotice();
    let res = await step(CADRE, id, 'publicNotice', notice);
    expect(res.statusCode).toBe(422);
    expect(res.json().error.details).toEqual([expect.objectContaining({ field: 'photos', rule: 'requiredEvidence' })]);
    expect(res.json().error.message).toContain('公示的现场照片');
    res = await step(CADRE, id, 'publicNotice', { ...notice, photos: [] });
    expect(res.statusCode).toBe(422);

    const someoneElses = await photoId(t, CADRE2);
    res = await step(CADRE, id, 'publicNotice', { ...notice, photos: [someoneElses] });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.details[0]).toMatchObject({ field: 'photos.0', rule: 'file' });

    const pdf = (await upload(t, CADRE, 'notice.pdf', Buffer.from('%PDF-1.4\n%%EOF\n'))).json();
    res = await step(CADRE, id, 'publicNotice', { ...notice, photos: [pdf.id] });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.details[0]).toMatchObject({ field: 'photos', rule: 'photo' });

    res = await step(CADRE, id, 'publicNotice', { ...notice, photos: ['not-a-file-id'] });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details[0]).toMatchObject({ field: 'photos.0', rule: 'format' });
    expect((await get(CADRE, `/api/processes/${encodeURIComponent(id)}`)).json().stage).toBe('publicNotice');
  });

  it('takes the notice with the cadre’s photo: the case and its history record its SHA-256, the town may then read it', async () => {
    const id = await atNotice();
    // A photo taken long before the notice: kept, and its time goes with it so the reviewer sees it.
    const file = (await upload(t, CADRE, '公示.jpg', await photo({ colour: '#aa0011', exif: { takenAt: '2026:01:02 08:00:00' } }))).json();
    const takenAt = '2026-01-02T00:00:00.000Z';
    const ref = { field: 'photos', id: file.id, sha256: file.sha256, takenAt, flags: [{ rule: 'takenBeforeStep', takenAt, days: expect.any(Number) }] };
    expect((await get(TOWN, `/api/files/${file.id}`)).statusCode).toBe(404);

    const res = await step(CADRE, id, 'publicNotice', { ...notice, photos: [file.id] });
    expect(res.statusCode, res.body).toBe(200);
    const done = res.json().state.steps.find((s: { key: string }) => s.key === 'publicNotice');
    expect(done.evidence).toEqual([ref]);

    const history = (await get(TOWN, `/api/processes/${encodeURIComponent(id)}/history`)).json() as { step?: string; files?: unknown }[];
    expect(history.find((e) => e.step === 'publicNotice')!.files).toEqual([ref]);

    // Attached: whoever may see the case reads it (the town, the uploader); another village's cadre may not.
    const served = await get(TOWN, `/api/files/${file.id}`);
    expect(served.statusCode).toBe(200);
    expect(sha256(served.rawPayload)).toBe(file.sha256);
    expect((await get(TOWN, `/api/files/${file.id}/thumbnail`)).statusCode).toBe(200);
    expect((await get(CADRE, `/api/files/${file.id}`)).statusCode).toBe(200);
    expect((await get(OTHER_CADRE, `/api/files/${file.id}`)).statusCode).toBe(404);

    // An attached file never expires.
    await t.db.em().nativeUpdate(EvidenceFile, { id: file.id }, { uploadedAt: new Date(Date.now() - 30 * 24 * 3600_000) });
    await upload(t, CADRE, 'another.jpg', await photo({ colour: '#010203' }));
    expect((await get(TOWN, `/api/files/${file.id}`)).statusCode).toBe(200);
  });
});
