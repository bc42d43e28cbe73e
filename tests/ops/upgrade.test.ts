/**
 * Upgrades: the read model's migrations run forward only and idempotently, and a release refuses to
 * start on a read model written by a newer release (its migrations table lists a migration this code
 * does not know), with a message that says so, without touching the data.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initORM, PolicyVersion } from '../../db';
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
});
