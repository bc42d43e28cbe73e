/**
 * Administrators create users and reset passwords: the new user logs in with the first password; a
 * reset ends the user's sessions and the old password stops working; a taken username is a 409, a
 * place that does not fit the roles a 400 naming the field; both are audited, never with the password.
 * A password an administrator chose must be changed by its user before anything else.
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
    expect(res.json()).toEqual({ id: 'cadre.new1', username: 'cadre.new1', name: '王新', roles: ['village_cadre'], town: '统景镇', village: '荣光村', department: null, post: null, active: true });
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

  it('a post (职务) must fit the user\'s level, refused naming the field in Chinese; an admin sets and clears it', async () => {
    const wrong = await t.call('admin', { method: 'POST', url: '/api/users', payload: { ...NEW, username: 'cadre.new5', post: 'town_secretary' } });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.details).toEqual([{ field: 'post', rule: 'level', message: '职务“镇党委书记”须填写所在镇、不填写村' }]);
    const unknown = await t.call('admin', { method: 'POST', url: '/api/users', payload: { ...NEW, username: 'cadre.new5', post: 'mayor' } });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.details[0].field).toBe('post');
    const made = await t.call('admin', { method: 'POST', url: '/api/users', payload: { ...NEW, username: 'cadre.new5', post: 'first_secretary' } });
    expect(made.statusCode, made.body).toBe(201);
    expect(made.json().post).toBe('first_secretary');
    const district = await t.call('admin', { method: 'PUT', url: '/api/users/cadre.new5', payload: { post: 'district_secretary' } });
    expect(district.json().error.details).toEqual([{ field: 'post', rule: 'level', message: '职务“区委书记”须不填写镇和村（区级）' }]);
    const cleared = await t.call('admin', { method: 'PUT', url: '/api/users/cadre.new5', payload: { post: null } });
    expect(cleared.statusCode).toBe(200);
    expect(cleared.json().post).toBeNull();
    const seeded = await t.call('supervisor', { method: 'GET', url: `/api/users?filter=${encodeURIComponent(JSON.stringify({ post: 'village_secretary' }))}` });
    expect(seeded.json().map((u: { id: string }) => u.id).sort()).toEqual(['cadre.jixing', 'cadre.rongguang']);
  });

  it("an admin resets a password: the user's sessions end, the old password stops working, the new one works", async () => {
    await t.call('admin', { method: 'POST', url: '/api/users', payload: { ...NEW, username: 'cadre.new4' } });
    const session = (await login('cadre.new4', 'first-pass-1')).json().token as string;
    const me = () => t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { authorization: `Bearer ${session}` } });
    expect((await me()).statusCode).toBe(403); // a live session, held to changing the first password
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

  it('a user whose password an admin chose must set their own before anything else', async () => {
    await t.call('admin', { method: 'POST', url: '/api/users', payload: { ...NEW, username: 'cadre.new5' } });
    const first = await login('cadre.new5', 'first-pass-1');
    expect(first.json().mustChangePassword).toBe(true);
    const token = first.json().token as string;
    const as = (o: { method: 'GET' | 'POST'; url: string; payload?: object }) => t.app.inject({ ...o, headers: { authorization: `Bearer ${token}` } });

    // Anything else is refused with the rule, in Chinese.
    for (const url of ['/api/processes', '/api/steps', '/api/auth/me']) {
      const refused = await as({ method: 'GET', url });
      expect(refused.statusCode, url).toBe(403);
      expect(refused.json().error.code).toBe('password_change_required');
      expect(refused.json().error.message).toBe('请先修改密码：管理员设置的密码须由本人改为自己的密码后才能继续使用');
    }
    // The change: the current password is asked again; the new one must differ.
    const wrong = await as({ method: 'POST', url: '/api/auth/password', payload: { currentPassword: 'not-it', newPassword: 'my-own-pass-1' } });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.details).toEqual([{ field: 'currentPassword', rule: 'matches', message: '当前密码不正确' }]);
    const same = await as({ method: 'POST', url: '/api/auth/password', payload: { currentPassword: 'first-pass-1', newPassword: 'first-pass-1' } });
    expect(same.json().error.details).toEqual([{ field: 'newPassword', rule: 'different', message: '新密码不能与当前密码相同' }]);
    const changed = await as({ method: 'POST', url: '/api/auth/password', payload: { currentPassword: 'first-pass-1', newPassword: 'my-own-pass-1' } });
    expect(changed.statusCode, changed.body).toBe(204);

    // The same session goes on; the next login does not ask again; the admin's password no longer works.
    expect((await as({ method: 'GET', url: '/api/steps' })).statusCode).toBe(200);
    const next = await login('cadre.new5', 'my-own-pass-1');
    expect(next.statusCode).toBe(200);
    expect(next.json().mustChangePassword).toBeUndefined();
    expect((await login('cadre.new5', 'first-pass-1')).statusCode).toBe(401);
    expect(await t.db.em().count(AuditEntry, { action: 'password_change', target: 'cadre.new5' })).toBe(2);

    // A reset by the admin asks for a change again.
    await t.call('admin', { method: 'POST', url: '/api/users/cadre.new5/password', payload: { password: 'reset-pass-3' } });
    const afterReset = await login('cadre.new5', 'reset-pass-3');
    expect(afterReset.json().mustChangePassword).toBe(true);
    const bearer = { authorization: `Bearer ${afterReset.json().token}` };
    expect((await t.app.inject({ method: 'GET', url: '/api/processes', headers: bearer })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: bearer })).statusCode).toBe(204);
  });
});
