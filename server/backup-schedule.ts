/**
 * Where backups go and how many are kept (BACKUP_DIR, BACKUP_KEEP), and the nightly backup the app takes
 * by itself when BACKUP_AT (HH:MM, Beijing time) is set: `npm start` on the embedded default then needs no
 * cron line. Each run is logged with its size and time; a failure is logged and the next night tries again.
 */
import { resolve } from 'node:path';
import { REPO_ROOT, type AppConfig } from './config';
import { BackupError, dataFiles, describeCounts, formatBytes, takeBackup, type BackupResult } from './backup';

export interface BackupSettings {
  dir: string;
  keep: number;
  /** HH:MM Beijing time of the nightly backup; undefined: none (use `npm run backup`). */
  at?: string;
}

export function backupSettings(env: NodeJS.ProcessEnv, config: Pick<AppConfig, 'dataDir'>): BackupSettings {
  const dir = resolve(REPO_ROOT, env.BACKUP_DIR || resolve(config.dataDir, 'backups'));
  const keep = env.BACKUP_KEEP ? Number(env.BACKUP_KEEP) : 7;
  if (!Number.isInteger(keep) || keep < 1) throw new BackupError(`BACKUP_KEEP: expected a whole number of 1 or more, got "${env.BACKUP_KEEP}"`);
  const at = env.BACKUP_AT?.trim();
  if (at && !/^([01]\d|2[0-3]):[0-5]\d$/.test(at)) throw new BackupError(`BACKUP_AT: expected a time of day HH:MM (Beijing time), e.g. 02:00, got "${at}"`);
  return { dir, keep, ...(at ? { at } : {}) };
}

/** The next instant after `now` whose Beijing time of day is `at` (HH:MM). */
export function nextRunAt(now: Date, at: string): Date {
  const [h, m] = at.split(':').map(Number) as [number, number];
  const beijing = new Date(now.getTime() + 8 * 3_600_000); // its UTC fields are Beijing's wall clock
  let next = Date.UTC(beijing.getUTCFullYear(), beijing.getUTCMonth(), beijing.getUTCDate(), h, m) - 8 * 3_600_000;
  if (next <= now.getTime()) next += 86_400_000;
  return new Date(next);
}

export interface BackupTimer {
  stop(): void;
}

/**
 * Takes a backup every day at `settings.at` until stopped. `run` and `wait` are the backup and the timer
 * (tests give their own); the default logs each result.
 */
export function scheduleBackups(
  config: AppConfig,
  settings: BackupSettings & { at: string },
  log: (m: string) => void,
  deps: { now?: () => Date; wait?: (ms: number, then: () => void) => () => void; run?: () => Promise<BackupResult> } = {},
): BackupTimer {
  const now = deps.now ?? (() => new Date());
  const wait =
    deps.wait ??
    ((ms, then) => {
      const t = setTimeout(then, ms);
      t.unref();
      return () => clearTimeout(t);
    });
  const run = deps.run ?? (() => takeBackup({ files: dataFiles(config), backupDir: settings.dir, keep: settings.keep }));
  let cancel: () => void = () => undefined;
  let stopped = false;
  const arm = () => {
    if (stopped) return;
    const at = nextRunAt(now(), settings.at);
    cancel = wait(at.getTime() - now().getTime(), () => {
      void run()
        .then((r) => log(`nightly backup ${r.archive}: ${formatBytes(r.bytes)} in ${(r.manifest.durationMs / 1000).toFixed(1)} s, ${describeCounts(r.manifest.counts)}`))
        .catch((err) => log(`nightly backup failed: ${err instanceof Error ? err.message : err} (next try tomorrow at ${settings.at})`))
        .finally(arm);
    });
  };
  arm();
  return {
    stop() {
      stopped = true;
      cancel();
    },
  };
}
