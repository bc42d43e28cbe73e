/**
 * The bytes of resumable uploads while they arrive (issue 22: a village connection drops), in a folder
 * of their own under DATA_DIR (`tmp/uploads`): `<id>.json` says what is coming and how much of it is
 * kept (`offset`), `<id>.part` holds those bytes. A chunk is written after the part is cut back to the
 * offset on record, synced, and only then is the new offset recorded (written whole then renamed): a
 * chunk cut off, or a crash between the two, leaves the recorded offset where it was, and what lies
 * beyond it is overwritten by the next chunk. Nothing here is evidence yet: finishing an upload hands
 * the bytes to the one intake of every upload (server/commands/files.ts uploadEvidence).
 */
import { mkdir, open, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface UploadPart {
  id: string;
  /** The file's name as the client gave it. */
  name: string;
  /** Bytes announced at the start; the upload finishes when this many are kept. */
  size: number;
  /** Announced by the client: the whole file must hash to it. */
  sha256?: string;
  uploadedBy: string;
  startedAt: string;
  /** Bytes kept so far: where the next chunk starts. */
  offset: number;
}

export const UPLOAD_ID = /^U[0-9a-f]{32}$/;

export interface UploadParts {
  start(part: UploadPart): Promise<void>;
  get(id: string): Promise<UploadPart | undefined>;
  /** Writes `bytes` at `part.offset` and records the new offset; returns the part as it now stands. */
  append(part: UploadPart, bytes: Buffer): Promise<UploadPart>;
  /** The bytes kept so far. */
  read(part: UploadPart): Promise<Buffer>;
  remove(id: string): Promise<void>;
  /** Removes the parts started before `before`; returns how many. */
  expire(before: Date): Promise<number>;
}

export function uploadParts(dir: string): UploadParts {
  const meta = (id: string) => join(dir, `${id}.json`);
  const data = (id: string) => join(dir, `${id}.part`);
  const record = async (part: UploadPart) => {
    const tmp = `${meta(part.id)}.${process.pid}.tmp`;
    await writeFile(tmp, JSON.stringify(part));
    await rename(tmp, meta(part.id));
  };
  const get = async (id: string): Promise<UploadPart | undefined> => {
    if (!UPLOAD_ID.test(id)) return undefined;
    try {
      return JSON.parse(await readFile(meta(id), 'utf8')) as UploadPart;
    } catch {
      return undefined;
    }
  };
  const remove = async (id: string) => {
    await rm(data(id), { force: true });
    await rm(meta(id), { force: true });
  };
  return {
    async start(part) {
      await mkdir(dir, { recursive: true });
      await writeFile(data(part.id), Buffer.alloc(0));
      await record(part);
    },
    get,
    async append(part, bytes) {
      const handle = await open(data(part.id), 'r+');
      try {
        await handle.truncate(part.offset); // whatever a cut-off chunk or a crash left beyond the record
        await handle.write(bytes, 0, bytes.length, part.offset);
        await handle.sync();
      } finally {
        await handle.close();
      }
      const next = { ...part, offset: part.offset + bytes.length };
      await record(next);
      return next;
    },
    async read(part) {
      const bytes = await readFile(data(part.id));
      return bytes.subarray(0, part.offset);
    },
    remove,
    async expire(before) {
      let names: string[];
      try {
        names = await readdir(dir);
      } catch {
        return 0;
      }
      let removed = 0;
      for (const name of names) {
        const id = name.replace(/\.(json|part)$/, '');
        if (!name.endsWith('.json') || !UPLOAD_ID.test(id)) continue;
        const part = await get(id);
        if (part && new Date(part.startedAt) >= before) continue;
        await remove(id);
        removed++;
      }
      return removed;
    },
  };
}
