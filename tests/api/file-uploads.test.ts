/**
 * Resumable uploads over HTTP (issue 22: a village connection drops), on both stores: chunks from the
 * offset the server kept, the offset asked again after a drop, the finished upload the same file record
 * as a whole one; a chunk cut off halfway on a real connection leaves nothing half-written and the
 * upload resumes to the same SHA-256.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { EvidenceFile } from '../../db';
import { s3FileStore } from '../../server/files/s3-store';
import { startTestApp, type TestApp } from '../helpers/app';
import { noisePhoto, photo, upload } from '../helpers/evidence';
import { BUILD_TIMEOUT_MS, buildS3Server, startTestS3, type TestS3 } from '../files/s3-server';

const policyFile = fileURLToPath(new URL('../fixtures/policy-short.yaml', import.meta.url));
const LIMIT = 300 * 1024;
const CADRE = 'cadre.rongguang';
const OTHER = 'cadre.jixing';
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

let s3: TestS3;
beforeAll(async () => {
  await buildS3Server();
}, BUILD_TIMEOUT_MS);
beforeAll(async () => {
  s3 = await startTestS3('uploads');
});
afterAll(async () => s3?.stop());

describe.each(['disk', 'S3'] as const)('resumable uploads (%s store)', (store) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ policyFile, limits: { fileBytes: LIMIT }, worker: false, ...(store === 'S3' ? { files: s3FileStore(s3.url) } : {}) });
  });
  afterAll(async () => t?.close());

  const start = (as: string, body: object) => t.call(as, { method: 'POST', url: '/api/files/uploads', payload: body });
  const chunk = (as: string, id: string, from: number, bytes: Buffer, total: number) =>
    t.call(as, { method: 'PUT', url: `/api/files/uploads/${id}`, payload: bytes, headers: { 'content-type': 'application/octet-stream', 'content-range': `bytes ${from}-${from + bytes.length - 1}/${total}` } });

  it('takes a photo in chunks, says the offset, and finishes as the same file record as a whole upload', async () => {
    const bytes = await noisePhoto(1);
    const started = await start(CADRE, { name: '入户照片.jpg', size: bytes.length, sha256: sha256(bytes) });
    expect(started.statusCode, started.body).toBe(201);
    const { id } = started.json();
    expect(started.json()).toMatchObject({ name: '入户照片.jpg', size: bytes.length, offset: 0 });

    const size = Math.ceil(bytes.length / 3);
    const first = await chunk(CADRE, id, 0, bytes.subarray(0, size), bytes.length);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json().offset).toBe(size);
    const head = await t.call(CADRE, { method: 'HEAD', url: `/api/files/uploads/${id}` });
    expect(head.statusCode).toBe(200);
    expect(head.headers['upload-offset']).toBe(String(size));
    expect((await t.call(CADRE, { method: 'GET', url: `/api/files/uploads/${id}` })).json().offset).toBe(size);

    // A chunk that does not start where the server's bytes end is refused, with the offset to resume from.
    const wrong = await chunk(CADRE, id, 0, bytes.subarray(0, size), bytes.length);
    expect(wrong.statusCode).toBe(409);
    expect(wrong.json().error).toMatchObject({ offset: size, details: [{ field: 'Content-Range', rule: 'offset' }] });

    expect((await chunk(CADRE, id, size, bytes.subarray(size, 2 * size), bytes.length)).statusCode).toBe(200);
    const done = await chunk(CADRE, id, 2 * size, bytes.subarray(2 * size), bytes.length);
    expect(done.statusCode, done.body).toBe(201);
    const file = done.json();
    const whole = (await upload(t, CADRE, '入户照片.jpg', bytes, 'image/jpeg')).json();
    expect(file).toMatchObject({ name: '入户照片.jpg', contentType: 'image/jpeg', sha256: whole.sha256, size: whole.size, thumbnail: `/api/files/${file.id}/thumbnail` });
    expect(await t.services.files.has(file.sha256)).toBe(true);
    expect(sha256((await t.call(CADRE, { method: 'GET', url: `/api/files/${file.id}` })).rawPayload)).toBe(file.sha256);
    // Finished: the upload's parts are gone.
    expect((await t.call(CADRE, { method: 'GET', url: `/api/files/uploads/${id}` })).statusCode).toBe(404);
    expect(await t.services.uploadParts.get(id)).toBeUndefined();
  });

  it('a chunk cut off halfway on the connection keeps nothing of it, and the upload resumes to the same SHA-256', async () => {
    const bytes = await noisePhoto(2);
    const whole = (await upload(t, CADRE, 'whole.jpg', bytes, 'image/jpeg')).json();
    const files = await t.db.em().count(EvidenceFile, {});
    const { id } = (await start(CADRE, { name: '断线.jpg', size: bytes.length })).json();
    const half = Math.floor(bytes.length / 2);
    expect((await chunk(CADRE, id, 0, bytes.subarray(0, half), bytes.length)).statusCode).toBe(200);

    // The rest announced whole, half of it sent, then the connection drops.
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = t.app.server.address() as AddressInfo;
    const token = await t.login(CADRE);
    const rest = bytes.subarray(half);
    await new Promise<void>((resolve) => {
      const req = httpRequest({
        host: '127.0.0.1',
        port,
        method: 'PUT',
        path: `/api/files/uploads/${id}`,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream', 'content-length': rest.length, 'content-range': `bytes ${half}-${bytes.length - 1}/${bytes.length}` },
      });
      req.on('error', () => resolve());
      req.on('close', () => resolve());
      req.write(rest.subarray(0, Math.floor(rest.length / 2)), () => setTimeout(() => req.destroy(), 50));
    });

    const after = await t.call(CADRE, { method: 'GET', url: `/api/files/uploads/${id}` });
    expect(after.statusCode).toBe(200);
    expect(after.json().offset).toBe(half); // nothing of the cut chunk counts
    expect(await t.db.em().count(EvidenceFile, {})).toBe(files); // and no file was made of half a photo

    const resumed = await chunk(CADRE, id, after.json().offset, bytes.subarray(after.json().offset), bytes.length);
    expect(resumed.statusCode, resumed.body).toBe(201);
    expect(resumed.json().sha256).toBe(whole.sha256);
  });

  it('refuses naming the field: over the size limit (413), a range that is not the bytes sent (400), bytes unlike the SHA-256 announced (422), another user (404)', async () => {
    const big = await start(CADRE, { name: 'big.jpg', size: LIMIT + 1 });
    expect(big.statusCode).toBe(413);
    expect(big.json().error.details[0]).toMatchObject({ field: 'size', rule: 'maxSize' });

    const bytes = await photo({ colour: '#224466' });
    const { id } = (await start(CADRE, { name: 'p.jpg', size: bytes.length, sha256: sha256(Buffer.from('other')) })).json();
    expect((await t.call(OTHER, { method: 'GET', url: `/api/files/uploads/${id}` })).statusCode).toBe(404);
    expect((await chunk(OTHER, id, 0, bytes, bytes.length)).statusCode).toBe(404);

    const short = await t.call(CADRE, { method: 'PUT', url: `/api/files/uploads/${id}`, payload: bytes.subarray(1), headers: { 'content-type': 'application/octet-stream', 'content-range': `bytes 0-${bytes.length - 1}/${bytes.length}` } });
    expect(short.statusCode).toBe(400);
    expect(short.json().error.details[0]).toMatchObject({ field: 'Content-Range' });

    const mismatch = await chunk(CADRE, id, 0, bytes, bytes.length);
    expect(mismatch.statusCode).toBe(422);
    expect(mismatch.json().error.details[0]).toMatchObject({ field: 'sha256', rule: 'matches' });
    expect((await t.call(CADRE, { method: 'GET', url: `/api/files/uploads/${id}` })).statusCode).toBe(404); // start again

    const text = Buffer.from('<script>alert(1)</script>');
    const t2 = (await start(CADRE, { name: 'x.jpg', size: text.length })).json();
    const refused = await chunk(CADRE, t2.id, 0, text, text.length);
    expect(refused.statusCode).toBe(415);
    expect(refused.json().error.details[0]).toMatchObject({ field: 'file', rule: 'contentType' });
  });

  it('forgets an upload not finished within a day', async () => {
    const { id } = (await start(CADRE, { name: 'old.jpg', size: 10 })).json();
    const part = (await t.services.uploadParts.get(id))!;
    await t.services.uploadParts.start({ ...part, startedAt: new Date(Date.now() - 25 * 3600_000).toISOString() });
    expect((await t.call(CADRE, { method: 'GET', url: `/api/files/uploads/${id}` })).statusCode).toBe(404);
    await start(CADRE, { name: 'new.jpg', size: 10 }); // each start sweeps the lapsed ones
    expect(await t.services.uploadParts.get(id)).toBeUndefined();
  });
});
