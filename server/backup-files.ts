/**
 * The evidence files of a backup (server/backup.ts): on local disk they are content-addressed under
 * `DATA_DIR/files/ab/cd/<sha256>` (server/files/disk-store.ts) and never change, so a backup copies the
 * ones it has not got, a verification recomputes each file's hash against its name, and a restore puts back
 * the ones missing (an existing file under a hash already holds those bytes). Unfinished writes
 * (`.tmp-*`) are not files and are left out.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, createReadStream, existsSync, mkdirSync, readdirSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';

const HASH = /^[0-9a-f]{64}$/;

/** Every stored file under a store root: [relative path, absolute path]. */
function storedFiles(root: string): { rel: string; path: string }[] {
  if (!existsSync(root)) return [];
  const out: { rel: string; path: string }[] = [];
  for (const a of readdirSync(root)) {
    if (!/^[0-9a-f]{2}$/.test(a)) continue;
    for (const b of readdirSync(join(root, a))) {
      if (!/^[0-9a-f]{2}$/.test(b)) continue;
      for (const name of readdirSync(join(root, a, b))) {
        if (HASH.test(name) && name.startsWith(a + b)) out.push({ rel: join(a, b, name), path: join(root, a, b, name) });
      }
    }
  }
  return out;
}

/** A file's SHA-256 (hex), read as a stream (the backup's databases and its evidence files). */
export function fileSha256(file: string): Promise<string> {
  return new Promise((ok, fail) => {
    const h = createHash('sha256');
    createReadStream(file)
      .on('data', (c) => h.update(c))
      .on('end', () => ok(h.digest('hex')))
      .on('error', fail);
  });
}

/** Copies a file so that the target is complete or absent (a temporary name, then a rename). */
function copyWhole(from: string, to: string): void {
  mkdirSync(join(to, '..'), { recursive: true });
  const tmp = `${to}.tmp-${process.pid}`;
  copyFileSync(from, tmp);
  renameSync(tmp, to);
}

/** Copies the store's files into `target`; how many and how many bytes. */
export function copyEvidence(root: string, target: string): { count: number; bytes: number } {
  let bytes = 0;
  const files = storedFiles(root);
  for (const f of files) {
    copyWhole(f.path, join(target, f.rel));
    bytes += statSync(f.path).size;
  }
  return { count: files.length, bytes };
}

/** How many files the archive holds, and those whose bytes are not their name's hash. */
export async function verifyEvidence(dir: string): Promise<{ count: number; damaged: string[] }> {
  const files = storedFiles(dir);
  const damaged: string[] = [];
  for (const f of files) if ((await fileSha256(f.path)) !== f.rel.slice(-64)) damaged.push(f.path);
  return { count: files.length, damaged };
}

/** Puts back the archive's files the store lacks; how many it put back. */
export function restoreEvidence(dir: string, root: string): number {
  let restored = 0;
  for (const f of storedFiles(dir)) {
    const to = join(root, f.rel);
    if (existsSync(to)) continue;
    copyWhole(f.path, to);
    restored += 1;
  }
  return restored;
}
