/**
 * Supervision records and scores (plan item 6): 约谈/问责 recorded by supervisors with who, why, when,
 * the measure and the cases (audited); the year's score per town and department, each component and
 * the formula (every one for supervisors, its own for a town's or a department's officer); a town's
 * score drops when one of its steps goes overdue.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditEntry, Process, Step } from '../../db';
import { shanghaiDate } from '../../calendar/dates';
import { supervisionScores } from '../../server/supervision/scores';
import { startTestApp, type TestApp } from '../helpers/app';

let t: TestApp;
const HOUR = 3600_000;
const today = shanghaiDate(new Date());
const year = Number(today.slice(0, 4));

beforeAll(async () => {
  t = await startTestApp({ worker: false });
  const em = t.db.em();
  em.create(Process, { id: 'identification:SR0000001:1', type: 'identification', status: 'running', stage: 'homeVerification', subject: 'SR0000001', householdId: 'SR0000001', title: '记录户', town: '统景镇', village: '荣光村', departments: [], startedAt: new Date(), revision: 1 });
  await em.flush();
});
afterAll(async () => t?.close());

describe('约谈/问责 records', () => {
  const record = { kind: 'talk', target: '统景镇人民政府', reason: '入户核实逾期未办', decidedOn: today, measure: '约谈提醒分管负责人', processIds: ['identification:SR0000001:1'] };

  it('a supervisor records one (audited); it is listed newest first; others may not', async () => {
    expect((await t.call('town.tongjing', { method: 'POST', url: '/api/accountability', payload: record })).statusCode).toBe(403);
    const res = await t.call('supervisor', { method: 'POST', url: '/api/accountability', payload: record });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ ...record, recordedByName: expect.any(String) });
    const list = await t.call('supervisor', { method: 'GET', url: '/api/accountability' });
    expect(list.json()[0].id).toBe(res.json().id);
    expect(await t.db.em().count(AuditEntry, { action: 'accountability_record', target: `accountability/${res.json().id}` })).toBe(1);
    expect(list.json()[0]).toMatchObject({ source: 'supervisor', sourceTitle: { zh: '督办记录' }, towns: ['统景镇'] });
  });

  it("a town's officers read the records of their town's cases, another town's do not, a village cadre none", async () => {
    const ids = async (user: string) => {
      const res = await t.call(user, { method: 'GET', url: '/api/accountability' });
      expect(res.statusCode, res.body).toBe(200);
      return res.json().map((r: { target: string }) => r.target);
    };
    expect(await ids('town.tongjing')).toContain('统景镇人民政府');
    expect(await ids('town.gulu')).toEqual([]);
    expect(await ids('yibao')).toEqual([]);
    expect((await t.call('cadre.rongguang', { method: 'GET', url: '/api/accountability' })).statusCode).toBe(403);
  });

  it.each([
    ['an unknown case', { processIds: ['identification:NOPE:1'] }, 'processIds.0:unknown'],
    ['a future day', { decidedOn: '2999-01-01' }, 'decidedOn:range'],
    ['a blank measure', { measure: '   ' }, 'measure:minLength'],
    ['another kind', { kind: 'praise' }, 'kind'],
  ])('refuses %s (400 naming the field)', async (_, change, expected) => {
    const res = await t.call('supervisor', { method: 'POST', url: '/api/accountability', payload: { ...record, ...change } });
    expect(res.statusCode, res.body).toBe(400);
    const details = res.json().error.details.map((d: { field: string; rule: string }) => `${d.field}:${d.rule}`);
    expect(details.some((d: string) => d.startsWith(expected))).toBe(true);
  });
});

describe('scores', () => {
  it('answers every town and department with its components and the formula in Chinese', async () => {
    const res = await t.call('supervisor', { method: 'GET', url: `/api/stats/scores?year=${year}` });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.formula.town.zh).toContain('按期办结率 × 60');
    expect(body.rows.some((r: { kind: string; unit: string }) => r.kind === 'town' && r.unit === '统景镇')).toBe(true);
    expect(body.rows.some((r: { kind: string; unit: string }) => r.kind === 'department' && r.unit === '区医保局')).toBe(true);
    expect((await t.call('supervisor', { method: 'GET', url: '/api/stats/scores?year=20x6' })).json().error.details[0].field).toBe('year');
  });

  it('a town officer reads its own town\'s score, a department officer its own department\'s, a village cadre none', async () => {
    const units = async (user: string) => {
      const res = await t.call(user, { method: 'GET', url: `/api/stats/scores?year=${year}` });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().formula.town.zh).toContain('镇得分');
      return res.json().rows.map((r: { kind: string; unit: string }) => `${r.kind}:${r.unit}`);
    };
    expect(await units('town.tongjing')).toEqual(['town:统景镇']);
    expect(await units('town.gulu')).toEqual(['town:古路镇']);
    expect(await units('yibao')).toEqual(['department:区医保局']);
    expect((await t.call('cadre.rongguang', { method: 'GET', url: '/api/stats/scores' })).statusCode).toBe(403);
    expect((await t.call('info.tongjing', { method: 'GET', url: '/api/stats/scores' })).statusCode).toBe(403);
  });

  it("a town's score drops when one of its steps goes overdue, and only that town's", async () => {
    const now = Date.now();
    const dueAt = new Date(now + HOUR);
    const em = t.db.em();
    em.create(Step, {
      id: 'identification:SR0000001:1/homeVerification-1', processId: 'identification:SR0000001:1', stepId: 'homeVerification-1', processType: 'identification', stepKey: 'homeVerification',
      titleZh: '入户核实', titleEn: 'Home verification', role: 'village_cadre', scope: 'village', town: '统景镇', village: '荣光村', householdId: 'SR0000001',
      openedAt: new Date(now - 24 * HOUR), dueAt, dueDate: shanghaiDate(dueAt), status: 'open',
    });
    await em.flush();
    const byUnit = async (at: number) => Object.fromEntries((await supervisionScores(t.db.em(), year, new Date(at))).map((r) => [`${r.kind}:${r.unit}`, r]));
    const before = await byUnit(now);
    const after = await byUnit(now + 2 * HOUR);
    expect(after['town:统景镇'].stepsDue).toBe(before['town:统景镇'].stepsDue + 1);
    expect(after['town:统景镇'].stepsOnTime).toBe(before['town:统景镇'].stepsOnTime);
    expect(after['town:统景镇'].score).toBeLessThan(before['town:统景镇'].score);
    expect(after['town:古路镇']).toEqual(before['town:古路镇']);
  });
});
