/**
 * The restore drill of the embedded default: its own Temporal dev server and read model on SQLite in a
 * temp DATA_DIR, the API in-process and a worker. Identification cases (P1) are started and some steps
 * completed; a backup (server/backup.ts, what `npm run backup` runs) is taken while further steps are being
 * completed; everything stops, the data directory is wiped, the archive restored (`npm run restore`) and
 * the app started again as `npm start` does (catching the read model up with the cases). Then every case
 * is there, its open steps complete, its timers fire, nothing completed before the backup is done a second
 * time, and the read model rebuilt from the workflows (scripts/reproject.ts) equals the restored one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Fastify, { type FastifyInstance } from 'fastify';
import { existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHash, randomUUID } from 'node:crypto';
import type { Worker } from '@temporalio/worker';
import type { NativeConnection } from '@temporalio/worker';
import { initORM, Household, Process, Step, type Db } from '../../db';
import { loadPolicy } from '../../policy';
import { fangfan } from '../../server/app';
import { frameworkErrors } from '../../server/errors';
import { activityDeps, createServices, type OpenServices } from '../../server/services';
import { loadTemporalConfig } from '../../server/config';
import { connectWorker } from '../../server/temporal';
import { createWorker } from '../../server/worker';
import { seedDemo } from '../../server/seed';
import { catchUpAfterRestore, listBackups, restoreBackup, takeBackup, verifyBackup, type DataFiles } from '../../server/backup';
import { packArchive, unpackArchive } from '../../server/backup-archive';
import { stateQuery } from '../../contracts/messages';
import type { CaseState } from '../../contracts/steps';
import { reproject } from '../../scripts/reproject';
import { ensureTemporalCli } from '../../scripts/lib/temporal-cli.mjs';
import { freePort } from '../../scripts/lib/ports.mjs';
import { startDevServer } from '../../scripts/lib/dev-server.mjs';

const policyFile = fileURLToPath(new URL('../fixtures/policy-short.yaml', import.meta.url));
const PASSWORD = 'demo1234';
const taskQueue = `backup-${randomUUID()}`;
const dir = mkdtempSync(join(tmpdir(), 'fangfan-backup-'));
const files: DataFiles = { dataDir: join(dir, 'data'), temporal: join(dir, 'data', 'temporal.sqlite'), readModel: join(dir, 'data', 'fangfan.sqlite'), evidence: join(dir, 'data', 'files') };
/** A photo in the evidence store (the app keeps it beside its read model: DATA_DIR/files). */
const PHOTO = Buffer.from('公示照片（备份演练）');
const PHOTO_SHA = createHash('sha256').update(PHOTO).digest('hex');
const backupDir = join(dir, 'backups');

const STEP_BODY: Record<string, [string, object]> = {
  homeVerification: [
    'cadre.rongguang',
    {
      verifiedOn: '2026-11-20',
      coVerifierId: 'cadre.rongguang2',
      memberCount: 3,
      perCapitaIncome: 5600,
      guarantees: { foodClothing: 'secure', education: 'secure', medical: 'at_risk', housing: 'secure', water: 'secure' },
      findings: '住院费用高',
    },
  ],
  villageReview: ['cadre.rongguang2', { heldOn: '2026-11-21', participants: 30, result: 'pass', minutes: '同意纳入' }],
};

/** One running app on `files`: dev server, read model, API, worker. */
let cliPath: string;
let devPort: number;
let env: { dev: { address: string; stop(): Promise<void> }; services: OpenServices; app: FastifyInstance; worker: Worker; run: Promise<void>; connection: NativeConnection };
const tokens = new Map<string, string>();

async function start(): Promise<void> {
  const dev = await startDevServer({ cliPath, dbFile: files.temporal, port: devPort, headless: true, log: () => {} });
  const temporal = { ...loadTemporalConfig({}), address: dev.address, taskQueue };
  const services = await createServices({ database: files.readModel, temporal, policy: loadPolicy(policyFile), sessionHours: 1 });
  await seedDemo(services.db, { password: PASSWORD });
  const app = Fastify({ logger: false, frameworkErrors });
  await app.register(fangfan, { services });
  await app.ready();
  const connection = await connectWorker(temporal, dev.address);
  const worker = await createWorker({ connection, cfg: temporal, deps: activityDeps(services) });
  const run = worker.run();
  env = { dev, services, app, worker, run, connection };
  tokens.clear();
  await catchUpAfterRestore(services, files, () => {});
}

async function stop(): Promise<void> {
  if (!env) return;
  env.worker.shutdown();
  await env.run;
  await env.connection.close();
  await env.app.close();
  await env.services.close();
  await env.dev.stop();
}

async function call(as: string, method: 'GET' | 'POST', url: string, payload?: object) {
  if (!tokens.has(as)) {
    const res = await env.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: as, password: PASSWORD } });
    expect(res.statusCode, res.body).toBe(200);
    tokens.set(as, res.json().token);
  }
  return env.app.inject({ method, url, payload, headers: { authorization: `Bearer ${tokens.get(as)}`, ...(method === 'POST' ? { 'idempotency-key': randomUUID() } : {}) } });
}

const state = (id: string) => env.services.temporal.client.workflow.getHandle(id).query(stateQuery) as Promise<CaseState>;
const total = (byStatus: Record<string, number>) => Object.values(byStatus).reduce((a, b) => a + b, 0);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function whenOpen(id: string, key: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const res = await call('supervisor', 'GET', `/api/processes/${encodeURIComponent(id)}`);
    if (res.statusCode === 200 && res.json().openSteps?.some((s: { key: string }) => s.key === key)) return;
    await sleep(100);
  }
  throw new Error(`${id}: step ${key} never opened`);
}

async function complete(id: string, key: string): Promise<void> {
  await whenOpen(id, key);
  const [as, body] = STEP_BODY[key];
  const res = await call(as, 'POST', `/api/processes/${encodeURIComponent(id)}/steps/${key}`, body);
  expect(res.statusCode, `${id} ${key}: ${res.body}`).toBe(200);
}

/** Accepted step updates in the case's history, by update name. */
async function acceptedUpdates(id: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const e of (await env.services.temporal.client.workflow.getHandle(id).fetchHistory()).events ?? []) {
    const name = e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name;
    if (name) out[name] = (out[name] ?? 0) + 1;
  }
  return out;
}

const doneSteps = async (id: string) =>
  (await state(id)).steps
    .filter((s) => s.status === 'done')
    .map((s) => ({ id: s.id, at: s.completedAt, by: s.completedBy?.id }))
    .sort((a, b) => a.id.localeCompare(b.id));

beforeAll(async () => {
  cliPath = await ensureTemporalCli({ log: () => {} });
  devPort = await freePort();
  await start();
}, 180_000);

afterAll(async () => {
  await stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('backup and restore of the embedded default', () => {
  it('a backup taken while steps are completed, restored into a wiped data directory: every case continues (open steps complete, timers fire), nothing done twice, the reprojection equals the restored read model', async () => {
    const em = env.services.db.em();
    const households = ['BK000001', 'BK000002', 'BK000003', 'BK000004'];
    for (const [i, id] of households.entries()) {
      em.create(Household, { id, headName: `备份${i}`, idNumber: `BACKUP-${id}`, phone: null, town: '统景镇', village: '荣光村', memberCount: 3, status: 'ordinary', lowIncomeGroups: [] } as never);
    }
    await em.flush();
    const ids: string[] = [];
    for (const hh of households) {
      const res = await call('cadre.rongguang', 'POST', '/api/processes', { type: 'identification', input: { householdId: hh, channel: 'cadre_check', category: 'marginal', riskTypes: ['illness'], description: '备份演练' } });
      expect(res.statusCode, res.body).toBe(201);
      ids.push(res.json().id);
    }
    // Before the backup: the first two cases' home verification.
    await complete(ids[0], 'homeVerification');
    await complete(ids[1], 'homeVerification');
    const before = new Map<string, Awaited<ReturnType<typeof doneSteps>>>();
    for (const id of ids) before.set(id, await doneSteps(id));

    await env.services.files.put(PHOTO_SHA, PHOTO);
    // The backup while steps are being completed.
    const [backup] = await Promise.all([
      takeBackup({ files, backupDir, keep: 3 }),
      complete(ids[0], 'villageReview'),
      complete(ids[2], 'homeVerification'),
      complete(ids[1], 'villageReview'),
    ]);
    expect(backup.manifest.files.map((f) => f.name).sort()).toEqual(['fangfan.sqlite', 'temporal.sqlite']);
    expect(backup.manifest.evidence).toEqual({ count: 1, bytes: PHOTO.length });
    expect(total(backup.manifest.counts.cases)).toBe(4);
    expect(backup.manifest.counts.policyVersions).toBe(1);

    // Stop everything, wipe the data directory, restore.
    await stop();
    rmSync(files.dataDir, { recursive: true, force: true });
    const restored = await restoreBackup({ archive: backup.archive, files });
    expect(restored.movedAsideTo).toBeNull();
    expect(restored.evidenceRestored).toBe(1);
    expect(readFileSync(join(files.evidence!, PHOTO_SHA.slice(0, 2), PHOTO_SHA.slice(2, 4), PHOTO_SHA)).equals(PHOTO)).toBe(true);
    expect(restored.found.cases).toEqual(backup.manifest.counts.cases);
    expect(restored.found.openSteps).toBeGreaterThanOrEqual(4);
    // The newest change of a case: a time of this run (not a raw number read as 1970, not the future).
    expect(Date.parse(restored.found.newestEvent!)).toBeGreaterThan(Date.now() - 3_600_000);
    expect(Date.parse(restored.found.newestEvent!)).toBeLessThanOrEqual(Date.now());
    await start();

    // Every case is there; what was done before the backup is still done, as it was.
    for (const id of ids) {
      const res = await call('supervisor', 'GET', `/api/processes/${encodeURIComponent(id)}`);
      expect(res.statusCode, res.body).toBe(200);
      const now = await doneSteps(id);
      for (const step of before.get(id)!) expect(now, id).toContainEqual(step);
    }
    // The open steps complete: each case through its village review.
    for (const id of ids) {
      const done = new Set((await doneSteps(id)).map((s) => s.id));
      for (const key of ['homeVerification', 'villageReview']) if (!done.has(`${key}-1`)) await complete(id, key);
    }
    for (const id of ids) {
      const s = await state(id);
      expect(s.steps.filter((x) => x.status === 'done').map((x) => x.id).sort(), id).toEqual(['homeVerification-1', 'villageReview-1']);
      expect(s.events.filter((e) => e.kind === 'step_done'), id).toHaveLength(2);
      // Nothing done twice: one accepted update per step in the history.
      expect(Object.values(await acceptedUpdates(id)).reduce((a, b) => a + b, 0), id).toBe(2);
      await whenOpen(id, 'publicNotice');
    }

    // Timers armed before the backup fire after the restore: the short policy's 30-second overall limit
    // marks every case overdue, in the workflow and in the read model.
    for (let i = 0; ; i++) {
      const rows = await env.services.db.em().find(Process, { id: ids });
      if (rows.length === ids.length && rows.every((r) => r.overdueSince)) break;
      if (i > 600) throw new Error(`cases never marked overdue: ${rows.filter((r) => !r.overdueSince).map((r) => r.id)}`);
      await sleep(100);
    }
    for (const id of ids) expect((await state(id)).overdueSince, id).toBeTruthy();

    // The read model rebuilt from the workflows equals the restored one (after the cases' last projections).
    const rebuilt: Db = await initORM(join(dir, 'rebuilt.sqlite'));
    try {
      await reproject({ client: env.services.temporal.client, db: rebuilt });
      const strip = ({ updatedAt: _u, runId: _r, ...rest }: any) => rest;
      const dump = async (d: Db) => ({
        processes: (await d.em().find(Process, {}, { orderBy: { id: 'ASC' } })).map(strip),
        steps: (await d.em().find(Step, {}, { orderBy: { id: 'ASC' } })).map(strip),
      });
      const live = await dump(env.services.db);
      expect(live.processes.map((p: any) => p.id).sort()).toEqual([...ids].sort());
      expect(await dump(rebuilt)).toEqual(live);
    } finally {
      await rebuilt.close();
    }
  }, 240_000);

  it('one .tar.gz file that tar reads too; refuses a damaged or cut-off archive, naming the file, and a data directory whose app is running; restores the folder an earlier release wrote', async () => {
    const { archive, bytes } = await takeBackup({ files, backupDir, keep: 3 });
    expect(archive).toMatch(/fangfan-backup-[\dT-]+Z\.tar\.gz$/);
    expect(statSync(archive).size).toBe(bytes);
    expect(readdirSync(backupDir).filter((f) => f.includes('.partial'))).toEqual([]);
    // Any machine opens it: the manifest first, then the databases and the evidence files.
    const listed = execFileSync('tar', ['-tzf', archive], { encoding: 'utf8' }).trim().split('\n');
    expect(listed).toEqual(['manifest.json', 'fangfan.sqlite', `files/${PHOTO_SHA.slice(0, 2)}/${PHOTO_SHA.slice(2, 4)}/${PHOTO_SHA}`, 'temporal.sqlite']);
    expect(JSON.parse(execFileSync('tar', ['-xzOf', archive, 'manifest.json'], { encoding: 'utf8' })).evidence).toEqual({ count: 1, bytes: PHOTO.length });
    await verifyBackup(archive);
    // The app runs: its dev server holds the lock on the Temporal file.
    await expect(restoreBackup({ archive, files })).rejects.toThrow(/the app is running on/);

    // A database swapped inside the archive: refused, naming the archive and the file.
    const unpacked = join(dir, 'unpacked');
    await unpackArchive(archive, unpacked);
    writeFileSync(join(unpacked, 'fangfan.sqlite'), 'not a database');
    const swapped = join(dir, 'swapped.tar.gz');
    await packArchive(unpacked, swapped);
    await expect(verifyBackup(swapped)).rejects.toThrow(/swapped\.tar\.gz: fangfan\.sqlite does not match its checksum/);
    await expect(restoreBackup({ archive: swapped, files })).rejects.toThrow(/fangfan\.sqlite does not match its checksum/);
    // An evidence file whose bytes no longer match the hash it is named by.
    await unpackArchive(archive, (rmSync(unpacked, { recursive: true }), unpacked));
    writeFileSync(join(unpacked, 'files', PHOTO_SHA.slice(0, 2), PHOTO_SHA.slice(2, 4), PHOTO_SHA), 'swapped');
    await packArchive(unpacked, swapped);
    await expect(verifyBackup(swapped)).rejects.toThrow(new RegExp(`${PHOTO_SHA} does not match the SHA-256`));
    // Cut off (a copy interrupted), or not an archive at all.
    const cut = join(dir, 'cut.tar.gz');
    writeFileSync(cut, readFileSync(archive).subarray(0, Math.floor(bytes / 2)));
    await expect(verifyBackup(cut)).rejects.toThrow(/cut\.tar\.gz: .*the archive is damaged/);
    writeFileSync(cut, 'hello');
    await expect(restoreBackup({ archive: cut, files })).rejects.toThrow(/cut\.tar\.gz: not a readable \.tar\.gz/);
    // Nothing was moved aside, replaced or left behind by the refusals.
    expect(readdirSync(files.dataDir).filter((f) => f.startsWith('before-restore-') || f.startsWith('.restoring-'))).toEqual([]);
    expect(existsSync(files.readModel)).toBe(true);
    // At most BACKUP_KEEP archives are kept, the folders of an earlier release counted with them.
    await unpackArchive(archive, (rmSync(unpacked, { recursive: true }), unpacked));
    const folder = join(backupDir, 'fangfan-backup-2026-01-01T00-00-00-000Z');
    renameSync(unpacked, folder);
    expect(listBackups(backupDir)[0]).toBe(folder);
    await takeBackup({ files, backupDir, keep: 2 });
    expect(listBackups(backupDir)).toHaveLength(2);
    expect(existsSync(folder)).toBe(false);

    // An earlier release's archive is a folder: still restored (here on a stopped app, into an empty data directory).
    await unpackArchive(archive, folder);
    await stop();
    const elsewhere: DataFiles = { dataDir: join(dir, 'elsewhere'), temporal: join(dir, 'elsewhere', 'temporal.sqlite'), readModel: join(dir, 'elsewhere', 'fangfan.sqlite'), evidence: join(dir, 'elsewhere', 'files') };
    const restored = await restoreBackup({ archive: folder, files: elsewhere });
    expect(restored.found.cases).toEqual(restored.manifest.counts.cases);
    expect(restored.evidenceRestored).toBe(1);
    expect(existsSync(folder)).toBe(true);
    await start();
  }, 120_000);
});
