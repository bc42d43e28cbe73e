/**
 * Findings of a hostile test run (issue 15) about abuse of the doors themselves, over HTTP:
 * 5. the login lockout told real usernames from invented ones, and only time lifted it;
 * 6. every failed API key attempt wrote an audit row, without limit;
 * 8. `Idempotency-Key` was ignored on writes other than the case commands.
 * No worker: none of this reaches a workflow.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditEntry, LoginThrottle, User } from '../../db';
import { hashPassword } from '../../server/passwords';
import { DEMO_PASSWORD, startTestApp, type TestApp } from '../helpers/app';
import { createKey, eventually } from '../helpers/integrations';

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
