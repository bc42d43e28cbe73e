/**
 * A worker process alone (no HTTP server, no dev server): runs the workflows and activities of
 * server/worker.ts against an existing Temporal and read model. Used by the fault tests (which kill it
 * with SIGKILL and start it again) and to scale workers out.
 *
 *   TEMPORAL_ADDRESS=127.0.0.1:7233 DB_FILE=data/fangfan.sqlite TASK_QUEUE=fangfan npx tsx scripts/worker.ts
 *
 * Env: TEMPORAL_ADDRESS (required), DATABASE_URL or DB_FILE (read model), TASK_QUEUE or TEMPORAL_TASK_QUEUE,
 * TEMPORAL_NAMESPACE, POLICY_FILE, WORKFLOW_BUNDLE (a file: reused if it exists, else written — saves the
 * seconds of webpack on every restart), TEMPORAL_METRICS_ADDRESS (host:port of the SDK's Prometheus endpoint, e.g. 0.0.0.0:9464; unset = off).
 * Prints "worker ready" on stdout once it polls.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { jsonWorkerLogger } from '../server/logging';
import { connectWorker } from '../server/temporal';
import { createWorker, workflowBundle } from '../server/worker';
import { activityDeps } from '../server/services';
import { connectFromEnv } from './lib/connect';

async function main() {
  const metricsAddress = process.env.TEMPORAL_METRICS_ADDRESS;
  Runtime.install({
    // One JSON object a line with workflowId/runId/activityType (server/logging.ts); LOG_FORMAT=text for the SDK's own format.
    logger: process.env.LOG_FORMAT === 'text' ? new DefaultLogger((process.env.TEMPORAL_LOG_LEVEL as 'WARN') || 'WARN') : jsonWorkerLogger((process.env.TEMPORAL_LOG_LEVEL as 'WARN') || 'WARN'),
    shutdownSignals: ['SIGINT', 'SIGTERM'],
    ...(metricsAddress ? { telemetryOptions: { metrics: { prometheus: { bindAddress: metricsAddress } } } } : {}),
  });
  const { config, address, services } = await connectFromEnv();

  const bundlePath = process.env.WORKFLOW_BUNDLE;
  let bundle: { codePath: string } | undefined;
  if (bundlePath) {
    if (!existsSync(bundlePath)) writeFileSync(bundlePath, (await workflowBundle()).code);
    bundle = { codePath: bundlePath };
  }
  const worker = await createWorker({
    connection: await connectWorker(config.temporal, address),
    cfg: config.temporal,
    deps: activityDeps(services),
    bundle,
  });
  const running = worker.run();
  console.log(`worker ready (pid ${process.pid}, task queue ${config.temporal.taskQueue})`);
  await running;
  await services.close();
}

main().catch((err) => {
  console.error(`[worker] ${err instanceof Error ? err.stack : err}`);
  process.exit(1);
});
