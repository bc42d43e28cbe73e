/**
 * P3 names its patient among the household's members: once the register keeps them, an application
 * for someone who is not a member is refused (400 naming input.patient.name), and a member's relation
 * is the register's; a household without registered members keeps the patient as written.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app';
import { RONGGUANG, newHousehold, randomIdNumber } from '../helpers/integrations';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t?.close());

const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
const apply = (householdId: string, patient: { name: string; relation: string }) =>
  t.call('town.tongjing', {
    method: 'POST',
    url: '/api/processes',
    payload: {
      type: 'illnessRelief',
      input: { householdId, patient, disease: '慢性肾衰竭（透析）', settlementDate: today, totalCost: 22500, paidByBasicInsurance: 12000, paidByCriticalIllnessInsurance: 5000, paidByMedicalAssistance: 3000, outOfPocket: 2500, description: '申请大病救助' },
    },
  });

describe('the patient of an illness-relief application', () => {
  it('must be a registered member; the relation comes from the register', async () => {
    const hh = await newHousehold(t, RONGGUANG, { status: 'out_of_poverty' });
    const put = await t.call('cadre.rongguang', {
      method: 'PUT',
      url: `/api/households/${hh.id}/members`,
      payload: { members: [{ name: '测试户', idNumber: hh.idNumber, relation: 'head' }, { name: '王秀英', idNumber: randomIdNumber(), relation: 'spouse' }] },
    });
    expect(put.statusCode, put.body).toBe(200);
    const stranger = await apply(hh.id, { name: '李某', relation: '配偶' });
    expect(stranger.statusCode).toBe(400);
    expect(stranger.json().error.details[0]).toMatchObject({ field: 'input.patient.name', rule: 'member' });
    expect(stranger.json().error.message).toContain('王秀英');
    const res = await apply(hh.id, { name: '王秀英', relation: '妻子' });
    expect(res.statusCode, res.body).toBe(201);
    const d = (await t.call('yibao', { method: 'GET', url: `/api/processes/${encodeURIComponent(res.json().id)}` })).json();
    expect(d.state.data.settlements[0].patient).toEqual({ name: '王秀英', relation: '配偶' });
  });

  it('is taken as written while the household has no registered members', async () => {
    const hh = await newHousehold(t, RONGGUANG, { status: 'out_of_poverty' });
    expect((await apply(hh.id, { name: '李某', relation: '配偶' })).statusCode).toBe(201);
  });
});
