// The cache outside the checkout where the Temporal servers are built or
// downloaded once (cacheDir(), default ~/.cache/fangfan), and the lock that
// keeps two processes from filling the same entry at once. Plain Node ESM with
// no npm dependencies, so it works before `npm install`.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pidAlive, sleep } from './child-processes.mjs';

/** Where downloaded/built tools live: $FANGFAN_CACHE_DIR, else $XDG_CACHE_HOME/fangfan, else ~/.cache/fangfan. */
export function cacheDir() {
  if (process.env.FANGFAN_CACHE_DIR) return path.resolve(process.env.FANGFAN_CACHE_DIR);
  if (process.env.XDG_CACHE_HOME) return path.resolve(process.env.XDG_CACHE_HOME, 'fangfan');
  return path.join(os.homedir(), '.cache', 'fangfan');
}

export function isExecutableFile(p) {
  try {
    if (!fs.statSync(p).isFile()) return false;
    fs.accessSync(p, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Absolute path of `name` on $PATH, or null. */
export function findOnPath(name) {
  for (const dir of (process.env.PATH || '').split(path.delimiter)) {
    if (!dir) continue;
    const p = path.resolve(dir, name);
    if (isExecutableFile(p)) return p;
  }
  return null;
}

/**
 * Runs `fn` while holding an exclusive lock `<cache>/<name>.lock` (a directory:
 * mkdir is atomic). Other processes wait; a lock whose owner pid is dead is
 * taken over.
 */
export async function withLock(name, log, fn) {
  const dir = cacheDir();
  fs.mkdirSync(dir, { recursive: true });
  const lockDir = path.join(dir, `${name}.lock`);
  const ownerFile = path.join(lockDir, 'owner');
  let waitingSaid = false;
  for (;;) {
    try {
      fs.mkdirSync(lockDir);
      fs.writeFileSync(ownerFile, `${process.pid}\n`);
      break;
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
    }
    let owner = NaN;
    let ageMs = 0;
    try {
      owner = Number.parseInt(fs.readFileSync(ownerFile, 'utf8'), 10);
    } catch {
      /* being created, or the creator died before writing it */
    }
    try {
      ageMs = Date.now() - fs.statSync(lockDir).mtimeMs;
    } catch {
      continue; // vanished: try again at once
    }
    const stale = Number.isNaN(owner) ? ageMs > 30_000 : !pidAlive(owner);
    if (stale) {
      log(`Removing stale lock ${lockDir} (owner ${Number.isNaN(owner) ? 'unknown' : `pid ${owner}`} is gone)`);
      fs.rmSync(lockDir, { recursive: true, force: true });
      continue;
    }
    if (!waitingSaid) {
      log(`Waiting for another process (pid ${owner}) that holds ${lockDir} …`);
      waitingSaid = true;
    }
    await sleep(1000);
  }
  const release = () => fs.rmSync(lockDir, { recursive: true, force: true });
  process.once('exit', release);
  try {
    return await fn();
  } finally {
    process.removeListener('exit', release);
    release();
  }
}

/** Removes leftovers `<cache>/.tmp-<prefix>-*` of killed runs (call while holding the lock). */
export function removeTempLeftovers(prefix) {
  const dir = cacheDir();
  for (const entry of fs.readdirSync(dir)) {
    if (entry.startsWith(`.tmp-${prefix}-`)) fs.rmSync(path.join(dir, entry), { recursive: true, force: true });
  }
}
