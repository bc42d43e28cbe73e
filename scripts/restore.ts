/**
 * `npm run restore <archive>`: puts a backup (scripts/backup.ts: a .tar.gz file, or the folder an earlier
 * release wrote) back in DATA_DIR, on a stopped app.
 * Verifies the archive's checksums first, refuses while the app runs, moves the files in place aside
 * (into DATA_DIR/before-restore-<time>/, never deleted) and says what it restored. Then `npm start`.
 */
import { loadConfig } from '../server/config';
import { appVersion, BackupError, dataFiles, describeCounts, restoreBackup } from '../server/backup';

try {
  const archive = process.argv[2];
  if (!archive) throw new BackupError('usage: npm run restore <archive> (e.g. data/backups/fangfan-backup-2026-12-07T02-00-00-000Z.tar.gz, or the folder an earlier release wrote)');
  const r = await restoreBackup({ archive, files: dataFiles(loadConfig()) });
  console.log(`[fangfan] restored the backup of ${r.manifest.createdAt} (fangfan ${r.manifest.app.version})`);
  if (r.movedAsideTo) console.log(`[fangfan] the files that were in place are in ${r.movedAsideTo}`);
  console.log(`[fangfan] found: ${describeCounts(r.found)}`);
  if (r.manifest.evidence) console.log(`[fangfan] evidence files: ${r.evidenceRestored} put back of ${r.manifest.evidence.count} in the backup`);
  const current = appVersion();
  if (r.manifest.app.version !== current.version) {
    console.log(`[fangfan] the backup was taken by fangfan ${r.manifest.app.version}, this is ${current.version}: the start migrates an older read model forward, and refuses one written by a newer release`);
  }
  console.log('[fangfan] start the app with npm start');
} catch (err) {
  console.error(`[fangfan] restore refused: ${err instanceof Error ? err.message : err}`);
  process.exit(1);
}
