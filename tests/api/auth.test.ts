/**
 * Login, logout, /auth/me and the lockout (5 failures → 15 minutes, kept in the database), through
 * the real app.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditEntry, User } from '../../db';
import { DEMO_PASSWORD, startTestApp, type TestApp } from '../helpers/app';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ worker: false });
});
afterAll(async () => t?.close());

const login = (username: string, password: string, extra: Record<string, unknown> = {}) =>
  t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password, ...extra } });

describe('POST /api/auth/login', () => {
  it('answers a token and the user with their scope', async () => {
    const res = await login('cadre.rongguang', DEMO_PASSWORD);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.token).toEqual(expect.any(String));
    expect(body.user).toEqual({ id: 'cadre.rongguang', name: expect.any(String), roles: ['village_cadre'], town: '统景镇', village: '荣光村' });
    const dept = (await login('yibao', DEMO_PASSWORD)).json().user;
    expect(dept).toMatchObject({ roles: ['department_officer'], department: '区医保局' });
    expect(dept).not.toHaveProperty('town');
  });

  it('refuses a wrong password and an unknown user alike (401, standard error body)', async () => {
    const wrong = await login('town.gulu', 'not-the-password');
    const unknown = await login('nobody.here', 'whatever');
    for (const res of [wrong, unknown]) {
      expect(res.statusCode).toBe(401);
      expect(res.json()).toEqual({ error: { code: 'unauthenticated', message: expect.any(String), details: [] } });
    }
    expect(wrong.json().error.message).toBe(unknown.json().error.message);
    // a later success resets the counter
    expect((await login('town.gulu', DEMO_PASSWORD)).statusCode).toBe(200);
    const u = await t.db.em().findOneOrFail(User, { username: 'town.gulu' });
    expect(u.failedLogins).toBe(0);
  });

  it('audits successes and failures with the client address', async () => {
    await login('minzheng', 'wrong');
    await login('minzheng', DEMO_PASSWORD);
    const rows = await t.db.em().find(AuditEntry, { action: { $in: ['login', 'login_failed'] }, $or: [{ actorId: 'minzheng' }, { target: 'minzheng' }] }, { orderBy: { id: 'ASC' } });
    expect(rows.map((r) => [r.action, r.outcome])).toEqual([
      ['login_failed', 'refused'],
      ['login', 'ok'],
    ]);
    for (const r of rows) expect(r.ip).toBeTruthy();
  });

  it('validates the body (400 naming the field)', async () => {
    const res = await login('admin', DEMO_PASSWORD, { remember: true });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details).toContainEqual(expect.objectContaining({ field: 'remember' }));
    const empty = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'admin' } });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error.details).toContainEqual(expect.objectContaining({ field: 'password', rule: 'required' }));
  });

  it('locks an account for 15 minutes after 5 consecutive failures, even against the right password', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await login('shuili', `wrong-${i}`)).statusCode);
    expect(statuses).toEqual([401, 401, 401, 401, 429]);
    const locked = await login('shuili', DEMO_PASSWORD);
    expect(locked.statusCode).toBe(429);
    expect(locked.json().error.code).toBe('rate_limited');
    expect(locked.json().error.message).toMatch(/锁定/);
    expect(locked.json().error.message).toMatch(/locked/);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(14 * 60);

    // The lock is in the database (every instance sees it) …
    const em = t.db.em();
    const u = await em.findOneOrFail(User, { username: 'shuili' });
    expect(u.lockedUntil!.getTime() - Date.now()).toBeGreaterThan(14 * 60_000);
    expect(u.lockedUntil!.getTime() - Date.now()).toBeLessThanOrEqual(15 * 60_000);
    // … and ends when its time has passed.
    await em.nativeUpdate(User, { id: u.id }, { lockedUntil: new Date(Date.now() - 1000) });
    const after = await login('shuili', DEMO_PASSWORD);
    expect(after.statusCode).toBe(200);
    const reset = await t.db.em().findOneOrFail(User, { username: 'shuili' });
    expect(reset.failedLogins).toBe(0);
    expect(reset.lockedUntil).toBeNull();
  });

  it('counts only consecutive failures', async () => {
    for (let i = 0; i < 4; i++) expect((await login('jiaowei', 'wrong')).statusCode).toBe(401);
    expect((await login('jiaowei', DEMO_PASSWORD)).statusCode).toBe(200);
    for (let i = 0; i < 4; i++) expect((await login('jiaowei', 'wrong')).statusCode).toBe(401);
    expect((await login('jiaowei', DEMO_PASSWORD)).statusCode).toBe(200);
  });
});

describe('tokens', () => {
  it('everything under /api but login and health needs a token (401)', async () => {
    for (const url of ['/api/auth/me', '/api/households', '/api/calendar/2025', '/api/villages', '/api/users']) {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(401);
      expect(res.json().error.code).toBe('unauthenticated');
    }
    const bad = await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { authorization: 'Bearer not-a-token' } });
    expect(bad.statusCode).toBe(401);
  });

  it('GET /api/auth/me answers the user of the token', async () => {
    const res = await t.call('town.tongjing', { method: 'GET', url: '/api/auth/me' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ id: 'town.tongjing', name: expect.any(String), roles: ['town_officer'], town: '统景镇' });
  });

  it('logout ends the session: the token stops working', async () => {
    const token = (await login('weijian', DEMO_PASSWORD)).json().token as string;
    const headers = { authorization: `Bearer ${token}` };
    expect((await t.app.inject({ method: 'GET', url: '/api/auth/me', headers })).statusCode).toBe(200);
    const out = await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers });
    expect(out.statusCode).toBe(204);
    expect((await t.app.inject({ method: 'GET', url: '/api/auth/me', headers })).statusCode).toBe(401);
  });
});
