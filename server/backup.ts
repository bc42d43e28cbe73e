/**
 * Backup and restore of the embedded default (`npm start`): the Temporal dev server's SQLite file (the
 * cases themselves) and the read model's (DB_FILE). A backup is an online, consistent copy of each
 * (`VACUUM INTO` through a SQLite connection, never a raw copy of a live file) with a manifest.json (app
 * version, checksums, sizes, counts), packed into one dated file under BACKUP_DIR,
 * `fangfan-backup-<time>.tar.gz` (server/backup-archive.ts). A restore, on a stopped app, unpacks it (or
 * takes the folder an earlier release wrote), verifies the checksums, moves the current files aside (never
 * deleting them) and puts the copies in their place. The evidence files on local disk are copied too
 * (server/backup-files.ts). Used by scripts/backup.ts and scripts/restore.ts; see docs/operations.md.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, copyFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { ArchiveError, packArchive, unpackArchive } from './backup-archive';
import sqlite3 from 'sqlite3';
import { REPO_ROOT, type AppConfig } from './config';
import type { Services } from './services';
import { reproject, type ReprojectResult } from '../scripts/reproject';
import { copyEvidence, fileSha256, restoreEvidence, verifyEvidence } from './backup-files';

export class BackupError extends Error {}

/** The two databases of one data directory. */
export interface DataFiles {
  dataDir: string;
  /** The Temporal dev server's SQLite file. */
  temporal: string;
  /** The read model's SQLite file. */
  readModel: string;
  /** The evidence files' folder on local disk; absent when they are in an S3-compatible store (FILE_STORE_URL). */
  evidence?: string;
}

export function dataFiles(config: AppConfig): DataFiles {
  if (config.databaseUrl) throw new BackupError('DATABASE_URL is set: the read model is on PostgreSQL; back it up with pg_dump (docs/operations.md)');
  if (config.temporal.address) throw new BackupError('connection.address is set: the cases live in a Temporal cluster; back it up with the cluster’s own tools (docs/operations.md)');
  const evidence = config.fileStoreUrl ? {} : { evidence: join(config.dataDir, 'files') };
  return { dataDir: config.dataDir, temporal: join(config.dataDir, config.temporal.devServer.dbFile), readModel: config.dbFile, ...evidence };
}

export interface Counts {
  cases: Record<string, number>;
  openSteps: number;
  policyVersions: number;
  /** ISO time of the newest change of a case in the read model, or null. */
  newestEvent: string | null;
}

export interface Manifest {
  app: { name: string; version: string };
  createdAt: string;
  durationMs: number;
  files: { name: 'temporal.sqlite' | 'fangfan.sqlite'; role: 'temporal' | 'readModel'; bytes: number; sha256: string }[];
  /** The evidence files copied (under `files/`, each named by its SHA-256); absent when they live in an S3 store. */
  evidence?: { count: number; bytes: number };
  counts: Counts;
}

const ARCHIVE_PREFIX = 'fangfan-backup-';
const ARCHIVE_SUFFIX = '.tar.gz';
const ARCHIVE_NAME = /^fangfan-backup-[\dT-]+Z\.tar\.gz$/;
/** An earlier release's archive: a folder (not a `.partial` one left by an interrupted backup). */
const FOLDER_NAME = /^fangfan-backup-[\dT-]+Z$/;
const FILES = [
  { name: 'temporal.sqlite', role: 'temporal' },
  { name: 'fangfan.sqlite', role: 'readModel' },
] as const;

// ---------- SQLite through the sqlite3 package ----------

function open(file: string, mode: number): Promise<sqlite3.Database> {
  return new Promise((ok, fail) => {
    const db = new sqlite3.Database(file, mode, (err) => (err ? fail(err) : ok(db)));
  });
}
const run = (db: sqlite3.Database, sql: string, params: unknown[] = []) => new Promise<void>((ok, fail) => db.run(sql, params, (err) => (err ? fail(err) : ok())));
const all = <T>(db: sqlite3.Database, sql: string) => new Promise<T[]>((ok, fail) => db.all(sql, (err, rows) => (err ? fail(err) : ok(rows as T[]))));
const close = (db: sqlite3.Database) => new Promise<void>((ok) => db.close(() => ok()));

/** A consistent copy of a live database: one read transaction, whatever the writers do meanwhile. */
async function vacuumInto(source: string, target: string): Promise<void> {
  if (!existsSync(source)) throw new BackupError(`${source} does not exist: nothing to back up (is DATA_DIR right?)`);
  const db = await open(source, sqlite3.OPEN_READWRITE);
  try {
    await run(db, 'PRAGMA busy_timeout = 10000');
    await run(db, 'VACUUM INTO ?', [target]);
  } finally {
    await close(db);
  }
}

/** What a read-model file holds: cases by status, open steps, policy versions, the newest change. */
export async function readModelCounts(file: string): Promise<Counts> {
  const db = await open(file, sqlite3.OPEN_READONLY);
  try {
    const tables = new Set((await all<{ name: string }>(db, "select name from sqlite_master where type = 'table'")).map((t) => t.name));
    const cases: Record<string, number> = {};
    if (tables.has('process')) for (const r of await all<{ status: string; n: number }>(db, 'select status, count(*) as n from process group by status order by status')) cases[r.status] = r.n;
    const one = async (sql: string, table: string) => (tables.has(table) ? ((await all<{ v: unknown }>(db, sql))[0]?.v ?? null) : null);
    const newest = await one('select max(updated_at) as v from process', 'process');
    return {
      cases,
      openSteps: Number((await one("select count(*) as v from step where status = 'open'", 'step')) ?? 0),
      policyVersions: Number((await one('select count(*) as v from policy_version', 'policy_version')) ?? 0),
      newestEvent: newest === null ? null : new Date(typeof newest === 'string' && /^\d+$/.test(newest) ? Number(newest) : (newest as string | number)).toISOString(),
    };
  } finally {
    await close(db);
  }
}

export function appVersion(): { name: string; version: string } {
  const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8'));
  return { name: pkg.name, version: pkg.version };
}

// ---------- backup ----------

export interface BackupResult {
  /** The archive: one `.tar.gz` file. */
  archive: string;
  manifest: Manifest;
  /** The archive's size on disk. */
  bytes: number;
  removed: string[];
}

/** The archives in `backupDir` (files, and the folders earlier releases wrote), oldest first (their names sort by time). */
export function listBackups(backupDir: string): string[] {
  if (!existsSync(backupDir)) return [];
  return readdirSync(backupDir, { withFileTypes: true })
    .filter((e) => (e.isFile() ? ARCHIVE_NAME.test(e.name) : e.isDirectory() && FOLDER_NAME.test(e.name) && existsSync(join(backupDir, e.name, 'manifest.json'))))
    .map((e) => join(backupDir, e.name))
    .sort();
}

export async function takeBackup(opts: { files: DataFiles; backupDir: string; keep: number; now?: Date }): Promise<BackupResult> {
  const started = Date.now();
  const now = opts.now ?? new Date();
  const name = `${ARCHIVE_PREFIX}${now.toISOString().replace(/[:.]/g, '-')}`;
  const archive = resolve(opts.backupDir, `${name}${ARCHIVE_SUFFIX}`);
  // The copies are gathered in a folder beside the archive, packed, then removed.
  const partial = resolve(opts.backupDir, `${name}.partial`);
  mkdirSync(partial, { recursive: true });
  try {
    // The read model first: the cases copied after it can only be newer, never older, and a projection is
    // revision-checked, so the reprojection the app runs after a restore (catchUpAfterRestore) brings every
    // case's rows up to its workflow. (The other order could leave rows ahead of their restored workflow.)
    await vacuumInto(opts.files.readModel, join(partial, 'fangfan.sqlite'));
    await vacuumInto(opts.files.temporal, join(partial, 'temporal.sqlite'));
    const files = [];
    for (const f of FILES) {
      const path = join(partial, f.name);
      files.push({ ...f, bytes: statSync(path).size, sha256: await fileSha256(path) });
    }
    // After the databases: every file a copied case refers to is already stored (files are never changed).
    const evidence = opts.files.evidence ? copyEvidence(opts.files.evidence, join(partial, 'files')) : undefined;
    const manifest: Manifest = {
      app: appVersion(),
      createdAt: now.toISOString(),
      durationMs: 0,
      files,
      ...(evidence ? { evidence } : {}),
      counts: await readModelCounts(join(partial, 'fangfan.sqlite')),
    };
    manifest.durationMs = Date.now() - started;
    writeFileSync(join(partial, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    const bytes = await packArchive(partial, archive); // written as .partial, renamed: complete or absent
    // The result's time includes the packing, which the manifest (inside the archive) cannot.
    manifest.durationMs = Date.now() - started;
    const removed = pruneBackups(opts.backupDir, opts.keep);
    return { archive, manifest, bytes, removed };
  } finally {
    rmSync(partial, { recursive: true, force: true });
  }
}

/** Keeps the newest `keep` archives, removes the older ones; returns what it removed. */
export function pruneBackups(backupDir: string, keep: number): string[] {
  const all = listBackups(backupDir);
  const old = keep > 0 ? all.slice(0, Math.max(0, all.length - keep)) : [];
  for (const d of old) rmSync(d, { recursive: true, force: true });
  return old;
}

// ---------- restore ----------

/** Checks an unpacked archive (`dir`) against its manifest; throws a BackupError naming the archive and the file. */
async function verifyFolder(dir: string, label = dir): Promise<Manifest> {
  const manifestFile = join(dir, 'manifest.json');
  if (!existsSync(manifestFile)) throw new BackupError(`${label}: no manifest.json, not a backup archive`);
  let manifest: Manifest;
  try {
    manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
  } catch (err) {
    throw new BackupError(`${label}: manifest.json unreadable (${(err as Error).message})`);
  }
  for (const f of FILES) {
    const entry = manifest.files?.find((x) => x.name === f.name);
    if (!entry) throw new BackupError(`${label}: manifest.json lists no ${f.name}`);
    const path = join(dir, f.name);
    if (!existsSync(path)) throw new BackupError(`${label}: ${f.name} is missing: the archive is damaged`);
    if (statSync(path).size !== entry.bytes || (await fileSha256(path)) !== entry.sha256) {
      throw new BackupError(`${label}: ${f.name} does not match its checksum in manifest.json: the archive is damaged, restore another one`);
    }
  }
  if (manifest.evidence) {
    const { count, damaged } = await verifyEvidence(join(dir, 'files'));
    if (damaged.length) throw new BackupError(`${label}: ${relative(dir, damaged[0])} does not match the SHA-256 it is named by: the archive is damaged, restore another one`);
    if (count !== manifest.evidence.count) throw new BackupError(`${label}: files/ holds ${count} evidence files, manifest.json lists ${manifest.evidence.count}: the archive is damaged`);
  }
  return manifest;
}

/** A `.tar.gz` archive is a file; an earlier release's archive is a folder. */
function isPacked(archive: string): boolean {
  if (!existsSync(archive)) throw new BackupError(`${archive} does not exist`);
  return statSync(archive).isFile();
}

async function unpack(archive: string, into: string): Promise<void> {
  try {
    await unpackArchive(archive, into);
  } catch (err) {
    if (err instanceof ArchiveError) throw new BackupError(`${archive}: ${err.message}: the archive is damaged, restore another one`);
    throw err;
  }
}

/** Reads an archive's manifest and checks every file against it (unpacking a `.tar.gz` beside it, then removing that). */
export async function verifyBackup(archive: string): Promise<Manifest> {
  if (!isPacked(archive)) return verifyFolder(archive);
  const scratch = join(dirname(archive), `.verifying-${basename(archive)}-${process.pid}`);
  try {
    await unpack(archive, scratch);
    return await verifyFolder(scratch, archive);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

const pidAlive = (pid: number) => {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * Refuses when an app runs on these files: the dev server's lock (`<temporal db>.lock`, written by
 * scripts/lib/dev-server.mjs) names a live process.
 */
export function assertStopped(files: DataFiles): void {
  const owner = join(`${files.temporal}.lock`, 'owner');
  if (!existsSync(owner)) return;
  const pids = readFileSync(owner, 'utf8').trim().split(/\s+/).map(Number);
  const alive = pids.filter(pidAlive);
  if (alive.length) {
    throw new BackupError(`the app is running on ${files.dataDir} (Temporal dev server lock ${owner}, pids ${alive.join(', ')}): stop it (Ctrl-C on npm start) before restoring`);
  }
}

export interface RestoreResult {
  manifest: Manifest;
  /** Where the files that were in place went (null: the data directory held none). */
  movedAsideTo: string | null;
  /** Evidence files put back (those the folder lacked). */
  evidenceRestored: number;
  found: Counts;
}

export async function restoreBackup(opts: { archive: string; files: DataFiles; now?: Date }): Promise<RestoreResult> {
  const archive = resolve(opts.archive);
  const stamp = (opts.now ?? new Date()).toISOString().replace(/[:.]/g, '-');
  if (!isPacked(archive)) return restoreFolder(archive, archive, opts.files, stamp, copyFileSync);
  // Unpacked inside the data directory (the same disk as the databases: they are moved into place, not copied).
  const scratch = join(opts.files.dataDir, `.restoring-${stamp}`);
  try {
    await unpack(archive, scratch);
    return await restoreFolder(scratch, archive, opts.files, stamp, move);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** A rename, or a copy when the target is on another disk (DB_FILE outside DATA_DIR). */
function move(from: string, to: string): void {
  try {
    renameSync(from, to);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
    copyFileSync(from, to);
  }
}

async function restoreFolder(dir: string, archive: string, files: DataFiles, stamp: string, put: (from: string, to: string) => void): Promise<RestoreResult> {
  const manifest = await verifyFolder(dir, archive);
  assertStopped(files);
  const targets = { temporal: files.temporal, readModel: files.readModel };
  // Each database with its WAL and shared-memory files, which belong to the file being replaced.
  const present = Object.values(targets)
    .flatMap((f) => [f, `${f}-wal`, `${f}-shm`])
    .filter(existsSync);
  let movedAsideTo: string | null = null;
  if (present.length) {
    movedAsideTo = join(files.dataDir, `before-restore-${stamp}`);
    mkdirSync(movedAsideTo, { recursive: true });
    for (const f of present) renameSync(f, join(movedAsideTo, basename(f)));
  }
  for (const f of FILES) {
    const target = targets[f.role];
    mkdirSync(resolve(target, '..'), { recursive: true });
    put(join(dir, f.name), target);
  }
  const evidenceRestored = manifest.evidence && files.evidence ? restoreEvidence(join(dir, 'files'), files.evidence) : 0;
  writeFileSync(reprojectionMarker(files), `${JSON.stringify({ archive, restoredAt: new Date().toISOString() })}\n`);
  return { manifest, movedAsideTo, evidenceRestored, found: await readModelCounts(targets.readModel) };
}

/** Left by a restore: the next start rebuilds the read model's cases and steps from the workflows. */
const reprojectionMarker = (files: DataFiles) => `${files.readModel}.restored`;

/**
 * At start, after a restore: the read model was copied a moment before the cases, so a case that changed
 * in between has rows behind its workflow. Reprojects every case (scripts/reproject.ts: idempotent,
 * revision-checked) once a worker polls, then removes the marker. Nothing to do on an ordinary start.
 */
export async function catchUpAfterRestore(services: Services, files: Pick<DataFiles, 'readModel'>, log: (m: string) => void): Promise<ReprojectResult | null> {
  const marker = reprojectionMarker(files as DataFiles);
  if (!existsSync(marker)) return null;
  log('restored from a backup: bringing the read model up to date with the cases …');
  const r = await reproject({ client: services.temporal.client, db: services.db });
  rmSync(marker, { force: true });
  log(`read model up to date: ${r.projected} cases reprojected${r.skipped.length ? `, ${r.skipped.length} workflows that are not cases skipped` : ''}`);
  return r;
}

// ---------- words ----------

export const formatBytes = (n: number) => (n < 1024 ? `${n} B` : n < 1024 ** 2 ? `${(n / 1024).toFixed(1)} KB` : `${(n / 1024 ** 2).toFixed(1)} MB`);

export function describeCounts(c: Counts): string {
  const total = Object.values(c.cases).reduce((a, b) => a + b, 0);
  const byStatus = Object.entries(c.cases)
    .map(([s, n]) => `${s} ${n}`)
    .join(', ');
  return `${total} cases${byStatus ? ` (${byStatus})` : ''}, ${c.openSteps} open steps, ${c.policyVersions} policy versions, newest change ${c.newestEvent ?? 'none'}`;
}
