/**
 * Which store keeps the evidence bytes: `FILE_STORE_URL` unset → local disk under `${DATA_DIR}/files`;
 * `s3://bucket[/prefix]?endpoint=…` → an S3-compatible object store.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { FileStore } from './store';
import { diskFileStore } from './disk-store';

export type { FileStore } from './store';

export function fileStoreFrom(config: { dataDir: string; fileStoreUrl?: string }): FileStore {
  const url = (config.fileStoreUrl ?? '').trim();
  if (!url) return diskFileStore(join(config.dataDir, 'files'));
  if (url.startsWith('s3://')) {
    // Merged with the s3store branch: `return s3FileStore(url);` (import { s3FileStore } from './s3-store').
    throw new Error('FILE_STORE_URL: the S3-compatible store is not part of this build yet');
  }
  throw new Error(`FILE_STORE_URL: expected s3://bucket[/prefix]?endpoint=…, or empty for local disk (got "${url.slice(0, 80)}")`);
}

/** For services built without a store (scripts, tests): beside a SQLite read model's file, else in a new temporary folder. */
export function defaultFileStore(database: string): FileStore {
  const local = database !== ':memory:' && !/^postgres(ql)?:\/\//i.test(database);
  return diskFileStore(local ? join(dirname(database), 'files') : mkdtempSync(join(tmpdir(), 'fangfan-files-')));
}
