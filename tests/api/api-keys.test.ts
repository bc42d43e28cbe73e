/**
 * API keys for integrations (shown once, stored hashed, scoped, revocable), what a key may and may
 * not do, dead letters for events that match no case (kept, listed, replayed), and the abuse limits
 * (per-key and login rate limits), through the real app and the real dev server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { ApiKey, AuditEntry, DeadLetter, Household, Process } from '../../db';
import { DEMO_PASSWORD, startTestApp, type TestApp } from '../helpers/app';
import { RONGGUANG, createKey, eventually, json, newHousehold, withKey } from '../helpers/integrations';

const policyFile = fileURLToPath(new URL('../fixtures/policy-short.yaml', import.meta.url));
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ policyFile });
});
afterAll(async () => t?.close());

const alertBody = (householdId: string, extra: Record<string, unknown> = {}) => ({
  householdId,
  department: '区医保局',
  reference: `YB-${householdId}`,
  riskTypes: ['illness'],
  description: '年度自付医疗费用超过 2 万元',
  ...extra,
});

async function auditRows(where: Record<string, unknown>) {
  return t.db.em().find(AuditEntry, where, { orderBy: { id: 'ASC' } });
}

describe('managing keys', () => {
  it('an admin creates a key that is shown once; lists and details never carry the secret or its hash', async () => {
    const res = await t.call('admin', { method: 'POST', url: '/api/api-keys', payload: { name: '区医保结算系统', scopes: ['alert', 'start:identification'] } });
    expect(res.statusCode).toBe(201);
    const created = res.json();
    expect(created.key).toMatch(/^ffk_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
    expect(created.key.startsWith(`ffk_${created.id}_`)).toBe(true);
    expect(created).toMatchObject({ name: '区医保结算系统', scopes: ['alert', 'start:identification'], active: true, createdBy: 'admin', revokedAt: null });
    expect(created.prefix).toBe(created.key.slice(0, `ffk_${created.id}_`.length + 4));
    expect(res.headers['cache-control']).toBe('no-store');

    const secret = created.key.split('_').slice(2).join('_');
    const row = await t.db.em().findOneOrFail(ApiKey, { id: created.id });
    expect(row.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(row.hash).not.toContain(secret);

    const list = await t.call('admin', { method: 'GET', url: `/api/api-keys?filter=${json({ id: [created.id] })}` });
    expect(list.statusCode).toBe(200);
    expect(list.headers['content-range']).toBe('api-keys 0-0/1');
    const one = await t.call('admin', { method: 'GET', url: `/api/api-keys/${created.id}` });
    for (const body of [list.body, one.body]) {
      expect(body).not.toContain(secret);
      expect(body).not.toContain(row.hash);
      expect(body).not.toContain('"key"');
    }
    expect(one.json().allowedScopes).toEqual(expect.arrayContaining(['alert', 'start:identification', 'signal:identification.objection']));

    const audited = await auditRows({ action: 'api_key_create', target: created.id });
    expect(audited).toHaveLength(1);
    expect(JSON.stringify(audited[0].detail)).not.toContain(secret);
  });

  it('checks scopes against the catalogue; only admins manage keys', async () => {
    for (const scopes of [['start:nonsense'], ['signal:identification.teleport'], ['everything'], ['alert', 'signal:identification']]) {
      const res = await t.call('admin', { method: 'POST', url: '/api/api-keys', payload: { name: 'x', scopes } });
      expect(res.statusCode, JSON.stringify(scopes)).toBe(400);
      expect(res.json().error.details[0].field).toMatch(/^scopes\.\d$/);
    }
    expect((await t.call('admin', { method: 'POST', url: '/api/api-keys', payload: { name: 'x', scopes: [] } })).statusCode).toBe(400);
    for (const who of ['supervisor', 'town.tongjing', 'cadre.rongguang', 'yibao']) {
      expect((await t.call(who, { method: 'POST', url: '/api/api-keys', payload: { name: 'x', scopes: ['alert'] } })).statusCode, who).toBe(403);
      expect((await t.call(who, { method: 'GET', url: '/api/api-keys' })).statusCode, who).toBe(403);
    }
  });

  it('revoking stops a key at once (DELETE or POST …/revoke, both idempotent); the record stays', async () => {
    const { id, key } = await createKey(t, ['alert']);
    expect((await withKey(t, key, { method: 'GET', url: '/api/auth/me' })).statusCode).toBe(200);
    const del = await t.call('admin', { method: 'DELETE', url: `/api/api-keys/${id}` });
    expect(del.statusCode).toBe(200);
    expect(del.json()).toMatchObject({ id, active: false, revokedBy: 'admin' });
    expect((await t.call('admin', { method: 'POST', url: `/api/api-keys/${id}/revoke` })).json().revokedAt).toBe(del.json().revokedAt);
    const after = await withKey(t, key, { method: 'GET', url: '/api/auth/me' });
    expect(after.statusCode).toBe(401);
    expect(after.json().error.code).toBe('unauthenticated');
    expect(await auditRows({ action: 'api_key_revoke', target: id })).toHaveLength(1);
    expect((await auditRows({ action: 'api_key_failed', target: id })).map((r) => r.detail?.reason)).toEqual(['revoked']);
    expect((await t.call('admin', { method: 'GET', url: `/api/api-keys?filter=${json({ active: false })}` })).json().map((k: any) => k.id)).toContain(id);
  });
});

describe('authenticating with a key', () => {
  it('answers as the integration; unknown, malformed and wrongly signed keys are 401', async () => {
    const { id, key } = await createKey(t, ['alert'], '区民政救助系统');
    const me = await withKey(t, key, { method: 'GET', url: '/api/auth/me' });
    expect(me.json()).toEqual({ id, name: '区民政救助系统', roles: [] });
    const wrongSecret = key.slice(0, -4) + (key.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    for (const bad of [wrongSecret, 'ffk_000000000000_' + 'A'.repeat(43), 'ffk_nonsense', 'ffk_']) {
      const res = await withKey(t, bad, { method: 'GET', url: '/api/auth/me' });
      expect(res.statusCode, bad).toBe(401);
    }
    const row = await eventually(() => t.db.em().findOneOrFail(ApiKey, { id }), (k) => !!k.lastUsedAt);
    expect(row.lastUsedAt).toBeTruthy();
  });

  it('a key may do exactly what its scopes list; anything else is 403 and audited', async () => {
    const { id, key } = await createKey(t, ['alert']);
    const denied: [string, string, unknown?][] = [
      ['GET', '/api/processes'],
      ['GET', '/api/steps'],
      ['GET', '/api/households'],
      ['GET', '/api/households/H00000001'],
      ['GET', '/api/users'],
      ['GET', '/api/audit'],
      ['GET', '/api/api-keys'],
      ['POST', '/api/processes', { type: 'identification', input: {} }],
      ['POST', '/api/processes/identification:H00000001:1/signals/objection', { raisedBy: 'x', content: 'y' }],
      ['POST', '/api/processes/identification:H00000001:1/cancel', { reason: 'x' }],
      ['POST', '/api/households', { headName: 'x' }],
      ['POST', '/api/auth/logout'],
    ];
    for (const [method, url, payload] of denied) {
      const res = await withKey(t, key, { method: method as 'GET', url, ...(payload ? { payload: payload as object } : {}) });
      expect(res.statusCode, `${method} ${url}`).toBe(403);
      expect(res.json().error.code).toBe('forbidden');
    }
    const refusals = await auditRows({ actorId: id, outcome: 'refused' });
    expect(refusals.length).toBe(denied.length);
    expect(refusals.every((r) => r.actorKind === 'integration')).toBe(true);
    expect(refusals.map((r) => r.action)).toEqual(expect.arrayContaining(['read', 'start', 'signal', 'cancel', 'household_write', 'audit_read', 'api_key']));
    // The catalogue is public knowledge: every key may read it.
    expect((await withKey(t, key, { method: 'GET', url: '/api/process-types' })).statusCode).toBe(200);
  });

  it('start:<type> starts that type only; alert starts an identification or joins the open one', async () => {
    const hh = (await newHousehold(t, RONGGUANG)).id;
    const starter = await createKey(t, ['start:identification', 'department:区医保局'], '市大数据监测平台');
    const alerter = await createKey(t, ['alert', 'department:区医保局'], '区医保局系统');
    const input = { householdId: hh, channel: 'department_alert', category: 'marginal', riskTypes: ['illness'], description: '大数据比对预警', alert: { department: '区医保局' } };
    expect((await withKey(t, alerter.key, { method: 'POST', url: '/api/processes', payload: { type: 'identification', input } })).statusCode).toBe(403);
    expect((await withKey(t, starter.key, { method: 'POST', url: '/api/processes', payload: { type: 'houseRebuild', input: {} } })).statusCode).toBe(403);
    const started = await withKey(t, starter.key, { method: 'POST', url: '/api/processes', payload: { type: 'identification', input } });
    expect(started.statusCode).toBe(201);
    const id = started.json().id;
    const joined = await withKey(t, alerter.key, { method: 'POST', url: '/api/alerts', payload: alertBody(hh) });
    expect(joined.statusCode).toBe(202);
    expect(joined.json()).toEqual({ processId: id, started: false });
    expect((await withKey(t, starter.key, { method: 'POST', url: '/api/alerts', payload: alertBody(hh) })).statusCode).toBe(403);
    // (A signal that arrives during a workflow task enters the history when the task completes.)
    const history = await eventually(
      async () => (await t.call('supervisor', { method: 'GET', url: `/api/processes/${encodeURIComponent(id)}/history` })).json(),
      (h: any[]) => h.some((e) => e.kind === 'signal'),
    );
    expect(history[0].actor).toEqual({ id: starter.id, name: '市大数据监测平台' });
    expect(history.find((e: any) => e.kind === 'signal').actor).toEqual({ id: alerter.id, name: '区医保局系统' });
  });

  it('signal:<type>.<signal> sends that signal to any case of the type, and nothing else', async () => {
    const objections = await createKey(t, ['signal:identification.objection'], '12345 热线');
    const hh = (await newHousehold(t, RONGGUANG)).id;
    const { id } = (await t.call('cadre.rongguang', { method: 'POST', url: '/api/processes', payload: { type: 'identification', input: { householdId: hh, channel: 'cadre_check', category: 'marginal', riskTypes: ['lack_of_labour'], description: '缺劳力' } } })).json();
    const url = `/api/processes/${encodeURIComponent(id)}/signals/objection`;
    expect((await withKey(t, objections.key, { method: 'POST', url: `/api/processes/${encodeURIComponent(id)}/signals/departmentAlert`, payload: { department: '区医保局', description: 'x' } })).statusCode).toBe(403);
    expect((await withKey(t, objections.key, { method: 'POST', url, payload: { content: 'x' } })).statusCode).toBe(400);
    // Not during the notice yet: 409, and kept as a dead letter (it may be replayed when the notice is up).
    const early = await withKey(t, objections.key, { method: 'POST', url, payload: { raisedBy: '村民丙', content: '热线反映该户有经营收入' } });
    expect(early.statusCode).toBe(409);
    expect(early.json().error.deadLetterId).toEqual(expect.any(String));
    // The key cannot read the case it signals.
    expect((await withKey(t, objections.key, { method: 'GET', url: `/api/processes/${encodeURIComponent(id)}` })).statusCode).toBe(403);
  });
});

describe('dead letters', () => {
  it('an alert for an unknown household is answered 404 naming its dead letter, listed for admins, and replayed after the fix', async () => {
    const { id: keyId, key } = await createKey(t, ['alert', 'department:区民政局'], '区残联系统');
    const body = alertBody('H77777777', { department: '区民政局', reference: 'CL-1' });
    const first = await withKey(t, key, { method: 'POST', url: '/api/alerts', payload: body });
    expect(first.statusCode).toBe(404);
    const letterId = first.json().error.deadLetterId;
    expect(letterId).toEqual(expect.any(String));
    expect(first.json().error.message).toMatch(/死信/);
    // The same event again joins its letter; a retry with the same Idempotency-Key is answered as the first.
    const again = await withKey(t, key, { method: 'POST', url: '/api/alerts', payload: body });
    expect(again.json().error.deadLetterId).toBe(letterId);
    const k1 = await withKey(t, key, { method: 'POST', url: '/api/alerts', payload: body, headers: { 'idempotency-key': 'cl-1' } });
    const k2 = await withKey(t, key, { method: 'POST', url: '/api/alerts', payload: body, headers: { 'idempotency-key': 'cl-1' } });
    expect(k2.headers['idempotent-replayed']).toBe('true');
    expect(k2.json()).toEqual(k1.json());
    expect(k1.json().error.deadLetterId).toBe(letterId);
    const stored = await t.db.em().findOneOrFail(DeadLetter, { id: letterId });
    expect(stored).toMatchObject({ source: keyId, endpoint: 'POST /api/alerts', status: 404, attempts: 3 });
    expect(stored.payload.body).toEqual(body);

    // Malformed events are answered 400 and not kept.
    const malformed = await withKey(t, key, { method: 'POST', url: '/api/alerts', payload: { ...body, department: '不存在的部门' } });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().error.deadLetterId).toBeUndefined();

    // Listed for admins only.
    expect((await t.call('supervisor', { method: 'GET', url: '/api/dead-letters' })).statusCode).toBe(403);
    const list = await t.call('admin', { method: 'GET', url: `/api/dead-letters?filter=${json({ source: keyId, replayed: false })}` });
    expect(list.statusCode).toBe(200);
    expect(list.headers['content-range']).toBe('dead-letters 0-0/1');
    expect(list.json()[0]).toMatchObject({ id: letterId, reason: expect.stringContaining('H77777777'), delivered: false, replayResult: null });

    // Replaying before the cause is fixed fails again (422) and keeps the letter.
    const tooEarly = await t.call('admin', { method: 'POST', url: `/api/dead-letters/${letterId}/replay` });
    expect(tooEarly.statusCode).toBe(422);
    expect((await t.db.em().findOneOrFail(DeadLetter, { id: letterId })).replayResult).toMatchObject({ ok: false, status: 404 });

    // The cause is fixed: the household is registered (as the national register's import would).
    const em = t.db.em();
    em.create(Household, { id: 'H77777777', headName: '赵补录', idNumber: '500112198001011237', town: '统景镇', village: '荣光村', memberCount: 3 });
    await em.flush();
    const replay = await t.call('admin', { method: 'POST', url: `/api/dead-letters/${letterId}/replay` });
    expect(replay.statusCode).toBe(200);
    expect(replay.json()).toMatchObject({ id: letterId, delivered: true, replayedBy: 'admin', replayResult: { ok: true, status: 201 } });
    const processId = replay.json().replayResult.body.processId;
    const open = await t.db.em().find(Process, { householdId: 'H77777777' });
    expect(open.map((p) => p.id)).toEqual([processId]);
    const detail = (await t.call('supervisor', { method: 'GET', url: `/api/processes/${encodeURIComponent(processId)}` })).json();
    expect(detail.state.data.request.alert).toEqual({ department: '区民政局', reference: 'CL-1' });
    expect((await t.call('admin', { method: 'POST', url: `/api/dead-letters/${letterId}/replay` })).statusCode).toBe(409);
    expect((await auditRows({ action: 'dead_letter_replay', target: letterId })).map((r) => r.outcome)).toEqual(['refused', 'ok']);
  });

  it('an alert for a household whose identification cannot start (already monitored) is kept too', async () => {
    const hh = (await newHousehold(t, RONGGUANG)).id;
    await t.db.em().nativeUpdate(Household, { id: hh }, { monitoringStatus: 'monitored' });
    const { key } = await createKey(t, ['alert', 'department:区医保局']);
    const res = await withKey(t, key, { method: 'POST', url: '/api/alerts', payload: alertBody(hh) });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details[0]).toMatchObject({ field: 'input.householdId', rule: 'state' });
    const letter = await t.db.em().findOneOrFail(DeadLetter, { id: res.json().error.deadLetterId });
    expect(letter.reason).toContain('监测户');
  });

  it('a signal to an unknown case is kept too, and a user\'s refused alert is not', async () => {
    const { key } = await createKey(t, ['signal:identification.objection']);
    const res = await withKey(t, key, { method: 'POST', url: '/api/processes/identification:H99999999:1/signals/objection', payload: { raisedBy: 'a', content: 'b' } });
    expect(res.statusCode).toBe(404);
    const letter = await t.db.em().findOneOrFail(DeadLetter, { id: res.json().error.deadLetterId });
    expect(letter.payload).toEqual({ params: { id: 'identification:H99999999:1', signal: 'objection' }, body: { raisedBy: 'a', content: 'b' } });
    const before = await t.db.em().count(DeadLetter, {});
    const user = await t.call('yibao', { method: 'POST', url: '/api/alerts', payload: alertBody('H66666666') });
    expect(user.statusCode).toBe(404);
    expect(user.json().error.deadLetterId).toBeUndefined();
    expect(await t.db.em().count(DeadLetter, {})).toBe(before);
  });
});

describe('abuse limits', () => {
  let limited: TestApp;
  beforeAll(async () => {
    limited = await startTestApp({ worker: false, limits: { perKey: 3, loginPerUser: 3, loginPerIp: 6 } });
  });
  afterAll(async () => limited?.close());

  it('rate limits each key (429 with Retry-After), not the others', async () => {
    const a = await createKey(limited, ['alert']);
    const b = await createKey(limited, ['alert']);
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await withKey(limited, a.key, { method: 'GET', url: '/api/process-types' })).statusCode);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const refused = await withKey(limited, a.key, { method: 'GET', url: '/api/process-types' });
    expect(refused.json().error.code).toBe('rate_limited');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect((await withKey(limited, b.key, { method: 'GET', url: '/api/process-types' })).statusCode).toBe(200);
  });

  it('rate limits logins per username and per address, before the password is checked', async () => {
    const login = (username: string, password: string) => limited.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
    // The account lockout (5 failures) is not reached: the username limit (3 a minute) comes first.
    const perUser = [];
    for (let i = 0; i < 4; i++) perUser.push((await login('zhujian', 'wrong')).statusCode);
    expect(perUser).toEqual([401, 401, 401, 429]);
    expect((await login('zhujian', DEMO_PASSWORD)).statusCode).toBe(429);
    // Other usernames from the same address: 6 attempts a minute in all (admin logged in once above … and 'zhujian' 5 times).
    const res = await login('jiaowei', DEMO_PASSWORD);
    expect(res.statusCode).toBe(429);
    expect(res.json().error.message).toMatch(/请求过于频繁/);
  });
});
