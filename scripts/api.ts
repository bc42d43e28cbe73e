/**
 * An API process alone (no worker, no dev server): the HTTP server of server/standalone.ts against an
 * existing Temporal and read model. Run several behind a load balancer to scale out (they share nothing
 * in memory that matters: sessions, idempotency records and audit live in the read model), and used by
 * the fault tests, which kill it between accepting a request and answering it.
 *
 *   TEMPORAL_ADDRESS=127.0.0.1:7233 DB_FILE=data/fangfan.sqlite PORT=3001 npx tsx scripts/api.ts
 *
 * Env: TEMPORAL_ADDRESS (required), DATABASE_URL or DB_FILE (read model; migrations run at start),
 * TASK_QUEUE or TEMPORAL_TASK_QUEUE, TEMPORAL_NAMESPACE, POLICY_FILE, HOST, PORT, LOG_LEVEL, ENSURE_SCHEDULES
 * (default true: create or bring up to date the Temporal Schedules of the 脱贫户 visits and the annual
 * campaign from the policy file — idempotent, safe with several instances starting at once),
 * WATCHDOG_INTERVAL_SECONDS (default here: off; set it on one instance to have it reset the cases stuck on a
 * non-determinism failure, server/watchdog.ts).
 * Prints "api ready on http://host:port" on stdout once it listens.
 */
import { buildServer } from '../server/standalone';
import { connectFromEnv } from './lib/connect';

async function main() {
  const { config, services } = await connectFromEnv();
  const server = await buildServer(services, { logger: process.env.LOG_LEVEL !== 'silent', ensureSchedules: process.env.ENSURE_SCHEDULES !== 'false', watchdogSeconds: process.env.WATCHDOG_INTERVAL_SECONDS ? config.watchdogSeconds : 0 });
  await server.listen({ host: config.host, port: config.port });
  const a = server.server.address();
  console.log(`api ready on http://${config.host}:${typeof a === 'object' && a ? a.port : config.port} (pid ${process.pid})`);
  const stop = async () => {
    await server.close();
    await services.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((err) => {
  console.error(`[api] ${err instanceof Error ? err.stack : err}`);
  process.exit(1);
});
