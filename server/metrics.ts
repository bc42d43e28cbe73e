/**
 * Prometheus metrics of the HTTP API, in the text exposition format (no dependency): requests by
 * method, route pattern and status; errors (5xx) by route; a latency histogram by route; a few process
 * gauges. Route patterns (`/api/processes/:id`, with the prefix a host mounted the app at), never raw
 * URLs, so the series stay few and carry no personal data.
 *
 * `metricsPlugin` measures every route of the server it is registered on: the standalone server
 * (server/standalone.ts) registers it at the root, beside the app, and it serves `GET /metrics` there
 * (outside the app, so without its authentication). It answers requests from the machine itself only
 * (a loopback peer, not forwarded by a proxy) unless `METRICS_TOKEN` is set, which then requires
 * `Authorization: Bearer <token>` from anywhere, or `METRICS=open` opens it to every peer (a scraper on
 * a network the operator trusts); `METRICS=false` turns it off (docs/operations.md). The worker's
 * Temporal SDK metrics have their own endpoint (`TEMPORAL_METRICS_ADDRESS`, see server/main.ts).
 */
import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { timingSafeEqual } from 'node:crypto';

const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

const esc = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
const labels = (l: Record<string, string>) => `{${Object.entries(l).map(([k, v]) => `${k}="${esc(v)}"`).join(',')}}`;

interface Histogram {
  labels: Record<string, string>;
  counts: number[]; // per bucket (not cumulative)
  sum: number;
  count: number;
}

/** What the watchdog (server/watchdog.ts) did with a case stuck on a non-determinism failure. */
export type CaseResetOutcome = 'reset' | 'failed' | 'gave_up';
const caseResets = new Map<CaseResetOutcome, number>();

/** Count one of the watchdog's repairs (process-wide: the watchdog runs beside the HTTP server, not in a request). */
export function countCaseReset(outcome: CaseResetOutcome): void {
  caseResets.set(outcome, (caseResets.get(outcome) ?? 0) + 1);
}

export class HttpMetrics {
  private readonly requests = new Map<string, { labels: Record<string, string>; n: number }>();
  private readonly errors = new Map<string, { labels: Record<string, string>; n: number }>();
  private readonly latency = new Map<string, Histogram>();
  private inFlight = 0;

  start(): void {
    this.inFlight += 1;
  }

  observe(method: string, route: string, status: number, seconds: number): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
    const code = String(status);
    const rk = `${method} ${route} ${code}`;
    const r = this.requests.get(rk) ?? { labels: { method, route, status: code }, n: 0 };
    r.n += 1;
    this.requests.set(rk, r);
    if (status >= 500) {
      const ek = `${method} ${route}`;
      const e = this.errors.get(ek) ?? { labels: { method, route }, n: 0 };
      e.n += 1;
      this.errors.set(ek, e);
    }
    const hk = `${method} ${route}`;
    const h = this.latency.get(hk) ?? { labels: { method, route }, counts: BUCKETS.map(() => 0), sum: 0, count: 0 };
    const i = BUCKETS.findIndex((b) => seconds <= b);
    if (i >= 0) h.counts[i] += 1;
    h.sum += seconds;
    h.count += 1;
    this.latency.set(hk, h);
  }

  render(): string {
    const out: string[] = [];
    out.push('# HELP fangfan_http_requests_total HTTP requests answered, by method, route pattern and status.');
    out.push('# TYPE fangfan_http_requests_total counter');
    for (const r of this.requests.values()) out.push(`fangfan_http_requests_total${labels(r.labels)} ${r.n}`);
    out.push('# HELP fangfan_http_errors_total HTTP requests answered with a 5xx, by method and route pattern.');
    out.push('# TYPE fangfan_http_errors_total counter');
    for (const e of this.errors.values()) out.push(`fangfan_http_errors_total${labels(e.labels)} ${e.n}`);
    out.push('# HELP fangfan_http_request_duration_seconds Time to answer, by method and route pattern.');
    out.push('# TYPE fangfan_http_request_duration_seconds histogram');
    for (const h of this.latency.values()) {
      let cum = 0;
      BUCKETS.forEach((b, i) => {
        cum += h.counts[i];
        out.push(`fangfan_http_request_duration_seconds_bucket${labels({ ...h.labels, le: String(b) })} ${cum}`);
      });
      out.push(`fangfan_http_request_duration_seconds_bucket${labels({ ...h.labels, le: '+Inf' })} ${h.count}`);
      out.push(`fangfan_http_request_duration_seconds_sum${labels(h.labels)} ${h.sum}`);
      out.push(`fangfan_http_request_duration_seconds_count${labels(h.labels)} ${h.count}`);
    }
    out.push('# HELP fangfan_http_requests_in_flight Requests being answered now.');
    out.push('# TYPE fangfan_http_requests_in_flight gauge');
    out.push(`fangfan_http_requests_in_flight ${this.inFlight}`);
    out.push('# HELP fangfan_case_resets_total Cases the watchdog found stuck on a non-determinism failure, by outcome (reset; failed: the reset was refused; gave_up: a reset run failed again, an operator must look).');
    out.push('# TYPE fangfan_case_resets_total counter');
    for (const [outcome, n] of caseResets) out.push(`fangfan_case_resets_total${labels({ outcome })} ${n}`);
    const mem = process.memoryUsage();
    out.push('# HELP process_resident_memory_bytes Resident memory of the API process.');
    out.push('# TYPE process_resident_memory_bytes gauge');
    out.push(`process_resident_memory_bytes ${mem.rss}`);
    out.push('# HELP nodejs_heap_used_bytes V8 heap in use.');
    out.push('# TYPE nodejs_heap_used_bytes gauge');
    out.push(`nodejs_heap_used_bytes ${mem.heapUsed}`);
    out.push('# HELP process_uptime_seconds Seconds since the process started.');
    out.push('# TYPE process_uptime_seconds gauge');
    out.push(`process_uptime_seconds ${process.uptime()}`);
    return `${out.join('\n')}\n`;
  }
}

declare module 'fastify' {
  interface FastifyRequest {
    metricsStart?: bigint;
  }
}

export interface MetricsOptions {
  /** Required bearer token for GET /metrics (default: METRICS_TOKEN; empty: see `open`). */
  token?: string;
  /** Without a token: answer every peer (default: METRICS=open), not only loopback ones. */
  open?: boolean;
  metrics?: HttpMetrics;
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;

/**
 * The peer is this machine and no proxy forwarded the request: the socket's address, not `request.ip`
 * (which trusts X-Forwarded-For under TRUST_PROXY), and a proxy on this machine says whom it forwards.
 */
function fromThisMachine(request: FastifyRequest): boolean {
  if (request.headers['x-forwarded-for'] !== undefined || request.headers.forwarded !== undefined) return false;
  return LOOPBACK.test(request.socket.remoteAddress ?? '');
}

async function metrics(app: FastifyInstance, opts: MetricsOptions) {
  const m = opts.metrics ?? new HttpMetrics();
  const token = opts.token ?? process.env.METRICS_TOKEN ?? '';
  const open = opts.open ?? process.env.METRICS === 'open';
  app.addHook('onRequest', async (request) => {
    request.metricsStart = process.hrtime.bigint();
    m.start();
  });
  app.addHook('onResponse', async (request, reply) => {
    if (request.metricsStart === undefined) return;
    const seconds = Number(process.hrtime.bigint() - request.metricsStart) / 1e9;
    // The route pattern; requests no route matched are counted under one label.
    const route = request.routeOptions?.url ?? '(unmatched)';
    m.observe(request.method, route, reply.statusCode, seconds);
  });
  app.get('/metrics', { schema: { hide: true } }, async (request, reply) => {
    if (token) {
      const given = Buffer.from(String(request.headers.authorization ?? ''));
      const want = Buffer.from(`Bearer ${token}`);
      if (given.length !== want.length || !timingSafeEqual(given, want)) return reply.status(401).send({ error: { code: 'unauthorized', message: 'metrics token required', details: [] } });
    } else if (!open && !fromThisMachine(request)) {
      return reply.status(403).send({ error: { code: 'forbidden', message: 'metrics answer this machine only (set METRICS_TOKEN, or METRICS=open)', details: [] } });
    }
    return reply.type('text/plain; version=0.0.4; charset=utf-8').send(m.render());
  });
}

export const metricsPlugin = fp(metrics, { name: 'fangfan-metrics', fastify: '5.x' });
