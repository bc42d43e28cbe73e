/**
 * Evidence bytes on local disk, under `<root>/ab/cd/<sha256>` (root: `${DATA_DIR}/files`). A put writes a
 * temporary file in the same folder and renames it into place, so a reader never sees half a file and a
 * crash mid-write leaves only a `.tmp-` file, never a file under the hash; a hash already there is kept.
 */
import { mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { FileStore } from './store';

const SHA256 = /^[0-9a-f]{64}$/;

export function diskFileStore(root: string): FileStore {
  const pathOf = (sha256: string) => {
    if (!SHA256.test(sha256)) throw new Error(`not a SHA-256 in lower-case hex: ${sha256.slice(0, 80)}`);
    return join(root, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  };
  const has = async (sha256: string) => {
    try {
      return (await stat(pathOf(sha256))).isFile();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw err;
    }
  };
  return {
    has,
    async put(sha256, bytes) {
      const target = pathOf(sha256);
      if (await has(sha256)) return;
      const dir = join(target, '..');
      await mkdir(dir, { recursive: true });
      const temp = join(dir, `.tmp-${sha256}-${randomUUID()}`);
      try {
        const handle = await open(temp, 'wx');
        try {
          await handle.writeFile(bytes);
          await handle.sync();
        } finally {
          await handle.close();
        }
        await rename(temp, target); // atomic on one file system; the same bytes if another put won the race
      } catch (err) {
        await rm(temp, { force: true });
        throw err;
      }
    },
    async get(sha256) {
      try {
        return await readFile(pathOf(sha256));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw err;
      }
    },
    async remove(sha256) {
      await rm(pathOf(sha256), { force: true });
    },
  };
}
