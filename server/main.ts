/**
 * `npm start`: the whole product on one machine. Starts the embedded Temporal dev server (unless
 * temporal.yaml names a cluster), opens the read model (migrations, demo data once), runs the worker
 * and the HTTP server, prints the URLs, and stops everything cleanly on Ctrl-C.
 */
import { join } from 'node:path';
import { createServer } from 'node:net';
import { loadConfig } from './config';
import { fileStoreFrom } from './files';
import { connectWorker } from './temporal';
import { createWorker } from './worker';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { jsonWorkerLogger } from './logging';
import { buildServer } from './standalone';
import { activityDeps, createServices } from './services';
import { recomputeProvisionalDeadlines } from './processes/deadlines';
import { loadPolicy } from '../policy';
import { loadDesignedExamples } from './processes/designed-examples';
import { ensureAdmin, seedDemo, seedDemoCases } from './seed';
import { ensureTemporalCli } from '../scripts/lib/temporal-cli.mjs';
import { startDevServer } from '../scripts/lib/dev-server.mjs';
import { catchUpAfterRestore } from './backup';
import { backupSettings, scheduleBackups } from './backup-schedule';

const log = (msg: string) => console.log(`[fangfan] ${msg}`);

/** `host:port` if it can be bound now, else undefined (with a warning): a busy port never stops the app. */
async function freeBindAddress(address: string): Promise<string | undefined> {
  if (!address) return undefined;
  const i = address.lastIndexOf(':');
  const host = address.slice(0, i);
  const port = Number(address.slice(i + 1));
  const free = await new Promise<boolean>((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, host, () => srv.close(() => resolve(true)));
  });
  if (!free) log(`TEMPORAL_METRICS_ADDRESS ${address} is in use: worker metrics are off`);
  return free ? address : undefined;
}

async function main() {
  // The worker's log lines at WARN and above; this process (not the SDK) decides when to stop on signals.
  // The worker's Temporal SDK metrics (task latencies, slots, polls, activity failures …) for Prometheus at
  // http://<TEMPORAL_METRICS_ADDRESS>/metrics (default 127.0.0.1:9464; empty turns it off).
  const metricsAddress = await freeBindAddress(process.env.TEMPORAL_METRICS_ADDRESS ?? '127.0.0.1:9464');
  Runtime.install({
    // One JSON object a line with workflowId/runId/activityType (server/logging.ts); LOG_FORMAT=text for the SDK's own format.
    logger: process.env.LOG_FORMAT === 'text' ? new DefaultLogger((process.env.TEMPORAL_LOG_LEVEL as 'WARN') || 'WARN') : jsonWorkerLogger((process.env.TEMPORAL_LOG_LEVEL as 'WARN') || 'WARN'),
    shutdownSignals: [],
    ...(metricsAddress ? { telemetryOptions: { metrics: { prometheus: { bindAddress: metricsAddress } } } } : {}),
  });
  if (metricsAddress) log(`worker metrics: http://${metricsAddress}/metrics`);
  const config = loadConfig();
  const policy = loadPolicy(); // fail fast on a bad policy file, before anything starts
  const stops: (() => Promise<unknown>)[] = [];

  let address = config.temporal.address;
  let webUiUrl = config.temporal.webUiUrl;
  if (!address) {
    if (!config.temporal.devServer.enabled) throw new Error('temporal.yaml: connection.address is empty and devServer.enabled is false: nothing to connect to');
    const cliPath = await ensureTemporalCli({ log });
    const d = config.temporal.devServer;
    log(`starting the Temporal dev server (data in ${join(config.dataDir, d.dbFile)}) …`);
    const dev = await startDevServer({
      cliPath,
      dbFile: join(config.dataDir, d.dbFile),
      port: d.port,
      uiPort: d.uiPort,
      namespace: config.temporal.namespace,
      searchAttributes: d.searchAttributes,
      extraArgs: Object.entries(d.sqlitePragmas).flatMap(([k, v]) => ['--sqlite-pragma', `${k}=${v}`]),
      log,
    });
    stops.push(() => dev.stop());
    address = dev.address;
    webUiUrl ||= dev.uiUrl ?? '';
  }

  const services = await createServices({ database: config.databaseUrl || config.dbFile, temporal: { ...config.temporal, address, webUiUrl }, policy, sessionHours: config.sessionHours, files: fileStoreFrom(config), uploadsDir: join(config.dataDir, 'tmp', 'uploads'), ...(config.fileLinkSecret ? { fileLinkSecret: config.fileLinkSecret } : {}) });
  stops.unshift(() => services.close());
  let freshDemo = false;
  if (config.seedDemo) {
    freshDemo = await seedDemo(services.db, { password: config.demoPassword });
    if (freshDemo) log('demo data seeded (accounts in the README, password from DEMO_PASSWORD)');
    if (freshDemo) log(`shipped designed processes published: ${(await loadDesignedExamples(services)).join(', ') || 'none'}`);
  } else {
    await ensureAdmin(services.db, config.adminPassword ?? '');
  }

  const workerConnection = await connectWorker(config.temporal, address);
  const worker = await createWorker({ connection: workerConnection, cfg: config.temporal, deps: activityDeps(services) });
  const workerRun = worker.run();
  stops.unshift(async () => {
    worker.shutdown();
    await workerRun;
    await workerConnection.close();
  });
  // After `npm run restore`: the read model catches up with the restored cases (server/backup.ts).
  if (!config.databaseUrl) await catchUpAfterRestore(services, { readModel: config.dbFile }, log);

  // The schedules of the visit rounds and the campaign are created (or updated) when the server is ready.
  // The watchdog resets cases stuck on a non-determinism failure (docs/operations.md, WATCHDOG_INTERVAL_SECONDS).
  const server = await buildServer(services, { ensureSchedules: true, watchdogSeconds: config.watchdogSeconds });
  if (freshDemo) await seedDemoCases(services).catch((err) => console.error('[fangfan] demo cases not started:', err instanceof Error ? err.message : err));
  // The calendar file may have been extended while we were down: let open provisional deadlines catch up.
  void recomputeProvisionalDeadlines(services).catch((err) => console.error('[fangfan] recomputing provisional deadlines failed:', err));
  stops.unshift(() => server.close());
  await server.listen({ host: config.host, port: config.port });
  // BACKUP_AT: the embedded default backs itself up every night (server/backup-schedule.ts).
  const backups = backupSettings(process.env, config);
  if (backups.at) {
    if (config.databaseUrl || config.temporal.address) log('BACKUP_AT is ignored: the databases are not the embedded ones (docs/operations.md, production backups)');
    else {
      const timer = scheduleBackups(config, { ...backups, at: backups.at }, log);
      stops.unshift(async () => timer.stop());
      log(`backups:      every day at ${backups.at} (Beijing time) into ${backups.dir}, keeping ${backups.keep}`);
    }
  }

  log(`app:          http://${config.host}:${config.port}/`);
  log(`API docs:     http://${config.host}:${config.port}/documentation`);
  if (webUiUrl) log(`Temporal UI:  ${webUiUrl}`);
  log(`Temporal:     ${address} (namespace ${config.temporal.namespace}, task queue ${config.temporal.taskQueue})`);
  log('press Ctrl-C to stop');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping …`);
    for (const s of stops) {
      try {
        await s();
      } catch (err) {
        console.error(err);
      }
    }
    log('stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((err) => {
  console.error(`[fangfan] could not start: ${err instanceof Error ? err.message : err}`);
  process.exit(1);
});
