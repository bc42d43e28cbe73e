/**
 * The read-model database (MikroORM 6 on SQLite by default). Lists and the inbox read it; the
 * workflows write it through idempotent activities. `initORM()` returns the services; migrations run
 * at start-up.
 */
import { MikroORM } from '@mikro-orm/sqlite';
import type { EntityManager, Options } from '@mikro-orm/sqlite';
import { Migrator } from '@mikro-orm/migrations';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Household } from './entities/household.entity';
import { Village } from './entities/village.entity';
import { Session, User } from './entities/user.entity';
import { Process, Step } from './entities/process.entity';
import { AuditEntry } from './entities/audit.entity';
import { IdempotencyRecord, OpenCase } from './entities/open-case.entity';
import { HousingRecord } from './entities/housing.entity';
import { ApiKey } from './entities/api-key.entity';
import { DeadLetter } from './entities/dead-letter.entity';
import { MedicalSettlement } from './entities/medical-settlement.entity';
import { migrationsList } from './migrations';

export const entities = [Household, Village, User, Session, Process, Step, AuditEntry, OpenCase, IdempotencyRecord, HousingRecord, ApiKey, DeadLetter, MedicalSettlement];
export { Household, Village, User, Session, Process, Step, AuditEntry, OpenCase, IdempotencyRecord, HousingRecord, ApiKey, DeadLetter, MedicalSettlement };

export interface Db {
  orm: MikroORM;
  /** A fresh EntityManager for one unit of work (a request, an activity). Never the global one. */
  em(): EntityManager;
  close(): Promise<void>;
}

export function ormConfig(dbFile: string): Options {
  return {
    dbName: dbFile,
    entities,
    extensions: [Migrator],
    migrations: { migrationsList, transactional: true, allOrNothing: true },
    debug: false,
    allowGlobalContext: false,
    forceUtcTimezone: true,
    ensureDatabase: false,
  };
}

export async function initORM(dbFile: string, { migrate = true } = {}): Promise<Db> {
  if (dbFile !== ':memory:') mkdirSync(dirname(dbFile), { recursive: true });
  const orm = await MikroORM.init(ormConfig(dbFile));
  // SQLite: let concurrent writers (API, worker) wait for each other rather than fail.
  await orm.em.getConnection().execute('PRAGMA busy_timeout = 5000');
  await orm.em.getConnection().execute('PRAGMA journal_mode = WAL');
  // SQLITE_SYNCHRONOUS=NORMAL: in WAL mode commits stop waiting for fsync (safe against corruption; a power
  // cut may lose the last commits). Default FULL. See README "Measured" for what it does to ingestion.
  const sync = process.env.SQLITE_SYNCHRONOUS?.toUpperCase();
  if (sync && ['OFF', 'NORMAL', 'FULL', 'EXTRA'].includes(sync)) await orm.em.getConnection().execute(`PRAGMA synchronous = ${sync}`);
  if (migrate) await orm.getMigrator().up();
  return { orm, em: () => orm.em.fork(), close: () => orm.close(true) };
}
