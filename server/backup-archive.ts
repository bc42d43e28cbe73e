/**
 * The single file a backup is (server/backup.ts): a gzip-compressed tar (`.tar.gz`, POSIX ustar) of the
 * backup's folder, written and read here with node:zlib and a small tar writer and reader, so that any
 * machine can also open it with `tar -xzf`. Only regular files are written; the reader accepts regular
 * files and folders, refuses links, absolute paths and `..`, and refuses an archive that is cut off.
 * An archive is written under `<name>.partial` and renamed when complete: it is complete or absent.
 */
import { closeSync, createReadStream, createWriteStream, mkdirSync, openSync, readdirSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { dirname, join, normalize, relative, sep } from 'node:path';
import { createGunzip, createGzip } from 'node:zlib';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export class ArchiveError extends Error {}

const BLOCK = 512;
const EMPTY = Buffer.alloc(0);
/** ustar's size field: 11 octal digits. */
const MAX_SIZE = 8 ** 11 - 1;

/** Every regular file under `dir`, as paths relative to it with `/`, sorted (manifest.json first). */
function filesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) out.push(relative(dir, p).split(sep).join('/'));
    }
  };
  walk(dir);
  return out.sort((a, b) => (a === 'manifest.json' ? -1 : b === 'manifest.json' ? 1 : a.localeCompare(b)));
}

const octal = (n: number, width: number) => `${n.toString(8).padStart(width - 1, '0')}\0`;

function header(name: string, size: number, mtime: Date): Buffer {
  const h = Buffer.alloc(BLOCK);
  const bytes = Buffer.from(name, 'utf8');
  if (bytes.length > 100) throw new ArchiveError(`${name}: a name longer than 100 bytes`);
  if (size > MAX_SIZE) throw new ArchiveError(`${name}: larger than 8 GB, more than a backup archive holds`);
  bytes.copy(h, 0);
  h.write(octal(0o644, 8), 100, 'ascii');
  h.write(octal(0, 8), 108, 'ascii');
  h.write(octal(0, 8), 116, 'ascii');
  h.write(octal(size, 12), 124, 'ascii');
  h.write(octal(Math.floor(mtime.getTime() / 1000), 12), 136, 'ascii');
  h.write('        ', 148, 'ascii');
  h.write('0', 156, 'ascii');
  h.write('ustar\0' + '00', 257, 'ascii');
  h.write(octal(checksum(h), 7) + ' ', 148, 'ascii');
  return h;
}

/** The header's checksum: the sum of its bytes, the checksum field counted as spaces. */
function checksum(h: Buffer): number {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : h[i];
  return sum;
}

async function* tarStream(dir: string, names: string[]): AsyncGenerator<Buffer> {
  for (const name of names) {
    const path = join(dir, ...name.split('/'));
    const { size, mtime } = statSync(path);
    yield header(name, size, mtime);
    let read = 0;
    for await (const chunk of createReadStream(path)) {
      read += (chunk as Buffer).length;
      yield chunk as Buffer;
    }
    if (read !== size) throw new ArchiveError(`${path} changed while it was archived`);
    if (size % BLOCK) yield Buffer.alloc(BLOCK - (size % BLOCK));
  }
  yield Buffer.alloc(2 * BLOCK);
}

/** Writes every file under `dir` into the archive `target` (via `target.partial`); returns its size in bytes. */
export async function packArchive(dir: string, target: string): Promise<number> {
  const partial = `${target}.partial`;
  try {
    await pipeline(Readable.from(tarStream(dir, filesUnder(dir))), createGzip(), createWriteStream(partial));
    renameSync(partial, target);
  } catch (err) {
    rmSync(partial, { force: true });
    throw err;
  }
  return statSync(target).size;
}

const field = (h: Buffer, at: number, len: number) => {
  const raw = h.subarray(at, at + len);
  const end = raw.indexOf(0);
  return raw.subarray(0, end < 0 ? len : end).toString('utf8');
};

/** An entry's path inside `into`, refusing one that would land outside it. */
function safePath(into: string, name: string): string {
  const clean = normalize(name).replace(/[\\/]+$/, '');
  if (!clean || clean === '.' || clean.startsWith('/') || /^[a-zA-Z]:/.test(clean) || clean.split(/[\\/]/).includes('..')) {
    throw new ArchiveError(`an entry named "${name}" points outside the archive`);
  }
  return join(into, clean);
}

/** Extracts the archive `file` into the folder `into` (created); refuses a damaged or cut-off one. */
export async function unpackArchive(file: string, into: string): Promise<void> {
  mkdirSync(into, { recursive: true });
  let pending = EMPTY;
  let out: { fd: number; left: number } | null = null;
  let skip = 0;
  let ended = false;
  const finishFile = (size: number) => {
    closeSync(out!.fd);
    out = null;
    skip = size % BLOCK ? BLOCK - (size % BLOCK) : 0;
  };
  let currentSize = 0;
  try {
    for await (const chunk of createReadStream(file).pipe(createGunzip())) {
      let b: Buffer = pending.length ? Buffer.concat([pending, chunk as Buffer]) : (chunk as Buffer);
      pending = EMPTY;
      while (b.length && !ended) {
        if (out) {
          const n = Math.min(out.left, b.length);
          writeSync(out.fd, b, 0, n);
          out.left -= n;
          b = b.subarray(n);
          if (out.left === 0) finishFile(currentSize);
          continue;
        }
        if (skip) {
          const n = Math.min(skip, b.length);
          skip -= n;
          b = b.subarray(n);
          continue;
        }
        if (b.length < BLOCK) {
          pending = Buffer.from(b);
          break;
        }
        const h = b.subarray(0, BLOCK);
        b = b.subarray(BLOCK);
        if (h.every((x) => x === 0)) {
          ended = true;
          break;
        }
        if (Number.parseInt(field(h, 148, 8).trim(), 8) !== checksum(h)) throw new ArchiveError('a damaged entry header');
        const prefix = field(h, 345, 155);
        const name = prefix ? `${prefix}/${field(h, 0, 100)}` : field(h, 0, 100);
        const type = String.fromCharCode(h[156] || 0x30);
        const path = safePath(into, name);
        if (type === '5') {
          mkdirSync(path, { recursive: true });
          continue;
        }
        if (type !== '0') throw new ArchiveError(`"${name}" is not a regular file (tar type ${type})`);
        currentSize = Number.parseInt(field(h, 124, 12).trim(), 8);
        if (!Number.isSafeInteger(currentSize) || currentSize < 0) throw new ArchiveError(`"${name}": an unreadable size`);
        mkdirSync(dirname(path), { recursive: true });
        out = { fd: openSync(path, 'w'), left: currentSize };
        if (currentSize === 0) finishFile(0);
      }
    }
  } catch (err) {
    if (out) closeSync((out as { fd: number }).fd);
    if (err instanceof ArchiveError) throw err;
    throw new ArchiveError(`not a readable .tar.gz (${(err as Error).message})`);
  }
  if (!ended || out) throw new ArchiveError('cut off: the archive ends before its last file');
}
