/**
 * The secretaries' annual 遍访 (plan item 4) as coverage by person, over seeded visit steps: a visit
 * counts for the person who completed it, in the year it was completed (Beijing time), when it is a
 * visit step (campaign, helper, contact cadre) to a unit of their set; the district secretary answers
 * for the key villages and their towns, a town secretary for the town's villages and 监测户, village
 * secretaries and 第一书记 for their village's 脱贫户 and 监测户. A town officer sees their town's
 * secretaries only; village cadres and departments are refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Household, Step, Village } from '../../db';
import { shanghaiDate } from '../../calendar/dates';
import { startTestApp, type TestApp } from '../helpers/app';

let t: TestApp;
const YEAR = Number(shanghaiDate(new Date()).slice(0, 4));
let seq = 0;
let em: ReturnType<TestApp['db']['em']>;

/** A done step of `processType`/`stepKey`, completed by `by` at `at`, about a household of a place. */
function doneStep(processType: string, stepKey: string, by: string, at: string, place: { town: string; village: string; householdId: string }) {
  const n = ++seq;
  const completedAt = new Date(at);
  em.create(Step, {
    id: `${processType}:SV${n}:1/${stepKey}-${n}`, processId: `${processType}:SV${n}:1`, stepId: `${stepKey}-${n}`, processType, stepKey,
    titleZh: '走访', titleEn: 'Visit', role: 'village_cadre', scope: 'assignee', department: null, ...place,
    openedAt: new Date(completedAt.getTime() - 86_400_000), dueAt: new Date(completedAt.getTime() + 86_400_000), dueDate: shanghaiDate(completedAt),
    status: 'done', completedAt, completedBy: by, completedByName: by,
  });
}

const RONGGUANG = { town: '统景镇', village: '荣光村' };
const JIXING = { town: '古路镇', village: '吉星村' };
const coverage = async (as: string, year = YEAR) => t.call(as, { method: 'GET', url: `/api/stats/secretary-visits?year=${year}` });
const person = (body: any, id: string) => body.secretaries.find((s: { userId: string }) => s.userId === id);

beforeAll(async () => {
  t = await startTestApp();
  // A district secretary (district level: no town or village).
  const made = await t.call('admin', { method: 'POST', url: '/api/users', payload: { username: 'secretary.district', name: '区委书记甲', roles: ['district_supervisor'], post: 'district_secretary', password: 'first-pass-1' } });
  expect(made.statusCode, made.body).toBe(201);
  // 荣光村: H00000001 and H00000002 are 脱贫户 (demo data); H00000003 becomes a 监测户.
  em = t.db.em();
  const h3 = await em.findOneOrFail(Household, { id: 'H00000003' });
  h3.monitoringStatus = 'monitored';
  await em.flush();

  // The village secretary: a contact-cadre visit to H1 this year (counts), a campaign visit to H2 last
  // year (just before midnight Beijing time on 31 December: not this year), a home verification of H3
  // this year (not a visit step).
  doneStep('outOfPovertyVisit', 'povertyVisit', 'cadre.rongguang', `${YEAR}-01-01T00:30:00+08:00`, { ...RONGGUANG, householdId: 'H00000001' });
  doneStep('campaign', 'campaignVisit', 'cadre.rongguang', `${YEAR - 1}-12-31T23:30:00+08:00`, { ...RONGGUANG, householdId: 'H00000002' });
  doneStep('identification', 'homeVerification', 'cadre.rongguang', `${YEAR}-03-01T10:00:00+08:00`, { ...RONGGUANG, householdId: 'H00000003' });
  // The first secretary: a helper's monthly visit to H2 and a campaign visit confirmed for H3, both this year.
  doneStep('helperAssignment', 'monthlyVisit', 'cadre.rongguang2', `${YEAR}-05-10T10:00:00+08:00`, { ...RONGGUANG, householdId: 'H00000002' });
  doneStep('campaign', 'confirmVisit', 'cadre.rongguang2', `${YEAR}-06-10T10:00:00+08:00`, { ...RONGGUANG, householdId: 'H00000003' });
  // The town secretary: a campaign visit to the 监测户 H3 (so also to 荣光村) this year.
  doneStep('campaign', 'campaignVisit', 'town.tongjing', `${YEAR}-04-02T09:00:00+08:00`, { ...RONGGUANG, householdId: 'H00000003' });
  // The district secretary: a visit in 吉星村 (a key village) this year, and one in 荣光村 last year.
  doneStep('outOfPovertyVisit', 'povertyVisit', 'secretary.district', `${YEAR}-08-20T15:00:00+08:00`, { ...JIXING, householdId: 'H00000005' });
  doneStep('outOfPovertyVisit', 'povertyVisit', 'secretary.district', `${YEAR - 1}-08-20T15:00:00+08:00`, { ...RONGGUANG, householdId: 'H00000001' });
  await em.flush();
});
afterAll(async () => t?.close());

describe('GET /api/stats/secretary-visits', () => {
  it('counts exactly the visit steps each secretary completed in the year, against their own set', async () => {
    const res = await coverage('supervisor');
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.year).toBe(YEAR);

    const village = person(body, 'cadre.rongguang');
    expect(village).toMatchObject({ name: '李明华', post: 'village_secretary', town: '统景镇', village: '荣光村', due: 3, visited: 1, coverage: 33.3 });
    expect(village.unvisited.map((u: any) => [u.householdId, u.headName, u.group])).toEqual([
      ['H00000002', '李演示', 'out_of_poverty'],
      ['H00000003', '王样本', 'monitored'],
    ]);
    expect(JSON.stringify(village.unvisited)).not.toMatch(/5001121/); // no ID numbers

    expect(person(body, 'cadre.rongguang2')).toMatchObject({ post: 'first_secretary', due: 3, visited: 2, coverage: 66.7 });
    expect(person(body, 'cadre.rongguang2').unvisited.map((u: any) => u.householdId)).toEqual(['H00000001']);

    // 统景镇: its 5 villages and its one 监测户; the visit to H3 covers H3 and 荣光村.
    const town = person(body, 'town.tongjing');
    expect(town).toMatchObject({ post: 'town_secretary', due: 6, visited: 2 });
    expect(town.unvisited.filter((u: any) => u.kind === 'village').map((u: any) => u.village).sort()).toEqual(['印盒村', '景口村', '温泉村', '裕华村'].sort());

    // The district secretary: the key villages and their towns; this year's visit in 吉星村 covers 古路镇 and 吉星村.
    const keys = await t.db.em().find(Village, { key: true });
    const district = person(body, 'secretary.district');
    expect(body.districtBasis).toBe('key');
    expect(district).toMatchObject({ post: 'district_secretary', town: null, due: keys.length + new Set(keys.map((v) => v.town)).size, visited: 2 });
    expect(district.unvisited.some((u: any) => u.kind === 'village' && u.village === '荣光村')).toBe(true);
    expect(district.unvisited.some((u: any) => u.town === '古路镇')).toBe(false);

    // Secretaries come district first, then by town and village.
    expect(body.secretaries[0].userId).toBe('secretary.district');
  });

  it('last year counts last year’s visits only', async () => {
    const body = (await coverage('supervisor', YEAR - 1)).json();
    expect(person(body, 'cadre.rongguang')).toMatchObject({ due: 3, visited: 1 });
    expect(person(body, 'cadre.rongguang').unvisited.map((u: any) => u.householdId)).toEqual(['H00000001', 'H00000003']);
    expect(person(body, 'cadre.rongguang2')).toMatchObject({ visited: 0, coverage: 0 });
    expect(person(body, 'secretary.district').visited).toBe(2); // 统景镇 and 荣光村
  });

  it('a town officer sees their town’s secretaries only; village cadres and departments are refused; a bad year names the field', async () => {
    const body = (await coverage('town.tongjing')).json();
    expect(body.secretaries.map((s: { userId: string }) => s.userId).sort()).toEqual(['cadre.rongguang', 'cadre.rongguang2', 'town.tongjing']);
    const gulu = (await coverage('town.gulu')).json();
    expect(gulu.secretaries.map((s: { userId: string }) => s.userId).sort()).toEqual(['cadre.jixing', 'town.gulu']);
    expect((await coverage('cadre.rongguang')).statusCode).toBe(403);
    expect((await coverage('yibao')).statusCode).toBe(403);
    const bad = await t.call('supervisor', { method: 'GET', url: '/api/stats/secretary-visits?year=20x6' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0]).toMatchObject({ field: 'year', rule: 'format' });
    expect((await coverage('supervisor', YEAR + 1)).json().error.details[0]).toMatchObject({ field: 'year', rule: 'range' });
  });
});
