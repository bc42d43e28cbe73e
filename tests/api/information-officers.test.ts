/**
 * 信息员 (information officers, plan item 16) over HTTP: an officer reports a household at risk of their
 * area through their own discovery channel — the identification opens its home verification for the
 * village's cadres — and nothing else (no other channel, no household outside their area, no register
 * edits, ID numbers masked); the staffing against the policy's targets (shipped as the plan's 2 / 2 / 1)
 * and its shortfall; a policy version with other targets changes the shortfall.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Process, Step } from '../../db';
import { startTestApp, type TestApp } from '../helpers/app';
import { JIXING, RONGGUANG, eventually, json, newHousehold } from '../helpers/integrations';
import { shanghaiDate } from '../../calendar/dates';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t?.close());

const INFO = 'info.rongguang'; // 信息员, 统景镇荣光村
const report = (as: string, householdId: string, channel = 'information_officer') =>
  t.call(as, { method: 'POST', url: '/api/processes', payload: { type: 'identification', input: { householdId, channel, category: 'sudden_hardship', riskTypes: ['illness'], description: '信息员报告：户主突发重病' } } });

describe('an information officer reports a risk', () => {
  it('opens an identification through the 信息员报告 channel, whose home verification is for the village cadres', async () => {
    const hh = await newHousehold(t, RONGGUANG);
    const res = await report(INFO, hh.id);
    expect(res.statusCode).toBe(201);
    const id = res.json().id;
    const kase = await eventually(() => t.db.em().findOne(Process, { id }), (p) => !!p);
    expect(kase!.type).toBe('identification');
    const step = await eventually(() => t.db.em().findOne(Step, { processId: id, status: 'open' }), (s) => !!s);
    expect(step).toMatchObject({ stepKey: 'homeVerification', role: 'village_cadre', village: '荣光村' });
    const inbox = await eventually(
      () => t.call('cadre.rongguang', { method: 'GET', url: `/api/steps?filter=${json({ mine: true, status: 'open', processId: id })}` }).then((r) => r.json()),
      (rows) => rows.length === 1,
    );
    expect(inbox[0].stepKey ?? inbox[0].key).toBe('homeVerification');
  });

  it('reports only through that channel, only in their area; other people cannot use the channel', async () => {
    const hh = await newHousehold(t, RONGGUANG);
    const other = await report(INFO, hh.id, 'cadre_check');
    expect(other.statusCode).toBe(400);
    expect(other.json().error.details[0]).toMatchObject({ field: 'input.channel', rule: 'informationOfficer' });
    expect((await report(INFO, (await newHousehold(t, JIXING)).id)).statusCode).toBe(404);
    const cadre = await report('cadre.rongguang', hh.id);
    expect(cadre.statusCode).toBe(400);
    expect(cadre.json().error.details[0]).toMatchObject({ field: 'input.channel' });
  });

  it('reads the households of their area masked, and edits nothing', async () => {
    const hh = await newHousehold(t, RONGGUANG);
    const res = await t.call(INFO, { method: 'GET', url: `/api/households/${hh.id}` });
    expect(res.statusCode).toBe(200);
    expect(res.json().idNumberMasked).toBe(true);
    expect(res.json().idNumber).not.toBe(hh.idNumber);
    const list = await t.call(INFO, { method: 'GET', url: '/api/households?range=[0,99]' });
    expect(new Set(list.json().map((h: any) => `${h.town}${h.village}`))).toEqual(new Set(['统景镇荣光村']));
    expect((await t.call(INFO, { method: 'PUT', url: `/api/households/${hh.id}`, payload: { memberCount: 5 } })).statusCode).toBe(403);
    expect((await t.call(INFO, { method: 'GET', url: '/api/steps' })).statusCode).toBe(403);
  });
});

describe('staffing against the plan', () => {
  it('shows the shortfall by level for the district, and a town officer their town only', async () => {
    const res = await t.call('supervisor', { method: 'GET', url: '/api/stats/information-officers' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.plan).toEqual({ district: 2, town: 2, village: 1 });
    expect(body.district).toEqual({ required: 2, staffed: 0, shortfall: 2 });
    const tongjing = body.towns.find((x: any) => x.town === '统景镇');
    expect(tongjing).toMatchObject({ required: 2, staffed: 1, shortfall: 1 });
    expect(tongjing.villages.find((v: any) => v.village === '荣光村')).toEqual({ village: '荣光村', required: 1, staffed: 1, shortfall: 0 });
    expect(tongjing.villages.find((v: any) => v.village === '印盒村')).toEqual({ village: '印盒村', required: 1, staffed: 0, shortfall: 1 });
    expect(body.total.shortfall).toBe(body.total.required - body.total.staffed);

    const town = (await t.call('town.tongjing', { method: 'GET', url: '/api/stats/information-officers' })).json();
    expect(town.district).toBeNull();
    expect(town.towns.map((x: any) => x.town)).toEqual(['统景镇']);
    expect((await t.call(INFO, { method: 'GET', url: '/api/stats/information-officers' })).statusCode).toBe(403);
  });
});

describe('staffing targets are policy values', () => {
  it('a version with other targets (3 / 1 / 2) changes what is required and the shortfall; a target out of range is refused naming the field', async () => {
    const values = structuredClone((await t.call('supervisor', { method: 'GET', url: '/api/policy' })).json().values);
    expect(values.staffing).toEqual({ informationOfficers: { district: 2, town: 2, village: 1 } });
    values.staffing.informationOfficers = { district: 3, town: 1, village: 2 };
    const draft = (body: object) => t.call('admin', { method: 'POST', url: '/api/policy/versions', payload: { effectiveFrom: shanghaiDate(new Date()), ...body } });

    const wrong = await draft({ values: { ...values, staffing: { informationOfficers: { district: -1, town: 1, village: 2 } } } });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.details[0]).toMatchObject({ field: 'staffing.informationOfficers.district', rule: 'range' });
    expect(wrong.json().error.details[0].message).toMatch(/区级信息员/);

    const res = await draft({ values, note: '区里要求每村配 2 名信息员' });
    expect(res.statusCode, res.body).toBe(201);
    const shown = (await t.call('supervisor', { method: 'GET', url: `/api/policy/versions/${res.json().id}` })).json();
    expect(shown.changes.map((c: any) => c.toText)).toEqual(['3 名', '1 名', '2 名']);
    expect((await t.call('supervisor', { method: 'POST', url: `/api/policy/versions/${res.json().id}/activate` })).statusCode).toBe(200);

    const body = (await t.call('supervisor', { method: 'GET', url: '/api/stats/information-officers' })).json();
    expect(body.plan).toEqual({ district: 3, town: 1, village: 2 });
    expect(body.district).toEqual({ required: 3, staffed: 0, shortfall: 3 });
    const tongjing = body.towns.find((x: any) => x.town === '统景镇');
    expect(tongjing).toMatchObject({ required: 1, staffed: 1, shortfall: 0 });
    expect(tongjing.villages.find((v: any) => v.village === '荣光村')).toEqual({ village: '荣光村', required: 2, staffed: 1, shortfall: 1 });
    expect(tongjing.villages.find((v: any) => v.village === '印盒村')).toEqual({ village: '印盒村', required: 2, staffed: 0, shortfall: 2 });
  });
});
