/** The calendar endpoints (the same arithmetic as the workflows' deadlines) and the health check. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Fastify from 'fastify';
import { startTestApp, type TestApp } from '../helpers/app';
import { healthRoutes } from '../../server/routes/health';
import type { Services } from '../../server/services';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ worker: false });
});
afterAll(async () => t?.close());

const get = (url: string, as: string | null = 'cadre.jixing') => t.call(as, { method: 'GET', url });

function expect400(res: Awaited<ReturnType<typeof get>>, field: string) {
  expect(res.statusCode, res.body).toBe(400);
  const body = res.json();
  expect(body.error.code).toBe('invalid_request');
  expect(body.error.details.map((d: { field: string }) => d.field)).toContain(field);
}

describe('GET /api/calendar/{year}', () => {
  it('answers the official schedule of 2025 with its source', async () => {
    const res = await get('/api/calendar/2025');
    expect(res.statusCode).toBe(200);
    const y = res.json();
    expect(y).toMatchObject({ year: 2025, official: true });
    expect(y.source).toMatch(/国务院办公厅/);
    expect(y.holidays).toContainEqual({ date: '2025-10-01', name: expect.stringMatching(/国庆/) });
    expect(y.holidays).toContainEqual({ date: '2025-01-01', name: '元旦' });
    expect(y.makeUpWorkdays).toContainEqual({ date: '2025-01-26', name: '春节' });
    expect(y.makeUpWorkdays).toContainEqual({ date: '2025-10-11', name: '国庆节' });
  });

  it('marks a year without a notice as provisional', async () => {
    const res = await get('/api/calendar/2040');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ year: 2040, official: false, makeUpWorkdays: [] });
    expect(res.json().source).toMatch(/provisional/);
  });

  it.each(['1900', '2100', '0', 'abc', '20251'])('refuses year %s (400 naming year)', async (year) => {
    expect400(await get(`/api/calendar/${year}`), 'year');
  });

  it('needs a login', async () => {
    expect((await get('/api/calendar/2025', null)).statusCode).toBe(401);
  });
});

describe('GET /api/calendar/add', () => {
  it('adds working days over the National Day break and its make-up Saturday', async () => {
    const res = await get('/api/calendar/add?from=2025-09-30&workingDays=5');
    expect(res.statusCode).toBe(200);
    // 10-01..10-08 off; 10-09, 10-10, 10-11 (make-up Saturday), 10-13, 10-14
    expect(res.json()).toEqual({ from: '2025-09-30', date: '2025-10-14', provisional: false, rule: { workingDays: 5 } });
  });

  it('workingDays=0 is the day itself when it is a working day, else the next one', async () => {
    expect((await get('/api/calendar/add?from=2025-10-01&workingDays=0')).json().date).toBe('2025-10-09');
    expect((await get('/api/calendar/add?from=2025-10-09&workingDays=0')).json().date).toBe('2025-10-09');
  });

  it('adds calendar days', async () => {
    const res = await get('/api/calendar/add?from=2025-09-30&days=10');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ from: '2025-09-30', date: '2025-10-10', provisional: false, rule: { calendarDays: 10 } });
  });

  it('says when the answer relies on a provisional year', async () => {
    const res = await get('/api/calendar/add?from=2040-01-02&workingDays=3');
    expect(res.statusCode).toBe(200);
    expect(res.json().provisional).toBe(true);
  });

  it.each([
    ['from=2025-02-30&days=1', 'from'],
    ['from=2025/01/01&days=1', 'from'],
    ['from=1800-01-01&days=1', 'from'],
    ['workingDays=3', 'from'],
    ['from=2025-01-01', 'workingDays'],
    ['from=2025-01-01&workingDays=1&days=1', 'days'],
    ['from=2025-01-01&workingDays=-1', 'workingDays'],
    ['from=2025-01-01&workingDays=3651', 'workingDays'],
    ['from=2025-01-01&workingDays=1.5', 'workingDays'],
    ['from=2025-01-01&days=x', 'days'],
    ['from=2025-01-01&days=1&weeks=1', 'querystring.weeks'],
  ])('refuses %s (400 naming %s)', async (query, field) => {
    expect400(await get(`/api/calendar/add?${query}`), field);
  });
});

describe('GET /api/health', () => {
  it('is public and reports Temporal and the database reachable', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok', temporal: 'ok', database: 'ok' });
  });
});

describe('GET /api/health when something is down', () => {
  /** The health routes alone, over stand-in services whose checks fail or hang. */
  async function healthWith(temporal: () => Promise<unknown>, database: () => Promise<unknown>) {
    const app = Fastify({ logger: false });
    const services = {
      temporal: { client: { connection: { withDeadline: (_d: number, fn: () => Promise<unknown>) => fn() }, workflowService: { getSystemInfo: temporal } } },
      db: { em: () => ({ getConnection: () => ({ execute: database }) }) },
    } as unknown as Services;
    app.decorate('services', services);
    await app.register(healthRoutes, { prefix: '/api' });
    const res = await app.inject({ method: 'GET', url: '/api/health' });
    await app.close();
    return res;
  }
  const ok = async () => ({});
  const fails = async () => {
    throw new Error('connection refused');
  };

  it('503 with temporal unavailable', async () => {
    const res = await healthWith(fails, ok);
    expect(res.statusCode).toBe(503);
    expect(res.json()).toEqual({ status: 'degraded', temporal: 'unavailable', database: 'ok' });
  });

  it('503 with the database unavailable, including a check that hangs past the 3 s timeout', async () => {
    const started = Date.now();
    const res = await healthWith(ok, () => new Promise(() => {}));
    expect(res.statusCode).toBe(503);
    expect(res.json()).toEqual({ status: 'degraded', temporal: 'ok', database: 'unavailable' });
    expect(Date.now() - started).toBeLessThan(5000);
    expect((await healthWith(fails, fails)).json()).toEqual({ status: 'degraded', temporal: 'unavailable', database: 'unavailable' });
  });
});

describe('POST /api/calendar/reload', () => {
  it('lets an admin reload the official schedule file (audited) and refuses everyone else', async () => {
    const res = await t.call('admin', { method: 'POST', url: '/api/calendar/reload' });
    expect(res.statusCode).toBe(200);
    expect(res.json().years).toContain(2026);
    expect(typeof res.json().recomputed).toBe('number');
    expect((await t.call('supervisor', { method: 'POST', url: '/api/calendar/reload' })).statusCode).toBe(403);
    expect((await t.call(null, { method: 'POST', url: '/api/calendar/reload' })).statusCode).toBe(401);
  });
});
