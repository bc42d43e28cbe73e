/**
 * Upgrades: the read model's migrations run forward only and idempotently, and a release refuses to
 * start on a read model written by a newer release (its migrations table lists a migration this code
 * does not know), with a message that says so, without touching the data.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CaseNumber, initORM, PolicyVersion, Process } from '../../db';
import { projectCase } from '../../activities/read-model';
import type { CaseState } from '../../contracts/steps';
import { migrationsList } from '../../db/migrations';

const dir = mkdtempSync(join(tmpdir(), 'fangfan-upgrade-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('opening a read model', () => {
  it('applies the migrations once: opening it again changes nothing', async () => {
    const file = join(dir, 'again.sqlite');
    const first = await initORM(file);
    const applied = await first.orm.getMigrator().getExecutedMigrations();
    expect(applied.map((m) => m.name)).toEqual(migrationsList.map((m) => m.name));
    await first.close();
    const second = await initORM(file);
    expect((await second.orm.getMigrator().getExecutedMigrations()).map((m) => m.name)).toEqual(applied.map((m) => m.name));
    await second.close();
  });

  it('refuses a read model written by a newer release, naming the unknown migration, and leaves it as it was', async () => {
    const file = join(dir, 'newer.sqlite');
    const db = await initORM(file);
    await db.orm.em.getConnection().execute("insert into mikro_orm_migrations (name, executed_at) values ('Migration20991231FromTheFuture', current_timestamp)");
    const policyVersions = await db.em().count(PolicyVersion, {});
    await db.close();

    const opening = initORM(file);
    await expect(opening).rejects.toThrow(/written by a newer release of fangfan/);
    await expect(opening).rejects.toThrow(/Migration20991231FromTheFuture/);
    await expect(opening).rejects.toThrow(new RegExp(`the newest it knows: ${migrationsList.at(-1)!.name}`));

    // Untouched: still readable without migrating, the unknown migration still listed.
    const look = await initORM(file, { migrate: false });
    expect((await look.orm.getMigrator().getExecutedMigrations()).map((m) => m.name)).toContain('Migration20991231FromTheFuture');
    expect(await look.em().count(PolicyVersion, {})).toBe(policyVersions);
    await look.close();
  });

  it('numbers the cases a read model already holds by start time, and new cases go on from there', async () => {
    const file = join(dir, 'numbers.sqlite');
    const db = await initORM(file);
    const row = (id: string, type: string, startedAt: string) => ({ id, type, status: 'running', stage: 's', subject: id, title: '户主', town: '统景镇', village: '荣光村', startedAt: new Date(startedAt), revision: 1 });
    const em = db.em();
    em.create(Process, row('identification:H2:1', 'identification', '2026-03-02T02:00:00Z'));
    em.create(Process, row('identification:H1:1', 'identification', '2026-03-01T02:00:00Z'));
    em.create(Process, row('houseRebuild:H1:1', 'houseRebuild', '2026-03-01T03:00:00Z'));
    // Started on 1 January 2026 in Beijing (31 December 2025 in UTC).
    em.create(Process, row('identification:H3:1', 'identification', '2025-12-31T17:00:00Z'));
    await em.flush();
    // As a read model written before this migration: no numbers yet.
    const conn = db.orm.em.getConnection();
    await conn.execute('drop table case_number');
    await conn.execute('drop table case_counter');
    await conn.execute("delete from mikro_orm_migrations where name = 'Migration20261208CaseNumbers'");
    await db.close();

    const upgraded = await initORM(file);
    const numbers = async () => Object.fromEntries((await upgraded.em().find(CaseNumber, {})).map((n) => [n.processId, n.caseNo]));
    expect(await numbers()).toEqual({
      'identification:H3:1': '认定-2026-0001',
      'identification:H1:1': '认定-2026-0002',
      'identification:H2:1': '认定-2026-0003',
      'houseRebuild:H1:1': '危改-2026-0001',
    });
    const state = { processId: 'identification:H4:1', type: 'identification', status: 'running', stage: 's', subject: 'H4', householdId: 'H4', town: '统景镇', village: '荣光村', startedAt: '2026-03-03T02:00:00Z', revision: 1, steps: [], data: {} };
    await projectCase(upgraded.em(), state as unknown as CaseState);
    await projectCase(upgraded.em(), { ...state, revision: 2 } as unknown as CaseState);
    expect((await numbers())['identification:H4:1']).toBe('认定-2026-0004');
    await upgraded.close();
  });
});
