/**
 * Upgrades: the read model's migrations run forward only and idempotently, and a release refuses to
 * start on a read model written by a newer release (its migrations table lists a migration this code
 * does not know), with a message that says so, without touching the data. And the previous release's
 * data (tests/fixtures/previous-release/, its own backup made by scripts/make-upgrade-fixture.ts) opens
 * with this code: restored, started, migrated forward once, its running cases replay and continue.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sqlite3 from 'sqlite3';
import { Worker } from '@temporalio/worker';
import { workflowBundle } from '../../server/worker';
import { restoreBackup } from '../../server/backup';
import { EmbeddedApp, today } from '../helpers/embedded-app';
import { photoId } from '../helpers/evidence';
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

const FIXTURE = fileURLToPath(new URL('../fixtures/previous-release/', import.meta.url));
const previous = JSON.parse(readFileSync(join(FIXTURE, 'cases.json'), 'utf8')) as { commit: string; archive: string; cases: { id: string; type: string; openSteps: string[] }[] };

/** The migrations a read-model file lists as applied (read without opening it through the app). */
function appliedMigrations(file: string): Promise<string[]> {
  return new Promise((ok, fail) => {
    const db = new sqlite3.Database(file, sqlite3.OPEN_READONLY, (err) => {
      if (err) return fail(err);
      db.all('select name from mikro_orm_migrations order by id', (e, rows: { name: string }[]) => db.close(() => (e ? fail(e) : ok(rows.map((r) => r.name)))));
    });
  });
}

describe('upgrading from the previous release', () => {
  const app = new EmbeddedApp(join(dir, 'previous'), fileURLToPath(new URL('../fixtures/policy-short.yaml', import.meta.url)));
  afterAll(() => app.stop());

  it(`the previous release's backup (${previous.commit.slice(0, 7)}) restores and starts: the read model migrates forward once, every running case replays and continues`, async () => {
    const restored = await restoreBackup({ archive: join(FIXTURE, previous.archive), files: app.files });
    expect(restored.found.cases).toEqual({ running: previous.cases.length });
    const before = await appliedMigrations(app.files.readModel);
    const added = migrationsList.map((m) => m.name).filter((n) => !before.includes(n));
    expect(added.length).toBeGreaterThan(0);
    expect(before.every((n) => migrationsList.some((m) => m.name === n))).toBe(true);

    await app.start();
    expect(await appliedMigrations(app.files.readModel)).toEqual([...before, ...added]);
    // Every case the previous release left running replays on this code, and is where it was.
    const bundle = await workflowBundle();
    for (const c of previous.cases) {
      const history = await app.services.temporal.client.workflow.getHandle(c.id).fetchHistory();
      await Worker.runReplayHistory({ workflowBundle: bundle }, history, c.id);
      const d = (await app.detail('supervisor', c.id)).json();
      expect(d.openSteps.map((s: { key: string }) => s.key).sort(), c.id).toEqual(c.openSteps);
    }
    // Its numbers, given by the migration that came after it, as a person reads them.
    const numbered = (await app.detail('supervisor', 'identification:H00000001:1')).json();
    expect(numbered.caseNo).toMatch(/^认定-\d{4}-\d{4}$/);

    // And they continue: the P1 from its notice to approval, the P4 from its works to payment, the demo P1s verified.
    const p1 = 'identification:H00000001:1';
    await app.complete('cadre.rongguang', p1, 'publicNotice', { postedOn: today(), endedOn: today(), location: '村务公开栏', photos: [await photoId(app, 'cadre.rongguang')] });
    await app.complete('town.tongjing', p1, 'townReview', { decision: 'approve' });
    await app.complete('supervisor', p1, 'districtApproval', { decision: 'approve' });
    const p4 = 'houseRebuild:H00000002:1';
    await app.complete('cadre.rongguang', p4, 'reinforcement', { finishedOn: today(), summary: '加固完成' });
    await app.complete('zhujian', p4, 'acceptance', { result: 'pass', inspectedOn: today(), inspectors: '区住房城乡建委 李工', sitePhotos: [await photoId(app, 'zhujian')] });
    await app.complete('caizheng', p4, 'payment', { amount: 7500, voucherNo: 'YKT-UPGRADE', voucher: [await photoId(app, 'caizheng')], paidOn: today() });
    for (const id of [p1, p4]) expect((await app.state(id)).status, id).toBe('completed');
    expect((await app.state(p1)).data.followUpId).toMatch(/^helperAssignment:H00000001:/);
    // (吉星村 has one cadre in the demo data; a second one, for the co-verification, is added after the upgrade.)
    const account = await app.call('admin', { method: 'POST', url: '/api/users', payload: { username: 'cadre.jixing2', name: '周新', roles: ['village_cadre'], town: '古路镇', village: '吉星村', password: 'first-pass-1' } });
    expect(account.statusCode, account.body).toBe(201);
    for (const [id, cadre, coVerifierId] of [
      ['identification:H00000003:1', 'cadre.rongguang', 'cadre.rongguang2'],
      ['identification:H00000006:1', 'cadre.jixing', 'cadre.jixing2'],
    ]) {
      await app.complete(cadre, id, 'homeVerification', { verifiedOn: today(), coVerifierId, memberCount: 3, perCapitaIncome: 5600, guarantees: { foodClothing: 'secure', education: 'secure', medical: 'at_risk', housing: 'secure', water: 'secure' }, findings: '升级后核实' });
      await app.whenOpen(cadre, id, 'villageReview');
    }

    // Started again, nothing more to migrate.
    await app.stop();
    const again = await initORM(app.files.readModel);
    await again.close();
    expect(await appliedMigrations(app.files.readModel)).toEqual([...before, ...added]);
  }, 240_000);
});
