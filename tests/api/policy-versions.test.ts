/**
 * Policy versions over HTTP: the shipped file is version 1; an administrator drafts a change (refused,
 * naming the key path, when a value is invalid or below the plan's legal bounds); a second person
 * activates it (never its drafter); cases started from its day snapshot it while running cases keep
 * theirs; a version scheduled for tomorrow applies tomorrow, without a restart. Every step is audited.
 * The app's policy clock is moved a day forward for the last test (the workflows keep real time).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app';
import { RONGGUANG, json, newHousehold } from '../helpers/integrations';
import { shanghaiDate, addDays } from '../../calendar/dates';

const DAY = 86_400_000;
let daysAhead = 0;
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ clock: () => new Date(Date.now() + daysAhead * DAY) });
});
afterAll(async () => t?.close());

const today = () => shanghaiDate(new Date(Date.now() + daysAhead * DAY));
const get = (as: string, url: string) => t.call(as, { method: 'GET', url });
const draft = (as: string, body: object) => t.call(as, { method: 'POST', url: '/api/policy/versions', payload: body });
const activate = (as: string, id: string) => t.call(as, { method: 'POST', url: `/api/policy/versions/${id}/activate` });
const inForce = async () => (await get('cadre.rongguang', '/api/policy')).json();

async function startIdentification(): Promise<string> {
  const hh = await newHousehold(t, RONGGUANG);
  const res = await t.call('cadre.rongguang', {
    method: 'POST',
    url: '/api/processes',
    payload: { type: 'identification', input: { householdId: hh.id, channel: 'cadre_check', category: 'marginal', riskTypes: ['illness'], description: '户主患病，收入骤减' } },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id;
}
const detail = async (id: string) => (await get('cadre.rongguang', `/api/processes/${encodeURIComponent(id)}`)).json();

/** The values in force with one change at `path`. */
async function valuesWith(path: string, value: unknown): Promise<Record<string, any>> {
  const values = structuredClone((await inForce()).values);
  const keys = path.split('.');
  const last = keys.pop()!;
  keys.reduce((o, k) => o[k], values)[last] = value;
  return values;
}

function expect400(res: Awaited<ReturnType<typeof draft>>, field: string): { field: string; message: string } {
  expect(res.statusCode, res.body).toBe(400);
  const detail = res.json().error.details.find((d: { field: string }) => d.field === field);
  expect(detail, res.body).toBeTruthy();
  return detail;
}

describe('policy versions', () => {
  it('answers the shipped file as version 1 in force, with the schema of its values, to any signed-in user', async () => {
    const p = await inForce();
    expect(p).toMatchObject({ version: 1, name: 'v1', effectiveFrom: today() });
    expect(p.values.identification).toEqual(expect.objectContaining({ overallLimit: { calendarDays: 15 }, noticeMinimum: 'P5D' }));
    const notice = p.schema.properties.identification.properties.noticeMinimum;
    expect(notice).toMatchObject({ title: '公示最短期限', 'x-planItem': 45, 'x-minimumDays': 5 });
    expect(p.schema.properties.identification.properties.overallLimit.title).toBe('认定总时限');
    expect((await get('cadre.rongguang', '/api/policy/versions')).statusCode).toBe(403);
  });

  it('refuses a draft from a village cadre (403) and from a supervisor (drafts are an administrator’s)', async () => {
    const values = (await inForce()).values;
    expect((await draft('cadre.rongguang', { values, effectiveFrom: today() })).statusCode).toBe(403);
    expect((await draft('supervisor', { values, effectiveFrom: today() })).statusCode).toBe(403);
  });

  it('refuses an invalid value naming its key path, in Chinese', async () => {
    let d = expect400(await draft('admin', { values: await valuesWith('identification.steps.townReview', { weeks: 2 }), effectiveFrom: today() }), 'identification.steps.townReview');
    expect(d.message).toMatch(/乡镇审核期限：期限规则无效/);
    d = expect400(await draft('admin', { values: await valuesWith('houseRebuild.subsidy.C', 0), effectiveFrom: today() }), 'houseRebuild.subsidy.C');
    expect(d.message).toMatch(/补助标准.*须在 1 到 1000000 之间/);
    expect400(await draft('admin', { values: await valuesWith('identification.noticeDays', 7), effectiveFrom: today() }), 'identification.noticeDays');
    expect400(await draft('admin', { values: (await inForce()).values, effectiveFrom: addDays(today(), -1) }), 'effectiveFrom');
    expect400(await draft('admin', { values: (await inForce()).values, effectiveFrom: '2026-02-30' }), 'effectiveFrom');
  });

  it('refuses a notice minimum of 4 days, naming plan item 45', async () => {
    const d = expect400(await draft('admin', { values: await valuesWith('identification.noticeMinimum', 'P4D'), effectiveFrom: today() }), 'identification.noticeMinimum');
    expect(d.message).toMatch(/公示最短期限不得少于 5 天（实施方案第45项：公示不少于5天），现为 4 天/);
    const list = (await get('admin', '/api/policy/versions')).json();
    expect(list.map((v: { version: number }) => v.version)).toEqual([1]);
  });

  let v2 = '';
  let before = '';
  it('a version activated today applies to the next case; the case started before keeps its version', async () => {
    before = await startIdentification();

    const res = await draft('admin', { values: await valuesWith('identification.overallLimit', { calendarDays: 10 }), effectiveFrom: today(), note: '区里要求认定提速到10天' });
    expect(res.statusCode, res.body).toBe(201);
    v2 = res.json().id;
    expect(res.json()).toMatchObject({ version: 2, status: 'draft', createdBy: 'admin', note: '区里要求认定提速到10天' });

    // The reviewer sees the change in people's words, against the version in force.
    const shown = (await get('supervisor', `/api/policy/versions/${v2}`)).json();
    expect(shown.changes).toEqual([{ path: 'identification.overallLimit', title: '监测对象认定 · 认定总时限', from: { calendarDays: 15 }, to: { calendarDays: 10 }, fromText: '15 天', toText: '10 天' }]);
    expect(shown.inForce.version).toBe(1);

    // Four-eyes: the drafter alone cannot put it in force.
    const alone = await activate('admin', v2);
    expect(alone.statusCode).toBe(403);
    expect(alone.json().error.message).toMatch(/另一名管理员或区专班确认/);
    expect((await inForce()).version).toBe(1);

    const confirmed = await activate('supervisor', v2);
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    expect(confirmed.json()).toMatchObject({ status: 'active', activatedBy: 'supervisor', changes: [] });
    expect((await activate('supervisor', v2)).statusCode).toBe(409);
    expect((await inForce()).version).toBe(2);

    const after = await startIdentification();
    const [old, fresh] = [await detail(before), await detail(after)];
    expect(old.policyVersion).toMatch(/^v1#[0-9a-f]{12}$/);
    expect(fresh.policyVersion).toMatch(/^v2#[0-9a-f]{12}$/);
    // Both started today: the overall limit of the new case ends 5 days earlier.
    expect(addDays(fresh.state.due.dueDate, 5)).toBe(old.state.due.dueDate);

    const list = (await get('admin', '/api/policy/versions')).json();
    expect(list.map((v: { version: number; status: string }) => [v.version, v.status])).toEqual([
      [2, 'active'],
      [1, 'retired'],
    ]);
  });

  it('audits drafts, refused and confirmed activations', async () => {
    const rows = (await get('admin', `/api/audit?filter=${json({ action: ['policy_draft', 'policy_activate'], target: v2 })}&range=[0,49]`)).json();
    const seen = rows.map((r: { action: string; actorId: string; outcome: string }) => `${r.action}:${r.actorId}:${r.outcome}`).sort();
    expect(seen).toEqual(['policy_activate:admin:refused', 'policy_activate:supervisor:ok', 'policy_activate:supervisor:refused', 'policy_draft:admin:ok']);
    const draftRow = rows.find((r: { action: string }) => r.action === 'policy_draft');
    expect(draftRow.detail.changes).toEqual(['监测对象认定 · 认定总时限：15 天 → 10 天']);
    const refusedDraft = (await get('admin', `/api/audit?filter=${json({ action: ['policy_draft'], actor: 'cadre.rongguang', outcome: 'refused' })}`)).json();
    expect(refusedDraft.length).toBeGreaterThan(0);
  });

  it('rolls back by a copy of version 1 scheduled for tomorrow: not today, from tomorrow without a restart', async () => {
    const v1 = (await get('admin', '/api/policy/versions?filter=' + json({ q: '政策文件' }))).json()[0];
    const old = (await get('admin', `/api/policy/versions/${v1.id}`)).json();
    const res = await draft('admin', { values: old.values, effectiveFrom: addDays(today(), 1), note: '恢复 v1' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().changes.map((c: { path: string; toText: string }) => `${c.path} ${c.toText}`)).toEqual(['identification.overallLimit 15 天']);
    const v3 = res.json().id;
    expect((await activate('supervisor', v3)).json().status).toBe('scheduled');

    expect((await inForce()).version).toBe(2);
    expect((await detail(await startIdentification())).policyVersion).toMatch(/^v2#/);

    daysAhead = 1;
    expect((await inForce()).version).toBe(3);
    const list = (await get('admin', '/api/policy/versions')).json();
    expect(list.map((v: { version: number; status: string }) => [v.version, v.status])).toEqual([
      [3, 'active'],
      [2, 'retired'],
      [1, 'retired'],
    ]);
    expect((await detail(await startIdentification())).policyVersion).toMatch(/^v3#/);
  });
});
