/**
 * What every evidence file store (server/files/store.ts) must do, run against each of them: the local
 * disk store and the S3-compatible one. `make` gives a fresh, empty store and a way to close it.
 */
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FileStore } from '../../server/files/store';

export type MadeStore = { store: FileStore; close(): Promise<void> };

/** Random bytes and their SHA-256, as the upload path hands them to a store. */
export function evidence(size = 1000): { sha256: string; bytes: Buffer } {
  const bytes = randomBytes(size);
  return { sha256: createHash('sha256').update(bytes).digest('hex'), bytes };
}

export function describeFileStore(name: string, make: () => Promise<MadeStore>) {
  describe(`file store: ${name}`, () => {
    let made: MadeStore;
    let store: FileStore;
    beforeAll(async () => {
      made = await make();
      store = made.store;
    });
    afterAll(async () => {
      await made?.close();
    });

    it('gives back the bytes it was given, under their hash', async () => {
      const photo = evidence();
      await store.put(photo.sha256, photo.bytes);
      expect(await store.get(photo.sha256)).toEqual(photo.bytes);
    });

    it('has nothing under a hash it was never given', async () => {
      const never = evidence();
      expect(await store.get(never.sha256)).toBeUndefined();
      expect(await store.has(never.sha256)).toBe(false);
    });

    it('knows which hashes it has', async () => {
      const voucher = evidence();
      expect(await store.has(voucher.sha256)).toBe(false);
      await store.put(voucher.sha256, voucher.bytes);
      expect(await store.has(voucher.sha256)).toBe(true);
    });

    it('takes a second put of the same file without complaint, and keeps one copy of it', async () => {
      const bill = evidence();
      await store.put(bill.sha256, bill.bytes);
      await store.put(bill.sha256, Buffer.from(bill.bytes));
      expect(await store.get(bill.sha256)).toEqual(bill.bytes);
    });

    it('removes a file, and removing one it does not have is no error', async () => {
      const expired = evidence();
      await store.put(expired.sha256, expired.bytes);
      await store.remove(expired.sha256);
      expect(await store.has(expired.sha256)).toBe(false);
      expect(await store.get(expired.sha256)).toBeUndefined();
      await expect(store.remove(expired.sha256)).resolves.toBeUndefined();
      await expect(store.remove(evidence().sha256)).resolves.toBeUndefined();
    });

    it('keeps a 5 MB photo whole', async () => {
      const photo = evidence(5 * 1024 * 1024);
      await store.put(photo.sha256, photo.bytes);
      const back = await store.get(photo.sha256);
      expect(back?.length).toBe(photo.bytes.length);
      expect(createHash('sha256').update(back!).digest('hex')).toBe(photo.sha256);
    });

    it('takes the same file put by several uploads at once, and keeps it whole', async () => {
      const notice = evidence(256 * 1024);
      await Promise.all(Array.from({ length: 8 }, () => store.put(notice.sha256, Buffer.from(notice.bytes))));
      expect(await store.get(notice.sha256)).toEqual(notice.bytes);
    });

    it('keeps files apart: removing one leaves the others', async () => {
      const [a, b] = [evidence(), evidence()];
      await Promise.all([store.put(a.sha256, a.bytes), store.put(b.sha256, b.bytes)]);
      await store.remove(a.sha256);
      expect(await store.has(a.sha256)).toBe(false);
      expect(await store.get(b.sha256)).toEqual(b.bytes);
    });
  });
}
