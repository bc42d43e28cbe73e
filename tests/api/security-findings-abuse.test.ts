/**
 * Findings of a hostile test run (issue 15) about abuse of the doors themselves, over HTTP:
 * 5. the login lockout told real usernames from invented ones, and only time lifted it;
 * 6. every failed API key attempt wrote an audit row, without limit;
 * 8. `Idempotency-Key` was ignored on writes other than the case commands.
 * No worker: none of this reaches a workflow.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiKey, AuditEntry, Household, LoginThrottle, User } from '../../db';
import { hashPassword } from '../../server/passwords';
import { DEMO_PASSWORD, startTestApp, type TestApp } from '../helpers/app';
import { RONGGUANG, createKey, eventually, randomIdNumber } from '../helpers/integrations';

let t: TestApp;
beforeAll(async () => {
  // Failed key attempts: 3 per address in windows of 2 seconds (the default is 10 a minute).
  t = await startTestApp({ worker: false, limits: { loginPerIp: 10_000, loginPerUser: 1000, perKey: 100_000, keyFailuresPerIp: 3, keyFailureWindowMs: 2000 } });
  const em = t.db.em();
  em.create(User, { id: 'cadre.left', username: 'cadre.left', name: '已调离干部', passwordHash: await hashPassword(DEMO_PASSWORD), roles: ['village_cadre'], town: '统景镇', village: '荣光村', active: false });
  await em.flush();
}, 60_000);
afterAll(async () => t?.close());

const login = (username: string, password: string) => t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
const audits = (where: Record<string, unknown>) => t.db.em().find(AuditEntry, where, { orderBy: { id: 'ASC' } });

describe('5. login lockout', () => {
  /** Statuses, bodies and Retry-After of five wrong passwords and then the right one. */
  const attempts = async (username: string) => {
    const out: { status: number; body: unknown; retryAfter?: string }[] = [];
    for (const password of ['w1', 'w2', 'w3', 'w4', 'w5', DEMO_PASSWORD]) {
      const res = await login(username, password);
      out.push({ status: res.statusCode, body: res.json(), retryAfter: res.headers['retry-after'] as string | undefined });
    }
    return out;
  };

  it('answers a real, an inactive and an invented username alike, failure after failure, lock included', async () => {
    const real = await attempts('town.gulu');
    expect(real.map((a) => a.status)).toEqual([401, 401, 401, 401, 429, 429]);
    expect(await attempts('cadre.left')).toEqual(real);
    expect(await attempts('no.such.officer')).toEqual(real);
    // The audit log tells them apart (and records each lock); the answers do not.
    const locks = await audits({ action: 'login_locked' });
    expect(locks.map((l) => [l.actorId, l.detail?.known, l.detail?.failures])).toEqual([
      ['town.gulu', true, 5],
      ['cadre.left', true, 5],
      ['no.such.officer', false, 5],
    ]);
  });

  it('an administrator sees the lock and lifts it, audited; nobody else may', async () => {
    for (let i = 0; i < 5; i++) await login('weijian', `wrong-${i}`);
    expect((await login('weijian', DEMO_PASSWORD)).statusCode).toBe(429);
    const shown = (await t.call('admin', { method: 'GET', url: '/api/users/weijian' })).json();
    expect(Date.parse(shown.lockedUntil)).toBeGreaterThan(Date.now());
    expect((await t.call('supervisor', { method: 'GET', url: '/api/users/weijian' })).json()).not.toHaveProperty('lockedUntil');

    for (const who of ['supervisor', 'town.tongjing']) expect((await t.call(who, { method: 'POST', url: '/api/users/weijian/unlock' })).statusCode, who).toBe(403);
    expect((await login('weijian', DEMO_PASSWORD)).statusCode).toBe(429);
    const unlocked = await t.call('admin', { method: 'POST', url: '/api/users/weijian/unlock' });
    expect(unlocked.statusCode).toBe(200);
    expect(unlocked.json()).not.toHaveProperty('lockedUntil');
    expect(await t.db.em().findOne(LoginThrottle, { username: 'weijian' })).toBeNull();
    expect((await login('weijian', DEMO_PASSWORD)).statusCode).toBe(200);
    expect((await t.call('admin', { method: 'POST', url: '/api/users/nobody/unlock' })).statusCode).toBe(404);

    const [entry] = await audits({ action: 'login_unlock', target: 'weijian' });
    expect(entry).toMatchObject({ actorId: 'admin', outcome: 'ok', detail: { username: 'weijian', wasLocked: true } });
    const refused = await audits({ action: 'role_change', outcome: 'refused' });
    expect(refused.filter((r) => r.detail?.endpoint === 'POST /api/users/:id/unlock' && r.detail?.status === 403).map((r) => r.actorId)).toEqual(['supervisor', 'town.tongjing']);
  });

  it('locks for 15 minutes at most, however many failures', async () => {
    for (let i = 0; i < 5; i++) await login('minzheng', `wrong-${i}`);
    await t.db.em().nativeUpdate(LoginThrottle, { username: 'minzheng' }, { failures: 40, lockedUntil: new Date(Date.now() - 1000) });
    const res = await login('minzheng', 'wrong-again');
    expect(res.statusCode).toBe(429);
    expect(Number(res.headers['retry-after'])).toBe(15 * 60);
  });
});

describe('6. failed API key attempts', () => {
  const tryKey = (key: string, remoteAddress: string) => t.app.inject({ method: 'GET', url: '/api/auth/me', remoteAddress, headers: { authorization: `Bearer ${key}` } });
  const guess = () => `ffk_${Math.random().toString(16).slice(2, 14).padEnd(12, '0')}_${'A'.repeat(43)}`;

  it('are limited per address (429 with Retry-After), and audited as one entry and one summary, not a row each', async () => {
    const valid = await createKey(t, ['alert']);
    const revoked = await createKey(t, ['alert']);
    expect((await t.call('admin', { method: 'DELETE', url: `/api/api-keys/${revoked.id}` })).statusCode).toBe(200);
    const attempts = [revoked.key, guess(), guess(), guess(), guess(), guess()];
    const statuses: number[] = [];
    let retryAfter: string | undefined;
    for (const key of attempts) {
      const res = await tryKey(key, '203.0.113.9');
      statuses.push(res.statusCode);
      if (res.statusCode === 429) {
        retryAfter = res.headers['retry-after'] as string;
        expect(res.json().error.code).toBe('rate_limited');
      }
    }
    expect(statuses).toEqual([401, 401, 401, 429, 429, 429]);
    expect(Number(retryAfter)).toBeGreaterThan(0);
    // Another address is not held back, nor a valid key from it.
    expect((await tryKey(guess(), '203.0.113.10')).statusCode).toBe(401);
    expect((await tryKey(valid.key, '203.0.113.10')).statusCode).toBe(200);

    const rows = await eventually(
      () => t.db.em().find(AuditEntry, { action: 'api_key_failed', ip: '203.0.113.9' }, { orderBy: { id: 'ASC' } }),
      (r) => r.length >= 2,
      15_000,
    );
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ target: revoked.id, outcome: 'refused', detail: { reason: 'revoked' } });
    expect(rows[1]).toMatchObject({ outcome: 'refused', detail: { aggregated: true, attempts: 5, failures: 2, rateLimited: 3, reasons: { unknown: 2 } } });
    expect(rows[1].detail?.keys).toHaveLength(2);
    // Once the window has passed, the address may try again.
    expect((await tryKey(valid.key, '203.0.113.9')).statusCode).toBe(200);
  });
});

describe('8. Idempotency-Key on every write', () => {
  const withIdempotency = (key: string) => ({ 'idempotency-key': key });

  it('five parallel key creations under one key make one key, answered alike', async () => {
    const before = await t.db.em().count(ApiKey, {});
    const create = () => t.call('admin', { method: 'POST', url: '/api/api-keys', payload: { name: '并发系统', scopes: ['alert'] }, headers: withIdempotency('new-key-1') });
    const answers = await Promise.all([create(), create(), create(), create(), create()]);
    expect(answers.map((a) => a.statusCode)).toEqual([201, 201, 201, 201, 201]);
    expect(new Set(answers.map((a) => a.json().id)).size).toBe(1);
    expect(answers.filter((a) => a.headers['idempotent-replayed'] === 'true')).toHaveLength(4);
    expect(await t.db.em().count(ApiKey, {})).toBe(before + 1);
    expect(await t.db.em().count(AuditEntry, { action: 'api_key_create', target: answers[0].json().id })).toBe(1);
  });

  it('a retried household registration or change gets its first answer, not a 409, and changes nothing twice', async () => {
    const body = { headName: '重试户', idNumber: randomIdNumber(), memberCount: 3, ...RONGGUANG };
    const first = await t.call('cadre.rongguang', { method: 'POST', url: '/api/households', payload: body, headers: withIdempotency('hh-create-1') });
    expect(first.statusCode).toBe(201);
    const again = await t.call('cadre.rongguang', { method: 'POST', url: '/api/households', payload: body, headers: withIdempotency('hh-create-1') });
    expect(again.statusCode).toBe(201);
    expect(again.json()).toEqual(first.json());
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(await t.db.em().count(Household, { idNumber: body.idNumber })).toBe(1);
    // Without the key the same registration is the duplicate it is.
    expect((await t.call('cadre.rongguang', { method: 'POST', url: '/api/households', payload: body })).statusCode).toBe(409);

    const id = first.json().id as string;
    const change = () => t.call('cadre.rongguang', { method: 'PUT', url: `/api/households/${id}`, payload: { memberCount: 4 }, headers: withIdempotency('hh-change-1') });
    expect((await change()).statusCode).toBe(200);
    await t.db.em().nativeUpdate(Household, { id }, { memberCount: 5 }); // changed by someone else meanwhile
    const replayed = await change();
    expect(replayed.json().memberCount).toBe(4);
    expect((await t.db.em().findOneOrFail(Household, { id }, { refresh: true })).memberCount).toBe(5); // not written again
    expect(await t.db.em().count(AuditEntry, { action: 'household_update', target: id, outcome: 'ok' })).toBe(1);
  });

  it('the same key with another request is a 422 naming Idempotency-Key; a refused request lets its key go', async () => {
    const create = (name: string) => t.call('admin', { method: 'POST', url: '/api/villages', payload: { town: '统景镇', name }, headers: withIdempotency('village-1') });
    expect((await create('重试村')).statusCode).toBe(201);
    const other = await create('另一个村');
    expect(other.statusCode).toBe(422);
    expect(other.json().error.details).toEqual([expect.objectContaining({ field: 'Idempotency-Key', rule: 'sameRequest' })]);
    expect(other.json().error.message).toContain('Idempotency-Key');

    // Refused (outside the cadre's village): nothing was done, so the key is free for the corrected request.
    const body = { headName: '改正户', idNumber: randomIdNumber(), memberCount: 2, town: '古路镇', village: '吉星村' };
    const refused = await t.call('cadre.rongguang', { method: 'POST', url: '/api/households', payload: body, headers: withIdempotency('hh-fix-1') });
    expect(refused.statusCode).toBe(403);
    const corrected = await t.call('cadre.rongguang', { method: 'POST', url: '/api/households', payload: { ...body, ...RONGGUANG }, headers: withIdempotency('hh-fix-1') });
    expect(corrected.statusCode).toBe(201);
  });
});
