/**
 * What every FileStore does, as one suite each store's test file runs (`describeFileStore(name, makeStore)`):
 * bytes kept under their hash and read back whole, a second put a no-op that keeps the first bytes,
 * concurrent puts of one hash, absent hashes, removal.
 */
import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { FileStore } from '../../server/files/store';

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

export function describeFileStore(name: string, makeStore: () => Promise<FileStore> | FileStore): void {
  describe(`${name}: a content-addressed file store`, () => {
    it('keeps bytes under their hash and gives them back whole', async () => {
      const store = await makeStore();
      const bytes = randomBytes(300_000);
      const hash = sha256(bytes);
      expect(await store.has(hash)).toBe(false);
      expect(await store.get(hash)).toBeUndefined();
      await store.put(hash, bytes);
      expect(await store.has(hash)).toBe(true);
      expect((await store.get(hash))!.equals(bytes)).toBe(true);
    });

    it('a second put of a hash it has changes nothing, also when many arrive at once', async () => {
      const store = await makeStore();
      const bytes = Buffer.from(`证据 ${Math.random()}`);
      const hash = sha256(bytes);
      await Promise.all(Array.from({ length: 5 }, () => store.put(hash, bytes)));
      await store.put(hash, Buffer.from('other bytes under the same name are never written'));
      expect((await store.get(hash))!.equals(bytes)).toBe(true);
    });

    it('keeps an empty file', async () => {
      const store = await makeStore();
      const empty = Buffer.alloc(0);
      await store.put(sha256(empty), empty);
      expect((await store.get(sha256(empty)))!.length).toBe(0);
    });

    it('removes bytes, and removing what it has not is no error', async () => {
      const store = await makeStore();
      const bytes = randomBytes(1000);
      const hash = sha256(bytes);
      await store.put(hash, bytes);
      await store.remove(hash);
      expect(await store.has(hash)).toBe(false);
      expect(await store.get(hash)).toBeUndefined();
      await expect(store.remove(hash)).resolves.toBeUndefined();
    });
  });
}
