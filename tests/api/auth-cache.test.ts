/**
 * The API remembers whom a token stands for for a moment (server/auth.ts, AUTH_CACHE_MS), so that busy
 * callers cost no look-up per request. Whatever ends or changes a token's rights takes effect on the
 * very next request all the same, also for a token that was in use a moment before.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, startTestApp, type TestApp } from '../helpers/app';
import { createKey, withKey } from '../helpers/integrations';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ worker: false });
});
afterAll(async () => t?.close());

const freshToken = async (username: string) => {
  const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: DEMO_PASSWORD } });
  expect(res.statusCode).toBe(200);
  return res.json().token as string;
};
const me = (token: string) => t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { authorization: `Bearer ${token}` } });
const putUser = (id: string, payload: object) => t.call('admin', { method: 'PUT', url: `/api/users/${id}`, payload });
/** In use: several requests at once and one after the other, as a busy client makes them. */
const use = async (token: string) => {
  for (const r of await Promise.all([me(token), me(token), me(token)])) expect(r.statusCode).toBe(200);
  expect((await me(token)).statusCode).toBe(200);
};

describe('a token in use a moment ago', () => {
  it('stops working at once when its user is deactivated, and works again only after a new login', async () => {
    const token = await freshToken('cadre.jixing');
    await use(token);
    expect((await putUser('cadre.jixing', { active: false })).statusCode).toBe(200);
    expect((await me(token)).statusCode).toBe(401);
    expect((await putUser('cadre.jixing', { active: true })).statusCode).toBe(200);
    expect((await me(token)).statusCode).toBe(401); // its session was ended, not paused
    await use(await freshToken('cadre.jixing'));
  });

  it('stops working at once when its user\'s role changes; a renamed user is shown with the new name at once', async () => {
    const token = await freshToken('town.gulu');
    await use(token);
    expect((await putUser('town.gulu', { name: '改名后' })).statusCode).toBe(200);
    const renamed = await me(token);
    expect(renamed.statusCode).toBe(200);
    expect(renamed.json().name).toBe('改名后');
    expect((await putUser('town.gulu', { roles: ['town_officer', 'district_supervisor'] })).statusCode).toBe(200);
    expect((await me(token)).statusCode).toBe(401);
    const again = await freshToken('town.gulu');
    expect((await me(again)).json().roles).toEqual(['town_officer', 'district_supervisor']);
  });

  it('stops working at once after logout', async () => {
    const token = await freshToken('weijian');
    await use(token);
    expect((await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { authorization: `Bearer ${token}` } })).statusCode).toBe(204);
    expect((await me(token)).statusCode).toBe(401);
  });

  it('an API key is refused at once when revoked, also with requests of it under way', async () => {
    const { id, key } = await createKey(t, ['alert']);
    const call = () => withKey(t, key, { method: 'GET', url: '/api/auth/me' });
    for (const r of await Promise.all([call(), call(), call()])) expect(r.statusCode).toBe(200);
    const during = Promise.all([call(), call(), call()]);
    expect((await t.call('admin', { method: 'DELETE', url: `/api/api-keys/${id}` })).statusCode).toBe(200);
    await during; // whatever they got, they were under way before the revocation answered
    for (const r of await Promise.all([call(), call()])) expect(r.statusCode).toBe(401);
    expect((await call()).statusCode).toBe(401);
  });

  it('a wrong secret for a key in use is refused (the remembered key is the whole key, not its id)', async () => {
    const { key } = await createKey(t, ['alert']);
    expect((await withKey(t, key, { method: 'GET', url: '/api/auth/me' })).statusCode).toBe(200);
    const wrong = key.slice(0, -4) + (key.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    expect((await withKey(t, wrong, { method: 'GET', url: '/api/auth/me' })).statusCode).toBe(401);
  });
});
