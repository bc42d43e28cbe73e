/**
 * What the routes need, handed to the app plugin by whoever hosts it (standalone server or a platform),
 * and the one place that builds it: `createServices()` opens the read model, connects to Temporal and
 * loads the policy versions (seeding version 1 from the policy file) and the calendar. Every process (server/main.ts, scripts/*.ts, tests, benches) starts
 * here, so that they all run with the same wiring.
 */
import type { Client } from '@temporalio/client';
import { initORM, type Db } from '../db';
import { loadPolicy, type Policy } from '../policy';
import type { WorkingCalendar } from '../calendar';
import type { ActivityDeps } from '../activities';
import type { TemporalConfig } from './config';
import type { Limits } from './security';
import { connectClient } from './temporal';
import { recomputeProvisionalDeadlines } from './processes/deadlines';
import { alertRaiser, caseStarter } from './processes/follow-up';
import { PolicyVersions } from './policy-versions';
import { loadDesigned } from '../processes/designed/registry';
import { CalendarYears } from './calendar-years';
import { defaultFileStore, defaultUploadsDir, type FileStore } from './files';
import { uploadParts, type UploadParts } from './files/upload-parts';

export interface Services {
  db: Db;
  temporal: {
    client: Client;
    taskQueue: string;
    namespace: string;
    /** Base URL of the Temporal Web UI, for links to a workflow (optional). */
    webUiUrl?: string;
  };
  /** The policy in force now (server/policy-versions.ts): what a case starting now snapshots. */
  policy: () => Policy;
  /** The policy's versions: the store behind `policy()`, and drafting and activating versions. */
  policyVersions: PolicyVersions;
  calendar: () => WorkingCalendar;
  /** The calendar file with the years entered in the console: reloading, entering a year (each recomputes provisional deadlines). Absent when the host fixes the calendar. */
  calendarYears?: CalendarYears;
  sessionHours: number;
  /** Abuse limits (rate limits, body size); defaults in server/security.ts DEFAULT_LIMITS. */
  limits?: Partial<Limits>;
  /** Where evidence uploads live (server/files). */
  files: FileStore;
  /** Resumable uploads while they arrive (server/files/upload-parts.ts), under DATA_DIR/tmp/uploads. */
  uploadParts: UploadParts;
  /** The key of signed file links (FILE_LINK_SECRET, server/files/links.ts); absent: a random key per process. */
  fileLinkSecret?: string;
}

export interface ServicesConfig {
  /** The read model: a SQLite file (or ':memory:') or a `postgresql://` URL; its migrations run. */
  database: string;
  /** Where Temporal is (its `address`), and the namespace and task queue of the cases; `client` to use one already connected. */
  temporal: TemporalConfig & { client?: Client };
  /** The values of version 1 when the database has no policy version yet. Default: the policy file of POLICY_FILE, or the shipped one. */
  policy?: Policy;
  /** The clock the policy in force is chosen by (its Asia/Shanghai date). Default: the system clock. */
  clock?: () => Date;
  /** A calendar that stays as given (workflow tests moving across years); default: the calendar file and the entered years, editable. */
  calendar?: () => WorkingCalendar;
  sessionHours: number;
  limits?: Partial<Limits>;
  /** The evidence store (server/files fileStoreFrom); default: local disk beside a SQLite read model, else in a temporary folder. */
  files?: FileStore;
  /** The folder of resumable uploads' parts; default: beside a SQLite read model, else in a temporary folder. */
  uploadsDir?: string;
  fileLinkSecret?: string;
}

/** Services with what they opened: `close()` lets go of the read model and the Temporal connection made here. */
export interface OpenServices extends Services {
  close(): Promise<void>;
}

export async function createServices(config: ServicesConfig): Promise<OpenServices> {
  const seed = config.policy ?? loadPolicy();
  const db = await initORM(config.database);
  const policyVersions = new PolicyVersions(db, seed, config.clock);
  let client: Client;
  try {
    await policyVersions.init();
    await loadDesigned(db.em());
    client = config.temporal.client ?? (await connectClient(config.temporal));
  } catch (err) {
    await db.close();
    throw err;
  }
  const calendarYears = config.calendar ? undefined : new CalendarYears(db, () => recomputeProvisionalDeadlines(services));
  try {
    await calendarYears?.load();
  } catch (err) {
    if (!config.temporal.client) await client.connection.close();
    await db.close();
    throw err;
  }
  const services: OpenServices = {
    db,
    temporal: { client, taskQueue: config.temporal.taskQueue, namespace: config.temporal.namespace, ...(config.temporal.webUiUrl ? { webUiUrl: config.temporal.webUiUrl } : {}) },
    policy: () => policyVersions.inForce(),
    policyVersions,
    ...(config.calendar ? { calendar: config.calendar } : { calendar: () => calendarYears!.calendar(), calendarYears: calendarYears! }),
    sessionHours: config.sessionHours,
    files: config.files ?? defaultFileStore(config.database),
    uploadParts: uploadParts(config.uploadsDir ?? defaultUploadsDir(config.database)),
    ...(config.fileLinkSecret ? { fileLinkSecret: config.fileLinkSecret } : {}),
    ...(config.limits ? { limits: config.limits } : {}),
    async close() {
      if (!config.temporal.client) await client.connection.close();
      await db.close();
    },
  };
  return services;
}

/** What the worker's activities need from the services: follow-up cases start through the API's own start logic. */
export function activityDeps(services: Services): ActivityDeps {
  return { db: services.db, calendar: services.calendar, ...(services.calendarYears ? { syncCalendar: () => services.calendarYears!.sync() } : {}), startCase: caseStarter(() => services), raiseAlert: alertRaiser(() => services) };
}
