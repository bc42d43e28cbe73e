/**
 * The backup archive of the embedded default (server/backup.ts, what `npm run backup` and `npm run restore`
 * run): one `.tar.gz` file that `tar` reads too, checked on restore (a swapped file, a cut-off archive and a
 * running app are refused, naming them), pruned to BACKUP_KEEP, and the folder an earlier release wrote is
 * still restored. The restore drill (cases continuing after a restore) is tests/ops/restore-drill.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHash } from 'node:crypto';
import { listBackups, restoreBackup, takeBackup, verifyBackup, type DataFiles } from '../../server/backup';
import { packArchive, unpackArchive } from '../../server/backup-archive';
import { EmbeddedApp } from '../helpers/embedded-app';

const dir = mkdtempSync(join(tmpdir(), 'fangfan-backup-'));
const app = new EmbeddedApp(join(dir, 'data'), fileURLToPath(new URL('../fixtures/policy-short.yaml', import.meta.url)));
const backupDir = join(dir, 'backups');
/** A photo in the evidence store (the app keeps it beside its read model: DATA_DIR/files). */
const PHOTO = Buffer.from('公示照片（备份演练）');
const PHOTO_SHA = createHash('sha256').update(PHOTO).digest('hex');

beforeAll(async () => {
  await app.start();
  const res = await app.call('cadre.rongguang', { method: 'POST', url: '/api/processes', payload: { type: 'identification', input: { householdId: 'H00000001', channel: 'cadre_check', category: 'marginal', riskTypes: ['illness'], description: '备份' } } });
  expect(res.statusCode, res.body).toBe(201);
  await app.services.files.put(PHOTO_SHA, PHOTO);
}, 180_000);

afterAll(async () => {
  await app.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('the backup archive', () => {
  it('one .tar.gz file that tar reads too; refuses a damaged or cut-off archive, naming the file, and a data directory whose app is running; restores the folder an earlier release wrote', async () => {
    const { archive, bytes } = await takeBackup({ files: app.files, backupDir, keep: 3 });
    expect(archive).toMatch(/fangfan-backup-[\dT-]+Z\.tar\.gz$/);
    expect(statSync(archive).size).toBe(bytes);
    expect(readdirSync(backupDir).filter((f) => f.includes('.partial'))).toEqual([]);
    // Any machine opens it: the manifest first, then the databases and the evidence files.
    const listed = execFileSync('tar', ['-tzf', archive], { encoding: 'utf8' }).trim().split('\n');
    expect(listed).toEqual(['manifest.json', 'fangfan.sqlite', `files/${PHOTO_SHA.slice(0, 2)}/${PHOTO_SHA.slice(2, 4)}/${PHOTO_SHA}`, 'temporal.sqlite']);
    expect(JSON.parse(execFileSync('tar', ['-xzOf', archive, 'manifest.json'], { encoding: 'utf8' })).evidence).toEqual({ count: 1, bytes: PHOTO.length });
    await verifyBackup(archive);
    // The app runs: its dev server holds the lock on the Temporal file.
    await expect(restoreBackup({ archive, files: app.files })).rejects.toThrow(/the app is running on/);

    // A database swapped inside the archive: refused, naming the archive and the file.
    const unpacked = join(dir, 'unpacked');
    await unpackArchive(archive, unpacked);
    writeFileSync(join(unpacked, 'fangfan.sqlite'), 'not a database');
    const swapped = join(dir, 'swapped.tar.gz');
    await packArchive(unpacked, swapped);
    await expect(verifyBackup(swapped)).rejects.toThrow(/swapped\.tar\.gz: fangfan\.sqlite does not match its checksum/);
    await expect(restoreBackup({ archive: swapped, files: app.files })).rejects.toThrow(/fangfan\.sqlite does not match its checksum/);
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
    await expect(restoreBackup({ archive: cut, files: app.files })).rejects.toThrow(/cut\.tar\.gz: not a readable \.tar\.gz/);
    // Nothing was moved aside, replaced or left behind by the refusals.
    expect(readdirSync(app.files.dataDir).filter((f) => f.startsWith('before-restore-') || f.startsWith('.restoring-'))).toEqual([]);
    expect(existsSync(app.files.readModel)).toBe(true);
    // At most BACKUP_KEEP archives are kept, the folders of an earlier release counted with them.
    await unpackArchive(archive, (rmSync(unpacked, { recursive: true }), unpacked));
    const folder = join(backupDir, 'fangfan-backup-2026-01-01T00-00-00-000Z');
    renameSync(unpacked, folder);
    expect(listBackups(backupDir)[0]).toBe(folder);
    await takeBackup({ files: app.files, backupDir, keep: 2 });
    expect(listBackups(backupDir)).toHaveLength(2);
    expect(existsSync(folder)).toBe(false);

    // An earlier release's archive is a folder: still restored (here on a stopped app, into an empty data directory).
    await unpackArchive(archive, folder);
    await app.stop();
    const elsewhere: DataFiles = { dataDir: join(dir, 'elsewhere'), temporal: join(dir, 'elsewhere', 'temporal.sqlite'), readModel: join(dir, 'elsewhere', 'fangfan.sqlite'), evidence: join(dir, 'elsewhere', 'files') };
    const restored = await restoreBackup({ archive: folder, files: elsewhere });
    expect(restored.found.cases).toEqual(restored.manifest.counts.cases);
    expect(restored.evidenceRestored).toBe(1);
    expect(existsSync(folder)).toBe(true);
    await app.start();
  }, 120_000);
});
