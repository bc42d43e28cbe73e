/**
 * `npm run backup`: an online, consistent copy of the embedded default's two databases (the Temporal dev
 * server's and the read model's) and the evidence files into one dated archive, BACKUP_DIR (default
 * data/backups)/fangfan-backup-<time>.tar.gz, keeping the
 * newest BACKUP_KEEP (default 7). Safe while the app runs. See server/backup.ts and docs/operations.md.
 */
import { loadConfig } from '../server/config';
import { dataFiles, describeCounts, formatBytes, takeBackup } from '../server/backup';
import { backupSettings } from '../server/backup-schedule';

try {
  const config = loadConfig();
  const { dir: backupDir, keep } = backupSettings(process.env, config);
  const r = await takeBackup({ files: dataFiles(config), backupDir, keep });
  console.log(`[fangfan] backup ${r.archive}`);
  console.log(`[fangfan] ${formatBytes(r.bytes)} in ${(r.manifest.durationMs / 1000).toFixed(1)} s: ${describeCounts(r.manifest.counts)}`);
  if (r.manifest.evidence) console.log(`[fangfan] evidence files: ${r.manifest.evidence.count} (${formatBytes(r.manifest.evidence.bytes)})`);
  for (const d of r.removed) console.log(`[fangfan] removed the older backup ${d} (BACKUP_KEEP=${keep})`);
} catch (err) {
  console.error(`[fangfan] backup failed: ${err instanceof Error ? err.message : err}`);
  process.exit(1);
}
