/**
 * Administrators create users and reset passwords: the new user logs in with the first password; a
 * reset ends the user's sessions and the old password stops working; a taken username is a 409, a
 * place that does not fit the roles a 400 naming the field; both are audited, never with the password.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app';
import { AuditEntry } from '../../db';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

const login = (username: string, password: string) => t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
const NEW = { username: 'cadre.new1', name: '王新', roles: ['village_cadre'], town: '统景镇', village: '荣光村', password: 'first-pass-1' };

describe('user accounts', () => {
  it('an admin creates a user who then logs in; the username cannot be taken twice', async () => {
    const res = await t.call('admin', { method: 'POST', url: '/api/users', payload: NEW });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toEqual({ id: 'cadre.new1', username: 'cadre.new1', name: '王新', roles: ['village_cadre'], town: '统景镇', village: '荣光村', department: null, active: true });
    expect(res.body).not.toContain('first-pass-1');
    expect((await login('cadre.new1', 'first-pass-1')).statusCode).toBe(200);
    const again = await t.call('admin', { method: 'POST', url: '/api/users', payload: { ...NEW, name: '另一人' } });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.message).toBe('用户名 cadre.new1 已被使用');
    const entries = await t.db.em().find(AuditEntry, { action: 'user_create' });
    expect(entries.map((e) => e.outcome).sort()).toEqual(['ok', 'refused']);
    expect(JSON.stringify(entries)).not.toContain('first-pass-1');
  });

  it('refuses a place that does not fit the roles, naming the field in Chinese', async () => {
    const res = await t.call('admin', { method: 'POST', url: '/api/users', payload: { ...NEW, username: 'cadre.new2', village: '没有村' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details).toEqual([{ field: 'village', rule: 'exists', message: '统景镇没有没有村' }]);
    const noTown = await t.call('admin', { method: 'POST', url: '/api/users', payload: { ...NEW, username: 'town.new3', roles: ['town_officer'], town: null, village: null } });
    expect(noTown.json().error.details).toEqual([{ field: 'town', rule: 'required', message: '镇工作人员须填写所在镇' }]);
  });

  it("an admin resets a password: the user's sessions end, the old password stops working, the new one works", async () => {
    await t.call('admin', { method: 'POST', url: '/api/users', payload: { ...NEW, username: 'cadre.new4' } });
    const session = (await login('cadre.new4', 'first-pass-1')).json().token as string;
    const me = () => t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { authorization: `Bearer ${session}` } });
    expect((await me()).statusCode).toBe(200);
    const reset = await t.call('admin', { method: 'POST', url: '/api/users/cadre.new4/password', payload: { password: 'second-pass-2' } });
    expect(reset.statusCode, reset.body).toBe(204);
    expect((await me()).statusCode).toBe(401);
    expect((await login('cadre.new4', 'first-pass-1')).statusCode).toBe(401);
    expect((await login('cadre.new4', 'second-pass-2')).statusCode).toBe(200);
    expect(await t.db.em().count(AuditEntry, { action: 'password_reset', target: 'cadre.new4', outcome: 'ok' })).toBe(1);
    // Not an admin: refused; an unknown user: 404.
    expect((await t.call('supervisor', { method: 'POST', url: '/api/users/cadre.new4/password', payload: { password: 'third-pass-3' } })).statusCode).toBe(403);
    expect((await t.call('admin', { method: 'POST', url: '/api/users/nobody/password', payload: { password: 'third-pass-3' } })).statusCode).toBe(404);
  });
});
