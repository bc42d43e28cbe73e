/** temporal.yaml and its environment overrides: the dev server's SQLite settings are checked before it starts. */
import { describe, expect, it } from 'vitest';
import { ConfigError, loadTemporalConfig } from '../../server/config';

describe('dev server SQLite settings', () => {
  it('takes journal_mode and synchronous from the environment, as --sqlite-pragma pairs', () => {
    const cfg = loadTemporalConfig({ TEMPORAL_DEV_SQLITE_PRAGMAS: 'journal_mode=wal, synchronous=normal' });
    expect(cfg.devServer.sqlitePragmas).toEqual({ journal_mode: 'wal', synchronous: 'normal' });
    expect(loadTemporalConfig({ TEMPORAL_DEV_SQLITE_PRAGMAS: '' }).devServer.sqlitePragmas).toEqual({});
  });

  it('refuses an unknown pragma or a value it does not take, naming it', () => {
    expect(() => loadTemporalConfig({ TEMPORAL_DEV_SQLITE_PRAGMAS: 'locking_mode=exclusive' })).toThrow(ConfigError);
    expect(() => loadTemporalConfig({ TEMPORAL_DEV_SQLITE_PRAGMAS: 'locking_mode=exclusive' })).toThrow(/locking_mode/);
    expect(() => loadTemporalConfig({ TEMPORAL_DEV_SQLITE_PRAGMAS: 'synchronous=sometimes' })).toThrow(/synchronous=sometimes/);
  });
});
