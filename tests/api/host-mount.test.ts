/**
 * The app mounted by a host platform: a Fastify app with its own routes, validation, error and 404
 * handlers registers the plugin under /fangfan. The product works under the prefix (login, start a case,
 * lists, the inbox, completing a step, its OpenAPI) with its own error format and security headers;
 * the host's routes keep the host's validator, error handler and 404, and get none of the app's headers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Fastify, { type FastifyInstance, type InjectOptions } from 'fastify';
import { fileURLToPath } from 'node:url';
import { fangfan } from '../../server/app';
import { deleteVisitSchedule } from '../../server/schedules';
import { OUT_OF_POVERTY_VISIT } from '../../processes/poverty-visit/contract';
import { CAMPAIGN } from '../../processes/campaign/contract';
import { DEMO_PASSWORD, startTestServices, startTestWorker } from '../helpers/app';
import { eventually, json } from '../helpers/integrations';

const policyFile = fileURLToPath(new URL('../fixtures/policy-short.yaml', import.meta.url));
const CADRE = 'cadre.rongguang';
let services: Awaited<ReturnType<typeof startTestServices>>;
let worker: Awaited<ReturnType<typeof startTestWorker>>;
let host: FastifyInstance;

beforeAll(async () => {
  services = await startTestServices({ policyFile });
  worker = await startTestWorker(services);
  host = Fastify();
  host.setErrorHandler((error: { statusCode?: number; message: string }, _request, reply) => reply.status(error.statusCode ?? 500).send({ host: true, message: error.message }));
  host.setNotFoundHandler((request, reply) => reply.status(404).send({ host: true, missing: request.url }));
  host.get('/hello', async () => ({ hello: 'host' }));
  host.post(
    '/greet',
    { schema: { body: { type: 'object', required: ['name'], additionalProperties: false, properties: { name: { type: 'string' } } } } },
    async (request) => request.body,
  );
  host.get('/boom', async () => {
    throw new Error('host failure');
  });
  // With the console (when admin/dist is built, as `npm test` does): its index.html fallback must stay under the prefix.
  await host.register(fangfan, { prefix: '/fangfan', services, console: true });
  await host.ready();
});

afterAll(async () => {
  await host?.close();
  await worker?.stop();
  await services?.close();
  await services?.drop();
});

const tokens = new Map<string, string>();
async function call(as: string, opts: InjectOptions) {
  if (!tokens.has(as)) {
    const res = await host.inject({ method: 'POST', url: '/fangfan/api/auth/login', payload: { username: as, password: DEMO_PASSWORD } });
    expect(res.statusCode).toBe(200);
    tokens.set(as, res.json().token);
  }
  return host.inject({ ...opts, headers: { ...(opts.headers ?? {}), authorization: `Bearer ${tokens.get(as)}` } });
}

describe('the app under a host prefix', () => {
  it('logs in, starts a case, lists it, shows it in the inbox and completes its first step under /fangfan', async () => {
    const households = await call('admin', { method: 'GET', url: `/fangfan/api/households?filter=${json({ village: '荣光村' })}&range=[0,9]` });
    expect(households.statusCode).toBe(200);
    const householdId = households.json()[0].id as string;

    const started = await call(CADRE, {
      method: 'POST',
      url: '/fangfan/api/processes',
      payload: { type: 'identification', input: { householdId, channel: 'cadre_check', category: 'marginal', riskTypes: ['illness'], description: '户主患病住院' } },
    });
    expect(started.statusCode).toBe(201);
    const { id } = started.json();

    const listed = await eventually(
      () => call(CADRE, { method: 'GET', url: `/fangfan/api/processes?filter=${json({ householdId })}` }),
      (r) => r.json().some((p: { id: string }) => p.id === id),
    );
    expect(listed.statusCode).toBe(200);

    const inbox = await eventually(
      () => call(CADRE, { method: 'GET', url: `/fangfan/api/steps?filter=${json({ mine: true, status: 'open', processId: id })}` }),
      (r) => r.json().length === 1,
    );
    expect(inbox.json()[0].stepKey).toBe('homeVerification');

    const verification = { verifiedOn: '2026-11-20', coVerifierId: 'cadre.rongguang2', memberCount: 4, perCapitaIncome: 5600, guarantees: { foodClothing: 'secure', education: 'secure', medical: 'at_risk', housing: 'secure', water: 'secure' }, findings: '住院费用高' };
    const done = await call(CADRE, { method: 'POST', url: `/fangfan/api/processes/${encodeURIComponent(id)}/steps/homeVerification`, payload: verification });
    expect(done.statusCode).toBe(200);
    const detail = await call(CADRE, { method: 'GET', url: `/fangfan/api/processes/${encodeURIComponent(id)}` });
    expect(detail.json().openSteps.map((s: { key: string }) => s.key)).toEqual(['villageReview']);
  });

  it("answers the app's errors in the app's format, with its security headers", async () => {
    const anonymous = await host.inject({ method: 'GET', url: '/fangfan/api/processes' });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json().error.code).toBe('unauthenticated');
    expect(String(anonymous.headers['content-security-policy'])).toContain("default-src 'self'");

    const missing = await call(CADRE, { method: 'GET', url: '/fangfan/api/nope' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('not_found');

    const invalid = await call(CADRE, { method: 'POST', url: '/fangfan/api/processes', payload: { type: 'identification', input: {}, extra: 1 } });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json().error.code).toBe('invalid_request');

    expect((await host.inject({ method: 'GET', url: '/fangfan/api/health' })).statusCode).toBe(200);
    const docs = await host.inject({ method: 'GET', url: '/fangfan/documentation/json' });
    expect(docs.statusCode).toBe(200);
    expect(Object.keys(docs.json().paths)).toContain('/fangfan/api/processes');
  });

  it("leaves the host's routes, validator, error handler and 404 alone", async () => {
    const hello = await host.inject({ method: 'GET', url: '/hello' });
    expect(hello.json()).toEqual({ hello: 'host' });
    expect(hello.headers['content-security-policy']).toBeUndefined();
    expect(hello.headers['x-content-type-options']).toBeUndefined();

    // The host's validator (Fastify's default drops unknown fields; the app's would refuse them).
    const greeted = await host.inject({ method: 'POST', url: '/greet', payload: { name: '王', extra: 1 } });
    expect(greeted.statusCode).toBe(200);
    expect(greeted.json()).toEqual({ name: '王' });
    const refused = await host.inject({ method: 'POST', url: '/greet', payload: {} });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().host).toBe(true);

    const boom = await host.inject({ method: 'GET', url: '/boom' });
    expect(boom.statusCode).toBe(500);
    expect(boom.json()).toEqual({ host: true, message: 'host failure' });

    for (const url of ['/nope', '/api/processes', '/api/health']) {
      const res = await host.inject({ method: 'GET', url });
      expect(res.statusCode).toBe(404);
      expect(res.json()).toEqual({ host: true, missing: url });
      expect(res.headers['content-security-policy']).toBeUndefined();
    }
  });
});

describe('ensureSchedules', () => {
  it("creates the policy's schedules for the services' task queue once the host is ready", async () => {
    const scheduling = Fastify();
    await scheduling.register(fangfan, { prefix: '/fangfan', services, ensureSchedules: true });
    const { client, taskQueue } = services.temporal;
    try {
      await scheduling.ready();
      const visits = await client.schedule.getHandle(OUT_OF_POVERTY_VISIT.scheduleId).describe();
      expect(visits.action).toMatchObject({ workflowType: OUT_OF_POVERTY_VISIT.roundWorkflowType, taskQueue });
    } finally {
      await scheduling.close();
      // Both product schedules (the campaign's exists when the policy schedules one); missing ones are ignored.
      for (const id of [OUT_OF_POVERTY_VISIT.scheduleId, CAMPAIGN.scheduleId]) await deleteVisitSchedule(client, id);
    }
  });
});
