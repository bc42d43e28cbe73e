/**
 * 包户干部 over HTTP: town officers (of the household's town) and the district name and change a
 * household's contact cadre — an active cadre at district, town or village level — every change kept
 * with who and when and audited; the households still without one are listed; and the March/August/
 * November visit to a 脱贫户 is in its contact cadre's inbox, not the village's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditEntry, Household, Process, User } from '../../db';
import { startTestApp, type TestApp } from '../helpers/app';
import { RONGGUANG, eventually, json, newHousehold } from '../helpers/integrations';

let t: TestApp;
let hh: { id: string };
beforeAll(async () => {
  t = await startTestApp();
  hh = await newHousehold(t, RONGGUANG, { status: 'out_of_poverty' });
});
afterAll(async () => t?.close());

const url = () => `/api/households/${hh.id}/contact-cadre`;
const assign = (as: string, userId: string, reason?: string) => t.call(as, { method: 'PUT', url: url(), payload: { userId, ...(reason ? { reason } : {}) } });

describe('naming and changing the contact cadre', () => {
  it('a town officer names a village cadre; the household shows it; the change is kept and audited', async () => {
    const res = await assign('town.tongjing', 'cadre.rongguang2');
    expect(res.statusCode).toBe(200);
    expect(res.json().current).toMatchObject({ id: 'cadre.rongguang2', name: '张晓燕' });
    expect(res.json().history).toEqual([expect.objectContaining({ from: null, to: { id: 'cadre.rongguang2', name: '张晓燕' }, by: { id: 'town.tongjing', name: '陈立新' } })]);
    const detail = (await t.call('cadre.rongguang', { method: 'GET', url: `/api/households/${hh.id}` })).json();
    expect(detail.contactCadre).toMatchObject({ id: 'cadre.rongguang2', name: '张晓燕' });
    expect(await t.db.em().count(AuditEntry, { action: 'contact_cadre', target: hh.id, outcome: 'ok' })).toBe(1);
  });

  it('the district reassigns it to a district cadre, with a reason; the history lists both, newest first', async () => {
    const res = await assign('supervisor', 'yibao', '调整包户');
    expect(res.statusCode).toBe(200);
    const history = res.json().history;
    expect(history.map((h: any) => [h.from?.id ?? null, h.to.id, h.by.id, h.reason])).toEqual([
      ['cadre.rongguang2', 'yibao', 'supervisor', '调整包户'],
      [null, 'cadre.rongguang2', 'town.tongjing', null],
    ]);
    expect(history[0].at).toMatch(/^\d{4}-\d\d-\d\dT.*\+08:00$/);
  });

  it('village cadres and officers of another town may not; a cadre of another town or an inactive user cannot be named', async () => {
    expect((await assign('cadre.rongguang', 'cadre.rongguang2')).statusCode).toBe(403);
    expect((await assign('town.gulu', 'cadre.rongguang2')).statusCode).toBe(404); // outside their area: no such household
    const other = await assign('town.tongjing', 'cadre.jixing');
    expect(other.statusCode).toBe(400);
    expect(other.json().error.details[0]).toMatchObject({ field: 'userId', rule: 'cadre' });
    const em = t.db.em();
    const u = await em.findOneOrFail(User, { id: 'cadre.rongguang' });
    u.active = false;
    await em.flush();
    expect((await assign('town.tongjing', 'cadre.rongguang')).json().error.details[0]).toMatchObject({ field: 'userId', rule: 'exists' });
    u.active = true;
    await em.flush();
    expect((await assign('town.tongjing', 'nobody')).statusCode).toBe(400);
  });

  it('the 脱贫户 and 监测户 without a contact cadre are listed', async () => {
    const res = await t.call('town.tongjing', { method: 'GET', url: `/api/households?filter=${json({ withoutContactCadre: true })}&range=[0,99]` });
    expect(res.statusCode).toBe(200);
    const ids = res.json().map((h: any) => h.id);
    expect(ids).not.toContain(hh.id);
    expect(ids).toContain('H00000001');
    for (const h of res.json()) {
      expect(h.contactCadre).toBeNull();
      expect(h.status === 'out_of_poverty' || h.monitoringStatus === 'monitored').toBe(true);
    }
  });
});

describe('the visit to a 脱贫户 goes to its contact cadre', () => {
  it('the contact cadre has it in the inbox and records it; a cadre of the village may not', async () => {
    // Only this file's household is a 脱贫户 here (the demo ones' visit ids are shared with other files on the Temporal server).
    const em = t.db.em();
    await em.nativeUpdate(Household, { status: 'out_of_poverty', id: { $ne: hh.id } }, { status: 'ordinary' });
    expect((await assign('town.tongjing', 'cadre.rongguang2')).statusCode).toBe(200);
    await t.client.workflow.execute('outOfPovertyVisitRound', { taskQueue: t.taskQueue, workflowId: `round-${t.taskQueue}`, args: [{ due: { endOfMonth: true } }] });
    const [visit] = await eventually(() => t.db.em().find(Process, { type: 'outOfPovertyVisit', householdId: hh.id }), (v) => v.length === 1);
    const inbox = (as: string) => t.call(as, { method: 'GET', url: `/api/steps?filter=${json({ mine: true, status: 'open', processType: 'outOfPovertyVisit' })}` }).then((r) => r.json());
    const mine = await eventually(() => inbox('cadre.rongguang2'), (m) => m.length === 1);
    expect(mine[0]).toMatchObject({ processId: visit.id, assignee: 'cadre.rongguang2' });
    expect(await inbox('cadre.rongguang')).toEqual([]);
    const step = `/api/processes/${encodeURIComponent(visit.id)}/steps/povertyVisit`;
    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    expect((await t.call('cadre.rongguang', { method: 'POST', url: step, payload: { visitedOn: today, notes: '走访' } })).statusCode).toBe(403);
    const done = await t.call('cadre.rongguang2', { method: 'POST', url: step, payload: { visitedOn: today, notes: '包户干部走访，两不愁三保障均有保障' } });
    expect(done.statusCode).toBe(200);
    expect(done.json().state.status).toBe('completed');
  }, 120_000);
});
