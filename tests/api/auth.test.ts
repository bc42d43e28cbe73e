/**
 * Login, logout, /auth/me and the lockout (4 free failures, then a lock growing from 1 to 15 minutes,
 * kept in the database), through the real app. Unknown usernames: security-findings-abuse.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditEntry, LoginThrottle } from '../../db';
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
    expect(await t.db.em().findOne(LoginThrottle, { username: 'town.gulu' })).toMatchObject({ failures: 1 });
    expect((await login('town.gulu', DEMO_PASSWORD)).statusCode).toBe(200);
    expect(await t.db.em().findOne(LoginThrottle, { username: 'town.gulu' })).toBeNull();
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

  it('locks a username after 4 consecutive failures, for longer with each further one (1, 2, 4, 8 minutes…), even against the right password', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await login('shuili', `wrong-${i}`)).statusCode);
    expect(statuses).toEqual([401, 401, 401, 401, 429]);
    const locked = await login('shuili', DEMO_PASSWORD);
    expect(locked.statusCode).toBe(429);
    expect(locked.json().error.code).toBe('rate_limited');
    // In Chinese, without an English tail (server/error-language.ts).
    expect(locked.json().error.message).toMatch(/锁定/);
    expect(locked.json().error.message).not.toMatch(/[a-z]{3,}/);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(50);
    expect(Number(locked.headers['retry-after'])).toBeLessThanOrEqual(60);

    // The lock is in the database (every instance sees it); each failure after it locks for twice as long.
    const em = t.db.em();
    const lapse = () => em.nativeUpdate(LoginThrottle, { username: 'shuili' }, { lockedUntil: new Date(Date.now() - 1000) });
    const retryAfter: number[] = [];
    for (let i = 0; i < 3; i++) {
      await lapse();
      const res = await login('shuili', 'still-wrong');
      expect(res.statusCode).toBe(429);
      retryAfter.push(Math.round(Number(res.headers['retry-after']) / 60));
    }
    expect(retryAfter).toEqual([2, 4, 8]);
    // Locked attempts are not counted (the right password above): the count is the failures the password was checked on.
    expect(await em.findOne(LoginThrottle, { username: 'shuili' }, { refresh: true })).toMatchObject({ failures: 8 });
    // The lock ends when its time has passed; a success clears the count.
    await lapse();
    expect((await login('shuili', DEMO_PASSWORD)).statusCode).toBe(200);
    expect(await em.findOne(LoginThrottle, { username: 'shuili' }, { refresh: true })).toBeNull();
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
