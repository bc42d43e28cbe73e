/**
 * Which store keeps the evidence bytes: `FILE_STORE_URL` unset → local disk under `${DATA_DIR}/files`;
 * `s3://ACCESS:SECRET@host:port/bucket[/prefix]?region=…&tls=…` → an S3-compatible object store (server/files/s3-store.ts).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { FileStore } from './store';
import { diskFileStore } from './disk-store';
import { s3FileStore } from './s3-store';

export type { FileStore } from './store';

export function fileStoreFrom(config: { dataDir: string; fileStoreUrl?: string }): FileStore {
  const url = (config.fileStoreUrl ?? '').trim();
  if (!url) return diskFileStore(join(config.dataDir, 'files'));
  if (url.startsWith('s3://')) return s3FileStore(url);
  throw new Error('FILE_STORE_URL: expected s3://ACCESS:SECRET@host:port/bucket[/prefix]?region=…&tls=…, or empty for local disk');
}

/** For services built without a store (scripts, tests): beside a SQLite read model's file, else in a new temporary folder. */
export function defaultFileStore(database: string): FileStore {
  const local = database !== ':memory:' && !/^postgres(ql)?:\/\//i.test(database);
  return diskFileStore(local ? join(dirname(database), 'files') : mkdtempSync(join(tmpdir(), 'fangfan-files-')));
}

/** For services built without a DATA_DIR: the parts of resumable uploads beside a SQLite read model, else in a new temporary folder. */
export function defaultUploadsDir(database: string): string {
  const local = database !== ':memory:' && !/^postgres(ql)?:\/\//i.test(database);
  return local ? join(dirname(database), 'tmp', 'uploads') : mkdtempSync(join(tmpdir(), 'fangfan-uploads-'));
}
