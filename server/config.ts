/**
 * Runtime configuration: `temporal.yaml` (or TEMPORAL_CONFIG) for Temporal, environment variables for
 * the rest. Environment variables win. Validated at load with errors that name the key.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isAbsolute, join, resolve } from 'node:path';
import { parse } from 'yaml';

export interface TemporalConfig {
  address: string; // '' → embedded dev server
  namespace: string;
  taskQueue: string;
  tls: { enabled: boolean; serverName: string; serverRootCACertFile: string; clientCertFile: string; clientKeyFile: string };
  apiKey?: string;
  webUiUrl: string;
  devServer: { enabled: boolean; dbFile: string; ip: string; port: number; uiPort: number; searchAttributes: Record<string, string>; sqlitePragmas: Record<string, string> };
  worker: { maxConcurrentActivityTaskExecutions: number; maxConcurrentWorkflowTaskExecutions: number; maxCachedWorkflows: number };
}

export interface AppConfig {
  dataDir: string;
  dbFile: string;
  /** DATABASE_URL: the read model on PostgreSQL (`postgresql://user:password@host:5432/db`); '' → SQLite in `dbFile`. */
  databaseUrl: string;
  host: string;
  port: number;
  seedDemo: boolean;
  demoPassword: string;
  adminPassword?: string;
  sessionHours: number;
  /** FILE_STORE_URL: evidence in an S3-compatible store (`s3://ACCESS:SECRET@host:port/bucket[/prefix]?region=…&tls=…`); '' → local disk under dataDir/files. */
  fileStoreUrl: string;
  /** FILE_LINK_SECRET: the key of signed file links, the same on every API instance; '' → a random key per process. */
  fileLinkSecret: string;
  /** Seconds between the watchdog's sweeps for cases stuck on a non-determinism failure (server/watchdog.ts); 0 turns it off. */
  watchdogSeconds: number;
  temporal: TemporalConfig;
}

export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

export class ConfigError extends Error {}

function bool(v: string | undefined, fallback: boolean, key: string): boolean {
  if (v === undefined || v === '') return fallback;
  if (/^(1|true|yes|on)$/i.test(v)) return true;
  if (/^(0|false|no|off)$/i.test(v)) return false;
  throw new ConfigError(`${key}: expected true or false, got "${v}"`);
}
function int(v: unknown, fallback: number, key: string): number {
  if (v === undefined || v === '' || v === null) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535 * 1000) throw new ConfigError(`${key}: expected a whole number, got "${v}"`);
  return n;
}

export function loadTemporalConfig(env = process.env): TemporalConfig {
  const file = env.TEMPORAL_CONFIG || join(REPO_ROOT, 'temporal.yaml');
  let y: any = {};
  try {
    y = parse(readFileSync(file, 'utf8')) ?? {};
  } catch (err) {
    throw new ConfigError(`${file}: ${(err as Error).message}`);
  }
  const c = y.connection ?? {};
  const tls = c.tls ?? {};
  const d = y.devServer ?? {};
  const w = y.worker ?? {};
  const apiKeyEnv: string = c.apiKeyEnv || 'TEMPORAL_API_KEY';
  return {
    address: env.TEMPORAL_ADDRESS ?? c.address ?? '',
    namespace: env.TEMPORAL_NAMESPACE || c.namespace || 'default',
    taskQueue: env.TEMPORAL_TASK_QUEUE || c.taskQueue || 'fangfan',
    tls: {
      enabled: bool(env.TEMPORAL_TLS, !!tls.enabled, 'TEMPORAL_TLS / connection.tls.enabled'),
      serverName: env.TEMPORAL_TLS_SERVER_NAME || tls.serverName || '',
      serverRootCACertFile: env.TEMPORAL_TLS_CA_FILE || tls.serverRootCACertFile || '',
      clientCertFile: env.TEMPORAL_TLS_CERT_FILE || tls.clientCertFile || '',
      clientKeyFile: env.TEMPORAL_TLS_KEY_FILE || tls.clientKeyFile || '',
    },
    apiKey: env[apiKeyEnv] || undefined,
    webUiUrl: env.TEMPORAL_WEB_UI_URL || c.webUiUrl || '',
    devServer: {
      enabled: bool(env.TEMPORAL_DEV_SERVER, d.enabled !== false, 'TEMPORAL_DEV_SERVER / devServer.enabled'),
      dbFile: d.dbFile || 'temporal.sqlite',
      ip: d.ip || '127.0.0.1',
      port: int(env.TEMPORAL_DEV_PORT ?? d.port, 7233, 'TEMPORAL_DEV_PORT / devServer.port'),
      uiPort: int(env.TEMPORAL_DEV_UI_PORT ?? d.uiPort, 8233, 'TEMPORAL_DEV_UI_PORT / devServer.uiPort'),
      searchAttributes: d.searchAttributes ?? {},
      sqlitePragmas: sqlitePragmas(env.TEMPORAL_DEV_SQLITE_PRAGMAS, d.sqlitePragmas),
    },
    worker: {
      maxConcurrentActivityTaskExecutions: int(w.maxConcurrentActivityTaskExecutions, 20, 'worker.maxConcurrentActivityTaskExecutions'),
      maxConcurrentWorkflowTaskExecutions: int(w.maxConcurrentWorkflowTaskExecutions, 20, 'worker.maxConcurrentWorkflowTaskExecutions'),
      maxCachedWorkflows: int(env.TEMPORAL_MAX_CACHED_WORKFLOWS ?? w.maxCachedWorkflows, 1000, 'TEMPORAL_MAX_CACHED_WORKFLOWS / worker.maxCachedWorkflows'),
    },
  };
}

/** The dev server's SQLite settings (`--sqlite-pragma`): `journal_mode=wal,synchronous=normal` or a map. */
function sqlitePragmas(fromEnv: string | undefined, fromFile: unknown): Record<string, string> {
  const where = 'TEMPORAL_DEV_SQLITE_PRAGMAS / devServer.sqlitePragmas';
  const pairs: [string, string][] =
    fromEnv !== undefined
      ? fromEnv.split(',').filter((x) => x.trim()).map((x) => {
          const [k, v] = x.split('=');
          return [k?.trim() ?? '', v?.trim() ?? ''];
        })
      : Object.entries((fromFile ?? {}) as Record<string, unknown>).map(([k, v]) => [k, String(v)]);
  const allowed: Record<string, RegExp> = { journal_mode: /^(delete|truncate|persist|wal)$/i, synchronous: /^(off|normal|full|extra|[0-3])$/i, busy_timeout: /^\d+$/ };
  for (const [k, v] of pairs) {
    if (!allowed[k]) throw new ConfigError(`${where}: unknown pragma "${k}" (one of ${Object.keys(allowed).join(', ')})`);
    if (!allowed[k].test(v)) throw new ConfigError(`${where}: ${k}=${v} is not a valid value`);
  }
  return Object.fromEntries(pairs);
}

function databaseUrl(v: string | undefined): string {
  const url = (v ?? '').trim();
  if (url && !/^postgres(ql)?:\/\/[^/]+\/[^/?]+/i.test(url)) throw new ConfigError('DATABASE_URL: expected postgresql://user:password@host:port/database, or empty for SQLite (DB_FILE)');
  return url;
}

export function loadConfig(env = process.env): AppConfig {
  const dataDir = resolve(REPO_ROOT, env.DATA_DIR || 'data');
  const dbFile = env.DB_FILE ? (isAbsolute(env.DB_FILE) ? env.DB_FILE : resolve(dataDir, env.DB_FILE)) : join(dataDir, 'fangfan.sqlite');
  return {
    dataDir,
    dbFile,
    databaseUrl: databaseUrl(env.DATABASE_URL),
    host: env.HOST || '127.0.0.1',
    port: int(env.PORT, 3000, 'PORT'),
    seedDemo: bool(env.SEED_DEMO, true, 'SEED_DEMO'),
    demoPassword: env.DEMO_PASSWORD || 'demo1234',
    adminPassword: env.ADMIN_PASSWORD || undefined,
    sessionHours: int(env.SESSION_HOURS, 12, 'SESSION_HOURS'),
    fileStoreUrl: (env.FILE_STORE_URL ?? '').trim(),
    fileLinkSecret: env.FILE_LINK_SECRET ?? '',
    watchdogSeconds: int(env.WATCHDOG_INTERVAL_SECONDS, 60, 'WATCHDOG_INTERVAL_SECONDS'),
    temporal: loadTemporalConfig(env),
  };
}
