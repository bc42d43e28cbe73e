/** The nightly backup of the embedded default (BACKUP_AT): when it runs, that it runs again after a failure, and its settings. */
import { describe, expect, it } from 'vitest';
import { backupSettings, nextRunAt, scheduleBackups } from '../../server/backup-schedule';
import type { BackupResult } from '../../server/backup';
import type { AppConfig } from '../../server/config';

describe('BACKUP_AT', () => {
  it('is the next time of day in Beijing time, today or tomorrow', () => {
    // 2026-12-07 17:30 UTC is 2026-12-08 01:30 in Beijing: 02:00 comes in half an hour.
    expect(nextRunAt(new Date('2026-12-07T17:30:00Z'), '02:00').toISOString()).toBe('2026-12-07T18:00:00.000Z');
    // 02:00 Beijing exactly has passed: the next is a day later.
    expect(nextRunAt(new Date('2026-12-07T18:00:00Z'), '02:00').toISOString()).toBe('2026-12-08T18:00:00.000Z');
    // 10:00 UTC is 18:00 in Beijing: 23:15 the same Beijing day.
    expect(nextRunAt(new Date('2026-12-07T10:00:00Z'), '23:15').toISOString()).toBe('2026-12-07T15:15:00.000Z');
  });

  it('refuses settings that are not a time of day or a number of copies, naming them', () => {
    expect(() => backupSettings({ BACKUP_AT: '25:00' }, { dataDir: '/d' })).toThrow(/BACKUP_AT/);
    expect(() => backupSettings({ BACKUP_AT: '2am' }, { dataDir: '/d' })).toThrow(/BACKUP_AT/);
    expect(() => backupSettings({ BACKUP_KEEP: '0' }, { dataDir: '/d' })).toThrow(/BACKUP_KEEP/);
    expect(backupSettings({ BACKUP_AT: '02:30', BACKUP_KEEP: '14' }, { dataDir: '/d' })).toEqual({ dir: '/d/backups', keep: 14, at: '02:30' });
    expect(backupSettings({}, { dataDir: '/d' }).at).toBeUndefined();
  });

  it('backs up at that time every day, logs the size and time, and tries again the next night after a failure', async () => {
    let clock = new Date('2026-12-07T17:30:00Z').getTime();
    const waits: number[] = [];
    let fire: (() => void) | undefined;
    const logs: string[] = [];
    let runs = 0;
    const result = { archive: '/d/backups/fangfan-backup-x.tar.gz', bytes: 3 * 1024 * 1024, removed: [], manifest: { durationMs: 1500, counts: { cases: { running: 2 }, openSteps: 3, policyVersions: 1, newestEvent: null } } } as unknown as BackupResult;
    const timer = scheduleBackups({} as AppConfig, { dir: '/d/backups', keep: 7, at: '02:00' }, (m) => logs.push(m), {
      now: () => new Date(clock),
      wait: (ms, then) => {
        waits.push(ms);
        fire = () => {
          clock += ms;
          then();
        };
        return () => (fire = undefined);
      },
      run: async () => {
        runs += 1;
        if (runs === 1) throw new Error('disk full');
        return result;
      },
    });
    expect(waits).toEqual([30 * 60_000]);
    fire!();
    await new Promise((r) => setTimeout(r, 10));
    expect(logs[0]).toMatch(/nightly backup failed: disk full \(next try tomorrow at 02:00\)/);
    expect(waits[1]).toBe(24 * 3_600_000);
    fire!();
    await new Promise((r) => setTimeout(r, 10));
    expect(logs[1]).toMatch(/nightly backup \/d\/backups\/fangfan-backup-x\.tar\.gz: 3\.0 MB in 1\.5 s/);
    timer.stop();
    expect(fire).toBeUndefined();
  });
});
