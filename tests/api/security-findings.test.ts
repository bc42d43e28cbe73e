/**
 * Findings of a hostile test run (issue 15), each driven over HTTP as the attacker did it:
 * 1. an alert (or a department-alert start) in another department's name, to unmask a household;
 * 2. the printable notice printing health risk types (因病);
 * 4. the Temporal Web UI link offered to everyone;
 * 7. answers that tell whether a case or household exists outside the caller's scope, and where, or what stage it is at;
 * 13. a helper or visit team member from another village of the town locked out of what they were given;
 * 14. a deactivated user put in a visit team;
 * 15. an admin posting medical settlements with a login.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { AuditEntry, Household, User } from '../../db';
import { hashPassword } from '../../server/passwords';
import { CHECKLIST_KEYS, townCaseId, visitCaseId } from '../../processes/campaign/contract';
import { DEMO_PASSWORD, startTestApp, type TestApp } from '../helpers/app';
import { RONGGUANG, createKey, eventually, json, newHousehold, withKey } from '../helpers/integrations';

const policyFile = fileURLToPath(new URL('../fixtures/policy-short.yaml', import.meta.url));
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ policyFile });
  // Village cadres outside 荣光村 (where the test households live); the 'retired' ones leave later.
  const em = t.db.em();
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  for (const [id, town, village] of [
    ['cadre.yinhe', '统景镇', '印盒村'],
    ['cadre.retired', '统景镇', '景口村'],
    ['cadre.gulu.retired', '古路镇', '古路村'],
  ]) {
    em.create(User, { id, username: id, name: `${village}干部`, passwordHash, roles: ['village_cadre'], town, village });
  }
  await em.flush();
}, 60_000);
afterAll(async () => t?.close());

const enc = encodeURIComponent;
const caseUrl = (id: string) => `/api/processes/${enc(id)}`;
const today = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
const alertBody = (householdId: string, department: string) => ({ householdId, department, description: '因病支出大', riskTypes: ['illness'] });
const startWithAlert = (householdId: string, department: string) => ({
  type: 'identification',
  input: { householdId, channel: 'self_report', category: 'unstable', riskTypes: ['illness'], description: '因病支出大', alert: { department } },
});
const household = (id: string) => t.call('yibao', { method: 'GET', url: `/api/households/${id}` }).then((r) => r.json());
const inbox = (who: string, processId: string) =>
  t.call(who, { method: 'GET', url: `/api/steps?filter=${json({ mine: true, status: 'open', processId })}` }).then((r) => r.json() as Promise<{ stepKey: string }[]>);

describe('1. an alert names the sender\'s own department', () => {
  it('refuses a department officer naming another department; that department stays uninvolved', async () => {
    const hh = await newHousehold(t, RONGGUANG);
    const res = await t.call('shuili', { method: 'POST', url: '/api/alerts', payload: alertBody(hh.id, '区医保局') });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.details[0].field).toBe('department');
    expect(await household(hh.id)).toMatchObject({ idNumberMasked: true });
    expect((await household(hh.id)).idNumber).not.toBe(hh.idNumber);
    // Its own department's alert is taken.
    const own = await t.call('shuili', { method: 'POST', url: '/api/alerts', payload: alertBody(hh.id, '区水利局') });
    expect(own.statusCode).toBe(201);
    // Involved now, it still cannot signal another alert in another department's name; nor can a key.
    const signalUrl = `${caseUrl(own.json().processId)}/signals/departmentAlert`;
    const signalled = await t.call('shuili', { method: 'POST', url: signalUrl, payload: { department: '区医保局', description: '因病支出大' } });
    expect(signalled.statusCode).toBe(403);
    expect(signalled.json().error.details[0].field).toBe('department');
    const key = await createKey(t, ['signal:identification.departmentAlert']);
    expect((await withKey(t, key.key, { method: 'POST', url: signalUrl, payload: { department: '区医保局', description: '因病支出大' } })).statusCode).toBe(403);
    expect((await household(hh.id)).idNumberMasked).toBe(true);
  });

  it('refuses a start naming another department in input.alert', async () => {
    const hh = await newHousehold(t, RONGGUANG);
    for (const who of ['shuili', 'cadre.rongguang']) {
      const res = await t.call(who, { method: 'POST', url: '/api/processes', payload: startWithAlert(hh.id, '区医保局') });
      expect(res.statusCode, who).toBe(403);
      expect(res.json().error.details[0].field).toBe('input.alert.department');
    }
    expect((await household(hh.id)).idNumberMasked).toBe(true);
  });

  it('lets an API key name only the departments an admin bound it to', async () => {
    const hh = await newHousehold(t, RONGGUANG);
    const unbound = await createKey(t, ['alert']);
    expect((await withKey(t, unbound.key, { method: 'POST', url: '/api/alerts', payload: alertBody(hh.id, '区医保局') })).statusCode).toBe(403);
    const bound = await createKey(t, ['alert', 'department:区民政局']);
    expect((await withKey(t, bound.key, { method: 'POST', url: '/api/alerts', payload: alertBody(hh.id, '区医保局') })).statusCode).toBe(403);
    expect((await household(hh.id)).idNumberMasked).toBe(true);
    expect((await withKey(t, bound.key, { method: 'POST', url: '/api/alerts', payload: alertBody(hh.id, '区民政局') })).statusCode).toBe(201);
  });
});

describe('2. the printable notice', () => {
  it('never prints health risk types', async () => {
    const hh = await newHousehold(t, RONGGUANG);
    const started = await t.call('cadre.rongguang', {
      method: 'POST',
      url: '/api/processes',
      payload: { type: 'identification', input: { householdId: hh.id, channel: 'self_report', category: 'unstable', riskTypes: ['illness', 'disability', 'lack_of_labour'], description: '户主患尿毒症' } },
    });
    expect(started.statusCode).toBe(201);
    for (const format of ['json', 'html']) {
      const res = await t.call('cadre.rongguang', { method: 'GET', url: `${caseUrl(started.json().id)}/notice?format=${format}` });
      expect(res.statusCode).toBe(200);
      for (const health of ['因病', '因残', 'illness', 'disability', '尿毒症']) expect(res.body, `${format} ${health}`).not.toContain(health);
      expect(res.body).not.toContain(hh.idNumber);
      expect(res.body).not.toContain(hh.phone);
    }
  });
});

describe('4. the Temporal Web UI link', () => {
  it('is offered to admins and the district supervisor only', async () => {
    t.services.temporal.webUiUrl = 'http://127.0.0.1:8233';
    const hh = await newHousehold(t, RONGGUANG);
    const started = await t.call('cadre.rongguang', { method: 'POST', url: '/api/processes', payload: { type: 'identification', input: { householdId: hh.id, channel: 'self_report', category: 'unstable', riskTypes: ['housing'], description: '房屋漏雨' } } });
    const link = async (who: string) => (await t.call(who, { method: 'GET', url: caseUrl(started.json().id) })).json().temporalUiUrl;
    for (const who of ['cadre.rongguang', 'town.tongjing']) expect(await link(who), who).toBeUndefined();
    for (const who of ['admin', 'supervisor']) expect(await link(who), who).toContain('/workflows/');
  });
});

describe('7. what lies outside the caller\'s scope is answered as what does not exist', () => {
  /** The answer with the id the caller sent taken out: what is left must be the same for both ids. */
  const shape = async (res: Promise<{ statusCode: number; body: string }>, id: string) => {
    const { statusCode, body } = await res;
    return { statusCode, body: body.split(id).join('<id>') };
  };
  const identification = (householdId: string) => ({ type: 'identification', input: { householdId, channel: 'self_report', category: 'unstable', riskTypes: ['housing'], description: '房屋漏雨' } });

  it('a case of another village: every read and write by id answers exactly as for an unknown case', async () => {
    const hh = await newHousehold(t, RONGGUANG);
    const started = await t.call('cadre.rongguang', { method: 'POST', url: '/api/processes', payload: identification(hh.id) });
    expect(started.statusCode).toBe(201);
    const real = started.json().id as string;
    const missing = `identification:H${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}:1`;
    const probes: [string, (id: string) => Record<string, unknown>][] = [
      ['detail', (id) => ({ method: 'GET', url: caseUrl(id) })],
      ['history', (id) => ({ method: 'GET', url: `${caseUrl(id)}/history` })],
      ['notice', (id) => ({ method: 'GET', url: `${caseUrl(id)}/notice` })],
      ['signal', (id) => ({ method: 'POST', url: `${caseUrl(id)}/signals/objection`, payload: { raisedBy: '村民', content: '有异议' } })],
      ['step', (id) => ({ method: 'POST', url: `${caseUrl(id)}/steps/homeVerification`, payload: {} })],
    ];
    for (const who of ['cadre.jixing', 'town.gulu', 'yibao']) {
      for (const [name, request] of probes) {
        const seen = await shape(t.call(who, request(real) as never), real);
        expect(seen, `${who} ${name}`).toEqual(await shape(t.call(who, request(missing) as never), missing));
        expect(seen.statusCode, `${who} ${name}`).toBe(404);
        expect(JSON.parse(seen.body)).toEqual({ error: { code: 'not_found', message: '流程 <id> 不存在', details: [] } });
      }
    }
    // The caller cannot tell; the audit log can: a look at a case out of one's scope is a refusal.
    const refused = await t.db.em().find(AuditEntry, { actorId: 'cadre.jixing', processId: real, outcome: 'refused' });
    expect(refused.map((r) => r.detail?.status)).toEqual(probes.map(() => 404));
    expect(refused.filter((r) => r.detail?.reason === 'out_of_scope')).toHaveLength(probes.length);
  });

  it('a household of another village: reading it or starting a case for it answers as for an unknown household', async () => {
    const hh = await newHousehold(t, RONGGUANG);
    const missing = 'H99999998';
    for (const request of [
      (id: string) => ({ method: 'GET' as const, url: `/api/households/${id}` }),
      (id: string) => ({ method: 'PUT' as const, url: `/api/households/${id}`, payload: { memberCount: 2 } }),
      (id: string) => ({ method: 'POST' as const, url: '/api/processes', payload: identification(id) }),
      (id: string) => ({ method: 'POST' as const, url: '/api/processes', payload: { type: 'houseRebuild', input: { householdId: id, description: '墙体开裂', onlyHouse: true } } }),
    ]) {
      const seen = await shape(t.call('cadre.jixing', request(hh.id)), hh.id);
      expect(seen, request(hh.id).url).toEqual(await shape(t.call('cadre.jixing', request(missing)), missing));
      expect(seen.statusCode).toBe(404);
      expect(seen.body).not.toMatch(/统景|荣光|outside/);
    }
  });

  it('an API key sees the cases of the types its scopes name, and learns no stage', async () => {
    const objections = await createKey(t, ['signal:identification.objection']);
    const hh = await newHousehold(t, RONGGUANG);
    await t.db.em().nativeUpdate(Household, { id: hh.id }, { monitoringStatus: 'monitored', monitoringCategory: 'unstable' });
    const p2 = await t.call('supervisor', { method: 'POST', url: '/api/processes', payload: { type: 'helperAssignment', input: { householdId: hh.id, includedOn: today() } } });
    expect(p2.statusCode).toBe(201);
    const other = p2.json().id as string;
    const missing = 'helperAssignment:H99999997:1';
    const objection = (id: string) => withKey(t, objections.key, { method: 'POST', url: `${caseUrl(id)}/signals/objection`, payload: { raisedBy: '村民', content: '有异议' } });
    // Both kept as dead letters (a key's delivery that found no case), with the same words.
    for (const [id, res] of [[other, await objection(other)], [missing, await objection(missing)]] as const) {
      expect(res.statusCode).toBe(404);
      expect(res.json().error.message).toMatch(new RegExp(`^流程 ${id} 不存在；已存为死信 [^()]*$`));
    }
    // An identification before its notice: refused (409) without its stage.
    const own = await newHousehold(t, RONGGUANG);
    const p1 = await t.call('cadre.rongguang', { method: 'POST', url: '/api/processes', payload: identification(own.id) });
    const { stage } = (await t.call('cadre.rongguang', { method: 'GET', url: caseUrl(p1.json().id) })).json();
    const early = await objection(p1.json().id);
    expect(early.statusCode).toBe(409);
    expect(stage).toBeTruthy();
    expect(early.body).not.toContain(stage);
  });
});

describe('13. a helper from another village of the town', () => {
  it('sees and completes what they are given, and nothing else of that village', async () => {
    const hh = await newHousehold(t, RONGGUANG);
    await t.db.em().nativeUpdate(Household, { id: hh.id }, { monitoringStatus: 'monitored', monitoringCategory: 'unstable' });
    const started = await t.call('supervisor', { method: 'POST', url: '/api/processes', payload: { type: 'helperAssignment', input: { householdId: hh.id, includedOn: today() } } });
    expect(started.statusCode).toBe(201);
    const p2 = started.json().id as string;
    const plan = { helperId: 'cadre.yinhe', measures: [{ category: 'medical_assistance', target: '落实医疗救助', responsibleUnit: '区医保局', dueDate: '2099-12-31' }] };
    expect((await t.call('town.tongjing', { method: 'POST', url: `${caseUrl(p2)}/steps/assignHelper`, payload: plan })).statusCode).toBe(200);

    expect((await t.call('cadre.yinhe', { method: 'GET', url: caseUrl(p2) })).statusCode).toBe(200);
    expect((await eventually(() => inbox('cadre.yinhe', p2), (s) => s.length > 0)).map((s) => s.stepKey)).toEqual(['monthlyVisit']);
    expect((await t.call('cadre.yinhe', { method: 'POST', url: `${caseUrl(p2)}/steps/monthlyVisit`, payload: { visitedOn: today(), notes: '走访', measureProgress: [{ measureId: 'M1', note: '已报销', done: true }] } })).statusCode).toBe(200);
    const eliminate = await t.call('cadre.yinhe', { method: 'POST', url: `${caseUrl(p2)}/steps/proposeElimination`, payload: { reasons: '收入稳定', perCapitaIncome: 15000, incomeAboveLine: true, labourCount: 2 } });
    expect(eliminate.statusCode).toBe(200);

    // Another case of the village, not theirs: still out of reach.
    const other = await newHousehold(t, RONGGUANG);
    const theirs = await t.call('cadre.rongguang', { method: 'POST', url: '/api/processes', payload: { type: 'identification', input: { householdId: other.id, channel: 'self_report', category: 'unstable', riskTypes: ['housing'], description: '房屋漏雨' } } });
    expect((await t.call('cadre.yinhe', { method: 'GET', url: caseUrl(theirs.json().id) })).statusCode).toBe(404);
  });
});

describe('13, 14. a campaign\'s visiting teams', () => {
  // Next year's: campaign.test.ts starts this year's (one campaign per year in the namespace).
  const year = Number(today().slice(0, 4)) + 1;
  const visit = visitCaseId(year, 'H00000001');
  /** The town case's villages once its teams may be formed. */
  const formable = async (town: string): Promise<string[]> => {
    const d = await eventually(
      () => t.call('supervisor', { method: 'GET', url: caseUrl(townCaseId(year, town)) }).then((r) => r.json()),
      (x) => x.openSteps?.some((s: { key: string }) => s.key === 'formTeams'),
      60_000,
    );
    return d.state.data.villages.map((v: { village: string }) => v.village);
  };
  const formTeams = async (town: string, officer: string, members: string[]) =>
    t.call(officer, { method: 'POST', url: `${caseUrl(townCaseId(year, town))}/steps/formTeams`, payload: { teams: [{ members, villages: await formable(town) }] } });

  beforeAll(async () => {
    const input = { year, towns: ['统景镇', '古路镇'], visitEndsOn: `${year}-06-30`, rectifyEndsOn: `${year}-12-31` };
    expect((await t.call('supervisor', { method: 'POST', url: '/api/processes', payload: { type: 'campaign', input } })).statusCode).toBe(201);
  }, 60_000);

  it('a member from another village of the town finds the visit in their inbox and records it', async () => {
    expect((await formTeams('统景镇', 'town.tongjing', ['cadre.yinhe', 'cadre.rongguang'])).statusCode).toBe(200);
    expect((await eventually(() => inbox('cadre.yinhe', visit), (s) => s.length > 0, 60_000)).map((s) => s.stepKey)).toEqual(['campaignVisit']);
    expect((await t.call('cadre.yinhe', { method: 'GET', url: caseUrl(visit) })).statusCode).toBe(200);
    const items = Object.fromEntries(CHECKLIST_KEYS.map((k) => [k, { result: 'pass' }]));
    expect((await t.call('cadre.yinhe', { method: 'POST', url: `${caseUrl(visit)}/steps/campaignVisit`, payload: { visitedOn: today(), items } })).statusCode).toBe(200);
  }, 120_000);

  it('take active users only, as they are now, not as the campaign listed them at its start', async () => {
    await formable('古路镇'); // the towns have taken their lists of users
    for (const id of ['cadre.retired', 'cadre.gulu.retired']) expect((await t.call('admin', { method: 'PUT', url: `/api/users/${id}`, payload: { active: false } })).statusCode).toBe(200);
    const refused = await formTeams('古路镇', 'town.gulu', ['cadre.jixing', 'cadre.gulu.retired']);
    expect(refused.statusCode).toBe(422);
    expect(refused.json().error.details[0].field).toBe('teams.0.members.1');
    const reassign = await t.call('town.tongjing', { method: 'POST', url: `${caseUrl(townCaseId(year, '统景镇'))}/signals/reassignTeam`, payload: { village: '荣光村', members: ['cadre.yinhe', 'cadre.retired'], reason: '调岗' } });
    expect(reassign.statusCode).toBe(422);
    expect(reassign.json().error.details[0].field).toBe('members.1');
  }, 120_000);
});

describe('15. the settlement endpoint', () => {
  it('is for the settlement system\'s key only: an admin\'s login is refused', async () => {
    const hh = await newHousehold(t, RONGGUANG);
    await t.db.em().nativeUpdate(Household, { id: hh.id }, { status: 'out_of_poverty' });
    const body = { householdId: hh.id, patient: { name: '王某', relation: '配偶' }, disease: '慢性肾衰竭', settlementDate: today(), totalCost: 1100, paidByBasicInsurance: 600, paidByCriticalIllnessInsurance: 200, paidByMedicalAssistance: 200, outOfPocket: 100 };
    const res = await t.call('admin', { method: 'POST', url: '/api/integrations/medical-settlements', payload: body, headers: { 'idempotency-key': `admin-${hh.id}` } });
    expect(res.statusCode).toBe(403);
    const key = await createKey(t, ['settlement']);
    expect((await withKey(t, key.key, { method: 'POST', url: '/api/integrations/medical-settlements', payload: body, headers: { 'idempotency-key': `key-${hh.id}` } })).statusCode).toBe(200);
  });
});
