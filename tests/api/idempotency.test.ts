/**
 * Idempotent delivery: the same delivery ten times at once takes effect once (start and signal);
 * many different deliveries at once each take effect once, each with its answer kept and its audit
 * entry (their writes are committed together, server/group-commit.ts); the case itself drops a
 * repeated event id; an instance that died between taking a request and answering it is taken over
 * after its lease, without a second case; answers survive a restart.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import Fastify from 'fastify';
import { AuditEntry, Household, IdempotencyRecord, OpenCase, Process } from '../../db';
import { stateQuery } from '../../contracts/messages';
import { objectionSignal, type ObjectionPayload } from '../../contracts/review';
import type { SignalEnvelope } from '../../contracts/steps';
import { fangfan } from '../../server/app';
import { startTestApp, type TestApp } from '../helpers/app';
import { RONGGUANG, eventually, newHousehold, sleep } from '../helpers/integrations';

const policyFile = fileURLToPath(new URL('../fixtures/policy-short.yaml', import.meta.url));
let t: TestApp;
/** Fresh households of 荣光村 (H[0]…H[10]), so that case ids are this file's own. */
const H: string[] = [];
beforeAll(async () => {
  t = await startTestApp({ policyFile });
  for (let i = 0; i < 11; i++) H.push((await newHousehold(t, RONGGUANG)).id);
});
afterAll(async () => t?.close());

const CADRE = 'cadre.rongguang';
const startBody = (householdId: string) => ({
  type: 'identification',
  input: { householdId, channel: 'cadre_check', category: 'marginal', riskTypes: ['lack_of_labour'], description: '缺劳动力，收入不稳' },
});
const verification = { verifiedOn: '2026-11-20', coVerifierId: 'cadre.rongguang2', memberCount: 3, perCapitaIncome: 6100, guarantees: { foodClothing: 'secure', education: 'secure', medical: 'secure', housing: 'secure', water: 'secure' }, findings: '情况属实' };
const villageReview = { heldOn: '2026-11-21', participants: 25, result: 'pass', minutes: '同意' };
const caseUrl = (id: string) => `/api/processes/${encodeURIComponent(id)}`;
const start = (householdId: string, key?: string) => t.call(CADRE, { method: 'POST', url: '/api/processes', payload: startBody(householdId), headers: key ? { 'idempotency-key': key } : {} });
const state = (id: string) => t.client.workflow.getHandle(id).query(stateQuery);
/** The hash the API keeps to recognise a retry (server/idempotency.ts). */
const requestHash = (method: string, url: string, body: unknown) => createHash('sha256').update(`${method} ${url} ${JSON.stringify(body)}`).digest('hex');

async function toNotice(householdId: string): Promise<string> {
  const res = await start(householdId);
  expect(res.statusCode).toBe(201);
  const id = res.json().id;
  expect((await t.call(CADRE, { method: 'POST', url: `${caseUrl(id)}/steps/homeVerification`, payload: verification })).statusCode).toBe(200);
  expect((await t.call('cadre.rongguang2', { method: 'POST', url: `${caseUrl(id)}/steps/villageReview`, payload: villageReview })).json().state.stage).toBe('publicNotice');
  return id;
}

describe('ten identical deliveries at once take effect once', () => {
  it('a start: one case, ten identical answers', async () => {
    const answers = await Promise.all(Array.from({ length: 10 }, () => start(H[0], 'start-ten-times')));
    expect(answers.map((r) => r.statusCode)).toEqual(Array(10).fill(201));
    const ids = new Set(answers.map((r) => r.json().id));
    expect(ids.size).toBe(1);
    expect(answers.filter((r) => r.headers['idempotent-replayed'] === 'true')).toHaveLength(9);
    const [id] = ids;
    // One case numbered, one guard, one row; no second workflow id.
    expect((await t.db.em().findOneOrFail(Household, { id: H[0] })).caseSeq).toBe(1);
    expect(await t.db.em().count(OpenCase, { subject: H[0] })).toBe(1);
    await eventually(() => t.db.em().count(Process, { householdId: H[0] }), (n) => n === 1);
    expect(await t.db.em().count(Process, { householdId: H[0] })).toBe(1);
    expect(id).toBe(`identification:${H[0]}:1`);
    await expect(t.client.workflow.getHandle(`identification:${H[0]}:2`).describe()).rejects.toThrow();
  });

  it('a start with ten different keys: the open-case guard lets one through and answers the others 409 with its id', async () => {
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => start(H[2], `other-${i}`)));
    const created = answers.filter((r) => r.statusCode === 201);
    expect(created).toHaveLength(1);
    const refused = answers.filter((r) => r.statusCode === 409);
    expect(refused).toHaveLength(9);
    for (const r of refused) expect(r.json().error.id).toBe(created[0].json().id);
  });

  it('a start racing one that has taken the household\'s guard but not yet started its workflow: 409, not a second case', async () => {
    const em = t.db.em();
    em.create(OpenCase, { type: 'identification', subject: H[9], processId: `identification:${H[9]}:5`, createdAt: new Date() });
    await em.flush();
    const res = await start(H[9], 'racing-start');
    expect(res.statusCode).toBe(409);
    expect(res.json().error.id).toBe(`identification:${H[9]}:5`);
    expect(await t.db.em().count(OpenCase, { subject: H[9] })).toBe(1);
    await expect(t.client.workflow.getHandle(`identification:${H[9]}:1`).describe()).rejects.toThrow();
  });

  it('a signal: one objection recorded, ten identical answers', async () => {
    const id = await toNotice(H[1]);
    const objection = { raisedBy: '村民甲', content: '该户有稳定务工收入' };
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => t.call(CADRE, { method: 'POST', url: `${caseUrl(id)}/signals/objection`, payload: objection, headers: { 'idempotency-key': 'objection-ten-times' } })),
    );
    expect(answers.map((r) => r.statusCode)).toEqual(Array(10).fill(202));
    expect(answers.filter((r) => r.headers['idempotent-replayed'] === 'true')).toHaveLength(9);
    const s = await eventually(() => state(id), (x) => (x.data as any).objections.length > 0);
    await sleep(300);
    expect(((await state(id)).data as any).objections).toHaveLength(1);
    expect(s.events.filter((e) => e.kind === 'objection')).toHaveLength(1);
  });

  it('thirty different signals at once: each delivered once, answered 202, audited, and its answer kept (also for a restarted API, and once the case has closed)', async () => {
    const started = await start(H[10]);
    expect(started.statusCode).toBe(201);
    const id = started.json().id;
    const url = `${caseUrl(id)}/signals/departmentAlert`;
    // An admin may name any department (a supervisor only its own: none).
    const alert = (i: number) => ({ department: '区医保局', reference: `YB-${i}`, description: `医疗费用预警 ${i}` });
    const send = (i: number, app = t.app, token?: string) =>
      token
        ? app.inject({ method: 'POST', url, payload: alert(i), headers: { 'idempotency-key': `alert-${i}`, authorization: `Bearer ${token}` } })
        : t.call('admin', { method: 'POST', url, payload: alert(i), headers: { 'idempotency-key': `alert-${i}` } });
    await t.login('admin');
    const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => send(i)));
    expect(answers.map((r) => r.statusCode)).toEqual(Array(30).fill(202));
    expect(answers.filter((r) => r.headers['idempotent-replayed'] === 'true')).toHaveLength(0);
    // Each is in the audit log and has its answer stored by the time it was answered.
    const audited = await t.db.em().find(AuditEntry, { action: 'signal', processId: id, actorId: 'admin' });
    expect(audited).toHaveLength(30);
    const records = await t.db.em().find(IdempotencyRecord, { id: { $like: 'user:admin:alert-%' } });
    expect(records.map((r) => r.status)).toEqual(Array(30).fill(202));
    await eventually(() => state(id), (x) => (x.data as any).alerts.length >= 30);
    await sleep(300);
    expect(((await state(id)).data as any).alerts.map((a: any) => a.reference).sort()).toEqual(Array.from({ length: 30 }, (_, i) => `YB-${i}`).sort());
    // All thirty again, at once, on a restarted API (a new app on the same database): the first answers, nothing sent again.
    const restarted = Fastify();
    await restarted.register(fangfan, { services: t.services });
    await restarted.ready();
    try {
      const token = await t.login('admin');
      const again = await Promise.all(Array.from({ length: 30 }, (_, i) => send(i, restarted, token)));
      expect(again.map((r) => [r.statusCode, r.headers['idempotent-replayed']])).toEqual(Array(30).fill([202, 'true']));
    } finally {
      await restarted.close();
    }
    await sleep(300);
    expect(((await state(id)).data as any).alerts).toHaveLength(30);
    expect(await t.db.em().count(AuditEntry, { action: 'signal', processId: id, actorId: 'admin' })).toBe(30);
    // The case closes. A retry is still answered as the first was; a new alert is refused; a key reused
    // for another alert is refused as such, before and after.
    const reused = await t.call('admin', { method: 'POST', url, payload: alert(99), headers: { 'idempotency-key': 'alert-1' } });
    expect(reused.statusCode).toBe(422);
    expect((await t.call('admin', { method: 'POST', url: `${caseUrl(id)}/cancel`, payload: { reason: '测试结束' } })).statusCode).toBe(200);
    await eventually(() => t.db.em().findOneOrFail(Process, { id }), (p) => p.status !== 'running');
    const retry = await send(0);
    expect([retry.statusCode, retry.headers['idempotent-replayed'], retry.json()]).toEqual([202, 'true', { accepted: true }]);
    expect((await t.call('admin', { method: 'POST', url, payload: alert(30), headers: { 'idempotency-key': 'alert-30' } })).statusCode).toBe(409);
    expect((await t.call('admin', { method: 'POST', url, payload: alert(99), headers: { 'idempotency-key': 'alert-2' } })).statusCode).toBe(422);
    expect(await t.db.em().count(AuditEntry, { action: 'signal', processId: id, actorId: 'admin', outcome: 'ok' })).toBe(30);
  });

  it('the case itself drops an event id it has seen (delivered twice around the API)', async () => {
    const id = await toNotice(H[3]);
    const env: SignalEnvelope<ObjectionPayload> = {
      payload: { raisedBy: '村民乙', content: '重复投递' },
      actor: { kind: 'integration', id: 'k1', name: '热线', roles: [], scopes: ['signal:identification.objection'] },
      eventId: 'hotline:20261201-0001',
      receivedAt: new Date().toISOString(),
    };
    const handle = t.client.workflow.getHandle(id);
    await Promise.all([handle.signal(objectionSignal, env), handle.signal(objectionSignal, env)]);
    await handle.signal(objectionSignal, { ...env, eventId: 'hotline:20261201-0002' });
    const s = await eventually(() => state(id), (x) => (x.data as any).objections.length >= 2);
    await sleep(300);
    expect(((await state(id)).data as any).objections.map((o: any) => o.content)).toEqual(['重复投递', '重复投递']);
    expect(s.events.filter((e) => e.kind === 'objection')).toHaveLength(2);
  });
});

describe('an instance dies between taking a request and answering it', () => {
  const SUP = 'supervisor';
  const supStart = (householdId: string, key: string) => t.call(SUP, { method: 'POST', url: '/api/processes', payload: startBody(householdId), headers: { 'idempotency-key': key } });

  /** What a dead instance leaves behind: a pending record whose lease ran out. */
  async function crashedRecord(id: string, hash: string, body: unknown = null, leaseUntil = new Date(Date.now() - 1000)) {
    const em = t.db.em();
    em.create(IdempotencyRecord, { id, requestHash: hash, status: 0, body: body as object, createdAt: new Date(Date.now() - 120_000), leaseUntil });
    await em.flush();
  }
  const objectionsOf = async (id: string, content: string) => ((await state(id)).data as any).objections.filter((o: any) => o.content === content).length;

  it('a signal the dead instance never sent: the retry after the lease takes over and delivers it once', async () => {
    const id = (await t.db.em().findOneOrFail(Process, { householdId: H[1] })).id;
    const url = `${caseUrl(id)}/signals/objection`;
    const body = { raisedBy: '村民丁', content: '崩溃前未送达' };
    await crashedRecord(`user:${CADRE}:crash-signal-1`, requestHash('POST', url, body));
    const retry = await t.call(CADRE, { method: 'POST', url, payload: body, headers: { 'idempotency-key': 'crash-signal-1' } });
    expect(retry.statusCode).toBe(202);
    expect(retry.headers['idempotent-replayed']).toBeUndefined();
    await eventually(() => objectionsOf(id, body.content), (n) => n > 0);
    expect(await objectionsOf(id, body.content)).toBe(1);
    expect((await t.db.em().findOneOrFail(IdempotencyRecord, { id: `user:${CADRE}:crash-signal-1` })).status).toBe(202);
  });

  it('a signal the dead instance had sent: the retry sends it again and the case drops it by its event id', async () => {
    const id = (await t.db.em().findOneOrFail(Process, { householdId: H[1] })).id;
    const url = `${caseUrl(id)}/signals/objection`;
    const body = { raisedBy: '村民戊', content: '崩溃前已送达' };
    const recordId = `user:${CADRE}:crash-signal-2`;
    const actor = { kind: 'user' as const, id: CADRE, name: '李明华', roles: ['village_cadre' as const], town: '统景镇', village: '荣光村' };
    await t.client.workflow.getHandle(id).signal(objectionSignal, { payload: body, actor, eventId: recordId, receivedAt: new Date().toISOString() });
    await crashedRecord(recordId, requestHash('POST', url, body));
    const retry = await t.call(CADRE, { method: 'POST', url, payload: body, headers: { 'idempotency-key': 'crash-signal-2' } });
    expect(retry.statusCode).toBe(202);
    await eventually(() => objectionsOf(id, body.content), (n) => n > 0);
    await sleep(300);
    expect(await objectionsOf(id, body.content)).toBe(1);
  });

  it('a start whose case Temporal already has: the retry answers with that case (even closed since) and starts no other', async () => {
    const first = await supStart(H[4], 'crash-after-start');
    expect(first.statusCode).toBe(201);
    const caseId = first.json().id;
    // As if the instance had died after Temporal started the case, before it answered.
    await t.db.em().nativeUpdate(IdempotencyRecord, { id: `user:${SUP}:crash-after-start` }, { status: 0, body: { reserved: { processId: caseId } }, leaseUntil: new Date(Date.now() - 1000) });
    // Meanwhile the case was closed, releasing the household for a new identification.
    expect((await t.call(SUP, { method: 'POST', url: `${caseUrl(caseId)}/cancel`, payload: { reason: '误录' } })).statusCode).toBe(200);
    await eventually(() => t.db.em().count(OpenCase, { subject: H[4] }), (n) => n === 0);
    const retry = await supStart(H[4], 'crash-after-start');
    expect(retry.statusCode).toBe(201);
    expect(retry.json()).toMatchObject({ id: caseId, type: 'identification' });
    expect((await t.db.em().findOneOrFail(Household, { id: H[4] })).caseSeq).toBe(1);
    expect(await t.db.em().count(Process, { householdId: H[4] })).toBe(1);
    // Answered now, for good.
    const again = await supStart(H[4], 'crash-after-start');
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json().id).toBe(caseId);
  });

  it('a start that died before Temporal started it: the retry starts the one case (the stale guard is cleared)', async () => {
    const em = t.db.em();
    em.create(OpenCase, { type: 'identification', subject: H[5], processId: `identification:${H[5]}:7`, createdAt: new Date(Date.now() - 120_000) });
    await em.flush();
    await crashedRecord(`user:${SUP}:crash-before-start`, requestHash('POST', '/api/processes', startBody(H[5])), { reserved: { processId: `identification:${H[5]}:7` } });
    const retry = await supStart(H[5], 'crash-before-start');
    expect(retry.statusCode).toBe(201);
    const id = retry.json().id;
    expect(id).not.toBe(`identification:${H[5]}:7`);
    await eventually(() => t.db.em().count(Process, { householdId: H[5] }), (n) => n === 1);
    expect((await t.db.em().find(Process, { householdId: H[5] })).map((p) => p.id)).toEqual([id]);
    expect((await t.db.em().find(OpenCase, { subject: H[5] })).map((g) => g.processId)).toEqual([id]);
  });

  it('while the lease is alive a duplicate waits for the first instance\'s answer', async () => {
    const recordId = `user:${SUP}:live-lease`;
    await crashedRecord(recordId, requestHash('POST', '/api/processes', startBody(H[7])), null, new Date(Date.now() + 60_000));
    const waiting = supStart(H[7], 'live-lease');
    await sleep(400);
    await t.db.em().nativeUpdate(IdempotencyRecord, { id: recordId }, { status: 201, body: { id: `identification:${H[7]}:1`, runId: 'r', type: 'identification' }, leaseUntil: null });
    const res = await waiting;
    expect(res.statusCode).toBe(201);
    expect(res.headers['idempotent-replayed']).toBe('true');
    expect(res.json().id).toBe(`identification:${H[7]}:1`);
    expect(await t.db.em().count(Process, { householdId: H[7] })).toBe(0);
  });

  it('a retried cancellation is answered as the first, though the case is closed now; also after a restart', async () => {
    const { id } = (await supStart(H[6], 'start-to-cancel')).json();
    const cancel = () => t.call(SUP, { method: 'POST', url: `${caseUrl(id)}/cancel`, payload: { reason: '重复登记' }, headers: { 'idempotency-key': 'cancel-once' } });
    const first = await cancel();
    expect(first.statusCode).toBe(200);
    const retry = await cancel();
    expect(retry.statusCode).toBe(200);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.json()).toEqual(first.json());
    // Without the key, the closed case refuses.
    expect((await t.call(SUP, { method: 'POST', url: `${caseUrl(id)}/cancel`, payload: { reason: '重复登记' } })).statusCode).toBe(409);
    // A restarted API (a new app on the same database) answers the retry the same way.
    const restarted = Fastify();
    await restarted.register(fangfan, { services: t.services });
    await restarted.ready();
    try {
      const res = await restarted.inject({ method: 'POST', url: `${caseUrl(id)}/cancel`, payload: { reason: '重复登记' }, headers: { 'idempotency-key': 'cancel-once', authorization: `Bearer ${await t.login(SUP)}` } });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual(first.json());
    } finally {
      await restarted.close();
    }
  });

  it('a key reused for another request is refused (422) and changes nothing', async () => {
    const res = await supStart(H[8], 'start-to-cancel');
    expect(res.statusCode).toBe(422);
    expect(res.json().error.message).toMatch(/已用于另一个请求/);
    expect(await t.db.em().count(Process, { householdId: H[8] })).toBe(0);
  });
});
