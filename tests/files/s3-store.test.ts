/**
 * The S3-compatible file store (server/files/s3-store.ts) against a real S3 server, the Versity gateway
 * built from the Go module proxy (tests/files/s3-server.ts): the same suite as the local disk store, then
 * what only this store has — FILE_STORE_URL's format, credentials kept out of every message, and bytes
 * changed behind the store's back refused.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileStoreError, maskFileStoreUrl, parseFileStoreUrl, s3FileStore } from '../../server/files/s3-store';
import { BUILD_TIMEOUT_MS, buildS3Server, startTestS3, type TestS3 } from './s3-server';
import { describeFileStore, evidence } from './store-suite';

let s3: TestS3;
beforeAll(async () => {
  await buildS3Server(); // the first time only: its own long timeout
}, BUILD_TIMEOUT_MS);
beforeAll(async () => {
  s3 = await startTestS3();
});
afterAll(async () => {
  await s3?.stop();
});

describeFileStore('S3-compatible (Versity gateway)', async () => ({ store: s3FileStore(s3.url), close: async () => {} }));

describe('FILE_STORE_URL', () => {
  it('gives endpoint, bucket, prefix, region and keys, with percent-encoded keys decoded', () => {
    expect(parseFileStoreUrl('s3://AKIA1:se%2Fcr%2Bet@minio.internal:9000/evidence/fangfan?region=cn-north-1&tls=false')).toEqual({
      endpoint: 'http://minio.internal:9000',
      bucket: 'evidence',
      prefix: 'fangfan/',
      region: 'cn-north-1',
      accessKeyId: 'AKIA1',
      secretAccessKey: 'se/cr+et',
    });
    expect(parseFileStoreUrl('s3://a:b@s3.example.com/bucket')).toMatchObject({ endpoint: 'https://s3.example.com', prefix: '', region: 'us-east-1' });
  });

  it('refuses a malformed URL with the rule it breaks, and never shows the secret', () => {
    const cases: [string, RegExp][] = [
      ['http://key:topsecret@host:9000/bucket', /scheme must be s3:\/\//],
      ['s3://host:9000/bucket', /access key and the secret key are required/],
      ['s3://key:topsecret@host:9000/', /bucket is missing/],
      ['s3://key:topsecret@host:9000/bucket?tls=no', /tls must be true or false/],
      ['s3://key:topsecret@host:9000/bucket?sslmode=off', /unknown parameter "sslmode"/],
    ];
    for (const [url, rule] of cases) {
      let error: unknown;
      try {
        s3FileStore(url);
      } catch (e) {
        error = e;
      }
      expect(error, url).toBeInstanceOf(FileStoreError);
      expect((error as Error).message).toMatch(rule);
      expect((error as Error).message).not.toContain('topsecret');
    }
    expect(maskFileStoreUrl('s3://key:topsecret@host:9000/bucket')).toBe('s3://*****:*****@host:9000/bucket');
  });
});

describe('S3 store against the real server', () => {
  it('keeps each file as one object under ab/cd/<sha256>, below the prefix when the URL has one', async () => {
    const plain = evidence();
    await s3FileStore(s3.url).put(plain.sha256, plain.bytes);
    const bucketDir = join(s3.dir, 'data', s3.bucket);
    expect(existsSync(join(bucketDir, plain.sha256.slice(0, 2), plain.sha256.slice(2, 4), plain.sha256))).toBe(true);

    const underPrefix = s3FileStore(s3.url.replace(`/${s3.bucket}?`, `/${s3.bucket}/district-7?`));
    const prefixed = evidence();
    await underPrefix.put(prefixed.sha256, prefixed.bytes);
    expect(existsSync(join(bucketDir, 'district-7', prefixed.sha256.slice(0, 2), prefixed.sha256.slice(2, 4), prefixed.sha256))).toBe(true);
    expect(await underPrefix.get(prefixed.sha256)).toEqual(prefixed.bytes);
    expect(await s3FileStore(s3.url).has(prefixed.sha256)).toBe(false);
  });

  it('refuses bytes that are not what their hash says, and stores nothing', async () => {
    const store = s3FileStore(s3.url);
    const claimed = evidence();
    await expect(store.put(claimed.sha256, evidence().bytes)).rejects.toThrow(/SHA-256 is/);
    expect(await store.has(claimed.sha256)).toBe(false);
    await expect(store.put('../../etc/passwd', Buffer.from('x'))).rejects.toThrow(/not a SHA-256/);
  });

  it('refuses to hand out a file whose bytes were changed behind its back', async () => {
    const store = s3FileStore(s3.url);
    const photo = evidence();
    await store.put(photo.sha256, photo.bytes);
    const file = join(s3.dir, 'data', s3.bucket, photo.sha256.slice(0, 2), photo.sha256.slice(2, 4), photo.sha256);
    writeFileSync(file, evidence(photo.bytes.length).bytes);
    await expect(store.get(photo.sha256)).rejects.toThrow(/changed outside this store/);
  });

  it('names the failing operation and the masked store when the server refuses, without the keys', async () => {
    const wrongSecret = s3FileStore(s3.url.replace(/:([^:@/]+)@/, ':not-the-secret@'));
    const photo = evidence();
    const refused = await wrongSecret.put(photo.sha256, photo.bytes).then(
      () => new Error('the put was accepted'),
      (e: Error) => e,
    );
    expect(refused).toBeInstanceOf(FileStoreError);
    expect(refused.message).toMatch(/^has [0-9a-f]{64} on s3:\/\/\*{5}:\*{5}@127\.0\.0\.1:\d+\/evidence.* failed \(HTTP 403\)/);
    expect(refused.message).not.toContain('not-the-secret');
    expect(refused.message).not.toContain(s3.server.accessKeyId);

    const noBucket = s3FileStore(s3.url.replace(`/${s3.bucket}?`, '/no-such-bucket?'));
    const missing = await noBucket.put(photo.sha256, photo.bytes).then(
      () => new Error('the put was accepted'),
      (e: Error) => e,
    );
    expect(missing).toBeInstanceOf(FileStoreError);
    expect(missing.message).toMatch(/no-such-bucket/);
    expect(missing.message).not.toContain(s3.server.secretAccessKey);
    await expect(noBucket.get(photo.sha256)).rejects.toThrow(/^get .*no-such-bucket.* failed \(HTTP 404\): NoSuchBucket/);
    await expect(noBucket.remove(photo.sha256)).rejects.toThrow(/^remove .*NoSuchBucket/);
  });
});
