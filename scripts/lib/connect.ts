/**
 * What a lone API or worker process (scripts/api.ts, scripts/worker.ts) connects to, from the environment:
 * the configuration (TASK_QUEUE as a short name for TEMPORAL_TASK_QUEUE), and the app's Services built
 * from it (server/services.ts: the read model with its migrations, the policy, the calendar, a Temporal client).
 */
import { loadConfig, type AppConfig } from '../../server/config';
import { createServices, type OpenServices } from '../../server/services';

export async function connectFromEnv(): Promise<{ config: AppConfig; address: string; services: OpenServices }> {
  const env = { ...process.env, ...(process.env.TASK_QUEUE ? { TEMPORAL_TASK_QUEUE: process.env.TASK_QUEUE } : {}) };
  const config = loadConfig(env);
  const address = config.temporal.address;
  if (!address) throw new Error('TEMPORAL_ADDRESS is required');
  const services = await createServices({ database: config.databaseUrl || config.dbFile, temporal: config.temporal, sessionHours: config.sessionHours });
  return { config, address, services };
}
