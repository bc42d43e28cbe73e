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

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ worker: false, limits: { loginPerIp: 10_000, loginPerUser: 1000, perKey: 100_000, bodyBytes: 1024 * 1024 } });
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
