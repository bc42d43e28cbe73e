/**
 * The audit log: every action (and every refusal) is in it with who, what, when, from where and on
 * which case; supervisors and admins search it (ra-data-simple-rest) and export it to Excel; it is
 * append-only. Also the admins' role changes (PUT /api/users/:id), which it records.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import { AuditEntry } from '../../db';
import { DEMO_PASSWORD, startTestApp, type TestApp } from '../helpers/app';
import { RONGGUANG, createKey, json, newHousehold, withKey } from '../helpers/integrations';

const policyFile = fileURLToPath(new URL('../fixtures/policy-short.yaml', import.meta.url));
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ policyFile });
});
afterAll(async () => t?.close());

const today = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
const auditList = (as: string, filter: Record<string, unknown>, extra = '') => t.call(as, { method: 'GET', url: `/api/audit?filter=${json(filter)}${extra}` });
const caseUrl = (id: string) => `/api/processes/${encodeURIComponent(id)}`;
const verification = { verifiedOn: '2026-11-20', coVerifierId: 'cadre.rongguang2', memberCount: 3, perCapitaIncome: 6100, guarantees: { foodClothing: 'secure', education: 'secure', medical: 'secure', housing: 'secure', water: 'secure' }, findings: '情况属实' };

describe('every action is audited', () => {
  let caseId: string;
  beforeAll(async () => {
    const hh = (await newHousehold(t, RONGGUANG)).id;
    await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'town.gulu', password: 'wrong' } });
    const started = await t.call('cadre.rongguang', { method: 'POST', url: '/api/processes', payload: { type: 'identification', input: { householdId: hh, channel: 'cadre_check', category: 'marginal', riskTypes: ['lack_of_labour'], description: '缺劳力' } } });
    caseId = started.json().id;
    // refusals: another village's cadre (to whom the case is unknown), a signal out of its stage, a cadre cancelling
    expect((await t.call('cadre.jixing', { method: 'POST', url: `${caseUrl(caseId)}/steps/homeVerification`, payload: verification })).statusCode).toBe(404);
    expect((await t.call('cadre.rongguang', { method: 'POST', url: `${caseUrl(caseId)}/signals/objection`, payload: { raisedBy: '甲', content: '乙' } })).statusCode).toBe(409);
    expect((await t.call('cadre.rongguang', { method: 'POST', url: `${caseUrl(caseId)}/cancel`, payload: { reason: 'x' } })).statusCode).toBe(403);
    expect((await t.call('cadre.rongguang', { method: 'POST', url: `${caseUrl(caseId)}/steps/homeVerification`, payload: verification })).statusCode).toBe(200);
    expect((await t.call('supervisor', { method: 'POST', url: `${caseUrl(caseId)}/cancel`, payload: { reason: '测试撤销' } })).statusCode).toBe(200);
    for (const list of ['households', 'processes', 'steps']) expect((await t.call('town.tongjing', { method: 'GET', url: `/api/${list}/export.xlsx` })).statusCode).toBe(200);
    expect((await t.call('admin', { method: 'PUT', url: '/api/users/minzheng', payload: { name: '杨帆（已调岗）' } })).statusCode).toBe(200);
    const key = await createKey(t, ['alert', 'department:区教委']);
    expect((await withKey(t, key.key, { method: 'GET', url: '/api/steps' })).statusCode).toBe(403);
    const dead = await withKey(t, key.key, { method: 'POST', url: '/api/alerts', payload: { householdId: 'H55555555', department: '区教委', description: '辍学风险' } });
    expect((await t.call('admin', { method: 'POST', url: `/api/dead-letters/${dead.json().error.deadLetterId}/replay` })).statusCode).toBe(422);
    expect((await t.call('admin', { method: 'DELETE', url: `/api/api-keys/${key.id}` })).statusCode).toBe(200);
    expect((await t.call('admin', { method: 'POST', url: '/api/calendar/reload' })).statusCode).toBe(200);
  });

  it('answers who, what, when, from where, on which case, and how it ended', async () => {
    const res = await auditList('supervisor', {}, '&range=[0,199]&sort=["id","ASC"]');
    expect(res.statusCode).toBe(200);
    const rows = res.json() as any[];
    const has = (action: string, outcome: string, where: Record<string, unknown> = {}) =>
      expect(rows.some((r) => r.action === action && r.outcome === outcome && Object.entries(where).every(([k, v]) => r[k] === v)), `${action}/${outcome} ${JSON.stringify(where)}`).toBe(true);
    has('login', 'ok', { actorId: 'cadre.rongguang' });
    has('login_failed', 'refused', { actorId: 'town.gulu', actorKind: 'anonymous' });
    has('start', 'ok', { actorId: 'cadre.rongguang', processId: caseId });
    has('step', 'refused', { actorId: 'cadre.jixing', processId: caseId, target: 'homeVerification' });
    has('signal', 'refused', { actorId: 'cadre.rongguang', processId: caseId, target: 'objection' });
    has('cancel', 'refused', { actorId: 'cadre.rongguang', processId: caseId });
    has('step', 'ok', { actorId: 'cadre.rongguang', processId: caseId, target: 'homeVerification' });
    has('cancel', 'ok', { actorId: 'supervisor', processId: caseId });
    for (const target of ['households', 'processes', 'steps']) has('export', 'ok', { actorId: 'town.tongjing', target });
    has('role_change', 'ok', { actorId: 'admin', target: 'minzheng' });
    has('api_key_create', 'ok', { actorId: 'admin' });
    has('read', 'refused', { actorKind: 'integration' });
    has('dead_letter', 'refused', { actorKind: 'integration' });
    has('dead_letter_replay', 'refused', { actorId: 'admin' });
    has('api_key_revoke', 'ok', { actorId: 'admin' });
    has('calendar_reload', 'ok', { actorId: 'admin' });
    for (const r of rows) {
      expect(r.at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?\+08:00$/);
      expect(r.ip).toBeTruthy();
    }
    const cancel = rows.find((r) => r.action === 'cancel' && r.outcome === 'ok');
    expect(cancel.detail).toEqual({ reason: '测试撤销' });
    const role = rows.find((r) => r.action === 'role_change');
    expect(role.detail).toMatchObject({ fields: ['name'], before: { name: '杨帆' }, after: { name: '杨帆（已调岗）' } });
  });

  it('filters by actor, action, case, outcome and dates; pages with Content-Range; refuses unknown keys', async () => {
    let res = await auditList('admin', { processId: caseId }, '&sort=["id","ASC"]');
    expect(res.json().every((r: any) => r.processId === caseId)).toBe(true);
    expect(res.headers['content-range']).toMatch(new RegExp(`^audit 0-\\d+/${res.json().length}$`));
    res = await auditList('admin', { action: ['step', 'cancel'], outcome: 'refused' });
    expect(res.json().map((r: any) => r.action).sort()).toEqual(['cancel', 'step']);
    res = await auditList('admin', { actor: 'supervisor', action: 'cancel' });
    expect(res.json()).toHaveLength(1);
    res = await auditList('admin', { actor: '陈立新' }); // by name, as well as by id
    expect(res.json().length).toBeGreaterThanOrEqual(3);
    res = await auditList('admin', { from: today(), to: today() }, '&range=[0,0]');
    expect(Number(res.headers['content-range']!.split('/')[1])).toBeGreaterThan(10);
    expect(res.json()).toHaveLength(1);
    res = await auditList('admin', { from: '2099-01-01' });
    expect(res.headers['content-range']).toBe('audit 0-0/0');
    for (const [filter, field] of [
      [{ colour: 'red' }, 'filter.colour'],
      [{ from: '2026-02-30' }, 'filter.from'],
      [{ to: '2026-13-01' }, 'filter.to'],
      [{ from: '2026-12-02', to: '2026-12-01' }, 'filter.to'],
      [{ outcome: 'maybe' }, 'filter.outcome'],
      [{ action: [] }, 'filter.action'],
    ] as const) {
      const bad = await auditList('admin', filter);
      expect(bad.statusCode, JSON.stringify(filter)).toBe(400);
      expect(bad.json().error.details[0].field).toBe(field);
    }
    expect((await t.call('admin', { method: 'GET', url: '/api/audit?sort=["detail","ASC"]' })).statusCode).toBe(400);
    const one = (await auditList('admin', {}, '&range=[0,0]')).json()[0];
    expect((await t.call('supervisor', { method: 'GET', url: `/api/audit/${one.id}` })).json()).toEqual(one);
  });

  it('is for supervisors and admins only', async () => {
    for (const who of ['cadre.rongguang', 'town.tongjing', 'yibao']) {
      expect((await t.call(who, { method: 'GET', url: '/api/audit' })).statusCode, who).toBe(403);
      expect((await t.call(who, { method: 'GET', url: '/api/audit/export.xlsx' })).statusCode, who).toBe(403);
    }
    expect((await t.app.inject({ method: 'GET', url: '/api/audit' })).statusCode).toBe(401);
  });

  it('exports the filtered log to Excel, and that export is audited too', async () => {
    const filter = { processId: caseId };
    const total = Number((await auditList('supervisor', filter)).headers['content-range']!.split('/')[1]);
    const res = await t.call('supervisor', { method: 'GET', url: `/api/audit/export.xlsx?filter=${json(filter)}` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sheet = wb.worksheets[0];
    expect(sheet.name).toBe('审计日志');
    expect((sheet.getRow(1).values as unknown[]).slice(1, 7)).toEqual(['编号', '时间', '操作者类型', '操作者', '姓名/系统', '操作']);
    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    expect(res.headers['content-disposition']).toContain(`filename*=UTF-8''${encodeURIComponent(`审计日志_${today}.xlsx`)}`);
    // Beijing time as people write it, and the actor kind and outcome in words.
    const first = (sheet.getRow(2).values as unknown[]).slice(1);
    expect(first[1]).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
    expect(['用户', '外部系统', '未登录']).toContain(first[2]);
    expect(['成功', '拒绝', '出错']).toContain(first[9]);
    expect(sheet.rowCount - 1).toBe(total);
    const exported = (await auditList('admin', { action: 'export', actor: 'supervisor' })).json();
    expect(exported.some((r: any) => r.target === 'audit' && r.detail.rows === total)).toBe(true);
  });
});

describe('append-only', () => {
  it('no route changes or deletes an entry, and the database refuses to', async () => {
    const auditRoutes = t.routes.filter((r) => r.url.startsWith('/api/audit'));
    expect(auditRoutes.length).toBeGreaterThan(0);
    expect(auditRoutes.every((r) => r.method === 'GET')).toBe(true);
    const conn = t.db.em().getConnection();
    await expect(conn.execute(`update audit_entry set action = 'nothing'`)).rejects.toThrow(/append-only/);
    await expect(conn.execute(`delete from audit_entry`)).rejects.toThrow(/append-only/);
    await expect(t.db.em().nativeDelete(AuditEntry, {})).rejects.toThrow(/append-only/);
    for (const method of ['PUT', 'PATCH', 'DELETE'] as const) {
      const res = await t.call('admin', { method, url: '/api/audit/1', payload: {} });
      expect(res.statusCode, method).toBe(405);
      expect(res.headers.allow, method).toBe('GET');
    }
  });
});

describe('role changes (PUT /api/users/:id)', () => {
  it('an admin moves a cadre to another village: audited, and the cadre logs in again with the new scope', async () => {
    const login = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'cadre.rongguang2', password: DEMO_PASSWORD } });
    const token = login.json().token;
    const res = await t.call('admin', { method: 'PUT', url: '/api/users/cadre.rongguang2', payload: { village: '印盒村' } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: 'cadre.rongguang2', roles: ['village_cadre'], town: '统景镇', village: '印盒村', active: true });
    expect((await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { authorization: `Bearer ${token}` } })).statusCode).toBe(401);
    const again = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'cadre.rongguang2', password: DEMO_PASSWORD } });
    expect(again.json().user.village).toBe('印盒村');
    const entry = (await auditList('admin', { action: 'role_change', target: 'cadre.rongguang2' })).json()[0];
    expect(entry.detail).toMatchObject({ fields: ['village'], before: { village: '荣光村' }, after: { village: '印盒村' }, sessionsEnded: true });
    expect((await t.call('admin', { method: 'PUT', url: '/api/users/cadre.rongguang2', payload: { village: '荣光村' } })).statusCode).toBe(200);
  });

  it('refuses scopes that do not fit the roles or the district, other callers, and an admin demoting themselves', async () => {
    const put = (as: string, id: string, payload: object) => t.call(as, { method: 'PUT', url: `/api/users/${id}`, payload });
    for (const [payload, field] of [
      [{ town: null }, 'village'],
      [{ roles: ['town_officer'], town: '不存在镇', village: null }, 'town'],
      [{ village: '荣光村' }, 'village'], // a village of another town
      [{ roles: ['department_officer'] }, 'department'],
      [{ roles: ['sheriff'] }, 'roles.0'],
      [{}, undefined],
      [{ password: 'x' }, 'password'],
    ] as const) {
      const res = await put('admin', 'cadre.jixing', payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      if (field) expect(res.json().error.details.map((d: any) => d.field)).toContain(field);
    }
    expect((await put('admin', 'nobody', { active: false })).statusCode).toBe(404);
    for (const who of ['supervisor', 'town.gulu', 'cadre.jixing']) expect((await put(who, 'cadre.jixing', { active: false })).statusCode, who).toBe(403);
    const self = await put('admin', 'admin', { active: false });
    expect(self.statusCode).toBe(422);
    expect((await put('admin', 'admin', { roles: ['district_supervisor'] })).statusCode).toBe(422);
    expect((await auditList('admin', { action: 'role_change', outcome: 'refused' })).json().length).toBeGreaterThanOrEqual(5);
    // Deactivation works for others, and ends their sessions.
    const token = await t.login('cadre.jixing');
    expect((await put('admin', 'cadre.jixing', { active: false })).json().active).toBe(false);
    expect((await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { authorization: `Bearer ${token}` } })).statusCode).toBe(401);
    expect((await put('admin', 'cadre.jixing', { active: true })).json().active).toBe(true);
  });
});
