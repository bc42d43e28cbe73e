/**
 * Observability: readiness and liveness on the real app and dev server; Prometheus metrics of requests
 * (by route pattern and status, errors, latency histogram) with the optional scrape token.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Fastify from 'fastify';
import { startTestApp, type TestApp } from '../helpers/app';
import { metricsPlugin } from '../../server/metrics';

describe('readiness and liveness', () => {
  let t: TestApp;
  let noWorker: TestApp;
  beforeAll(async () => {
    [t, noWorker] = await Promise.all([startTestApp(), startTestApp({ worker: false })]);
  });
  afterAll(async () => {
    await Promise.all([t?.close(), noWorker?.close()]);
  });

  it('is live without any dependency, and ready once migrated, Temporal answers and a worker polls', async () => {
    const live = await t.app.inject({ method: 'GET', url: '/api/live' });
    expect(live.statusCode).toBe(200);
    expect(live.json().status).toBe('ok');
    // The worker polls within moments of starting.
    let ready = await t.app.inject({ method: 'GET', url: '/api/ready' });
    for (let i = 0; i < 50 && ready.statusCode !== 200; i++) {
      await new Promise((r) => setTimeout(r, 200));
      ready = await t.app.inject({ method: 'GET', url: '/api/ready' });
    }
    expect(ready.json()).toEqual({ status: 'ready', database: 'ok', temporal: 'ok', worker: 'ok' });
    expect(ready.statusCode).toBe(200);
  });

  it('is not ready without a worker on the task queue (503, and says why)', async () => {
    const res = await noWorker.app.inject({ method: 'GET', url: '/api/ready' });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toEqual({ status: 'not_ready', database: 'ok', temporal: 'ok', worker: 'none' });
    expect((await noWorker.app.inject({ method: 'GET', url: '/api/live' })).statusCode).toBe(200);
  });
});

describe('GET /metrics', () => {
  const build = async (token?: string) => {
    const app = Fastify({ logger: false });
    await app.register(metricsPlugin, { token: token ?? '' });
    app.get('/api/things/:id', async (request) => ({ id: (request.params as { id: string }).id }));
    app.get('/api/boom', async () => {
      throw new Error('boom');
    });
    await app.ready();
    return app;
  };

  it('counts requests by route pattern and status, errors, and latency buckets', async () => {
    const app = await build();
    await app.inject({ method: 'GET', url: '/api/things/1' });
    await app.inject({ method: 'GET', url: '/api/things/2' });
    await app.inject({ method: 'GET', url: '/api/boom' });
    await app.inject({ method: 'GET', url: '/nowhere' });
    const res = await app.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    const text = res.body;
    expect(text).toContain('fangfan_http_requests_total{method="GET",route="/api/things/:id",status="200"} 2');
    expect(text).toContain('fangfan_http_requests_total{method="GET",route="/api/boom",status="500"} 1');
    expect(text).toContain('fangfan_http_errors_total{method="GET",route="/api/boom"} 1');
    expect(text).toMatch(/fangfan_http_requests_total\{method="GET",route="\(unmatched\)",status="404"\} 1/);
    expect(text).toContain('fangfan_http_request_duration_seconds_bucket{method="GET",route="/api/things/:id",le="+Inf"} 2');
    expect(text).toContain('fangfan_http_request_duration_seconds_count{method="GET",route="/api/things/:id"} 2');
    expect(text).not.toContain('/api/things/1'); // patterns, never raw URLs
    await app.close();
  });

  it('requires the bearer token when one is configured', async () => {
    const app = await build('s3cret');
    expect((await app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url: '/metrics', headers: { authorization: 'Bearer wrong!' } })).statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url: '/metrics', headers: { authorization: 'Bearer s3cret' } })).statusCode).toBe(200);
    await app.close();
  });
});
