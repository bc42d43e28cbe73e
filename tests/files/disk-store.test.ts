import { mkdtempSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { diskFileStore } from '../../server/files/disk-store';
import { fileStoreFrom } from '../../server/files';
import { describeFileStore } from './store-suite';

const fresh = () => mkdtempSync(join(tmpdir(), 'fangfan-files-'));

describeFileStore('local disk', async () => ({ store: diskFileStore(fresh()), close: async () => undefined }));

describe('local disk layout', () => {
  it('keeps a file under ab/cd/<sha256> of DATA_DIR/files, with no temporary file left', async () => {
    const dataDir = fresh();
    const store = fileStoreFrom({ dataDir });
    const bytes = Buffer.from('公示照片');
    const hash = createHash('sha256').update(bytes).digest('hex');
    await store.put(hash, bytes);
    expect(readdirSync(join(dataDir, 'files', hash.slice(0, 2), hash.slice(2, 4)))).toEqual([hash]);
  });

  it('a write cut short (a temporary file left by a crash) is not a file it has', async () => {
    const root = fresh();
    const store = diskFileStore(root);
    const bytes = Buffer.from('整改佐证');
    const hash = createHash('sha256').update(bytes).digest('hex');
    mkdirSync(join(root, hash.slice(0, 2), hash.slice(2, 4)), { recursive: true });
    writeFileSync(join(root, hash.slice(0, 2), hash.slice(2, 4), `.tmp-${hash}-crashed`), bytes.subarray(0, 3));
    expect(await store.has(hash)).toBe(false);
    await store.put(hash, bytes);
    expect((await store.get(hash))!.equals(bytes)).toBe(true);
  });

  it('refuses a name that is not a SHA-256 (no path outside its folder)', async () => {
    const store = diskFileStore(fresh());
    await expect(store.get('../../etc/passwd')).rejects.toThrow(/SHA-256/);
  });

  it('FILE_STORE_URL other than s3:// is a configuration error naming the key', () => {
    expect(() => fileStoreFrom({ dataDir: fresh(), fileStoreUrl: 'ftp://x' })).toThrow(/FILE_STORE_URL/);
  });
});
