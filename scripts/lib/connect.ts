/**
 * What a lone API or worker process (scripts/api.ts, scripts/worker.ts) connects to, from the environment:
 * the configuration (TASK_QUEUE as a short name for TEMPORAL_TASK_QUEUE), the read model (migrations run),
 * the policy, the calendar and a Temporal client, as the app's Services.
 */
import { loadConfig, type AppConfig } from '../../server/config';
import { connectClient } from '../../server/temporal';
import type { Services } from '../../server/services';
import { initORM } from '../../db';
import { loadCalendar } from '../../calendar';
import { loadPolicy } from '../../policy';

export async function connectFromEnv(): Promise<{ config: AppConfig; address: string; services: Services }> {
  const env = { ...process.env, ...(process.env.TASK_QUEUE ? { TEMPORAL_TASK_QUEUE: process.env.TASK_QUEUE } : {}) };
  const config = loadConfig(env);
  const address = config.temporal.address;
  if (!address) throw new Error('TEMPORAL_ADDRESS is required');
  const db = await initORM(config.databaseUrl || config.dbFile);
  const policy = loadPolicy();
  const calendar = loadCalendar();
  const client = await connectClient(config.temporal, address);
  const services: Services = {
    db,
    temporal: { client, taskQueue: config.temporal.taskQueue, namespace: config.temporal.namespace, webUiUrl: config.temporal.webUiUrl },
    policy: () => policy,
    calendar: () => calendar,
    sessionHours: config.sessionHours,
  };
  return { config, address, services };
}
