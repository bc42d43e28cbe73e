/**
 * The read-model database (MikroORM 6): SQLite by default, PostgreSQL when given a `postgres://` or
 * `postgresql://` URL (DATABASE_URL). Lists and the inbox read it; the workflows write it through
 * idempotent activities. `initORM()` returns the services; the same checked-in migrations run at
 * start-up on both.
 */
import { MikroORM, RequestContext, type Options } from '@mikro-orm/core';
import type { AbstractSqlDriver, SqlEntityManager } from '@mikro-orm/knex';
import { SqliteDriver } from '@mikro-orm/sqlite';
import { PostgreSqlDriver } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import { mkdirSync, readFileSync } from 'node:fs';
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
import { LoginThrottle } from './entities/login-throttle.entity';
import { PolicyVersion } from './entities/policy-version.entity';
import { OfficialCalendarYear } from './entities/official-calendar-year.entity';
import { EvidenceFile } from './entities/evidence-file.entity';
import { CaseCounter, CaseNumber } from './entities/case-number.entity';
import { HouseholdMember } from './entities/household-member.entity';
import { ContactCadreChange } from './entities/contact-cadre-change.entity';
import { ProcessDefinition } from './entities/process-definition.entity';
import { AccountabilityRecord } from './entities/accountability-record.entity';
import { migrationsList } from './migrations';

export const entities = [Household, Village, User, Session, Process, Step, AuditEntry, OpenCase, IdempotencyRecord, HousingRecord, ApiKey, DeadLetter, MedicalSettlement, LoginThrottle, PolicyVersion, OfficialCalendarYear, EvidenceFile, CaseNumber, CaseCounter, HouseholdMember, ContactCadreChange, ProcessDefinition, AccountabilityRecord];
export { Household, Village, User, Session, Process, Step, AuditEntry, OpenCase, IdempotencyRecord, HousingRecord, ApiKey, DeadLetter, MedicalSettlement, LoginThrottle, PolicyVersion, OfficialCalendarYear, EvidenceFile, CaseNumber, CaseCounter, HouseholdMember, ContactCadreChange, ProcessDefinition, AccountabilityRecord };

/** The EntityManager of either database (the SQL one MikroORM gives both drivers). */
export type EntityManager = SqlEntityManager;

export interface Db {
  orm: MikroORM<AbstractSqlDriver>;
  /** Which database this is: a few statements differ (SQLite's PRAGMAs and write lock). */
  kind: 'sqlite' | 'postgresql';
  /**
   * The EntityManager of the unit of work under way: within an HTTP request, the request's own fork (one
   * per request, entered by the app plugin with MikroORM's RequestContext, server/app.ts); elsewhere (an
   * activity, a script, a batch serving many requests) a fresh fork. Never the global one.
   */
  em(): EntityManager;
  close(): Promise<void>;
}

/** A PostgreSQL connection URL (anything else is a SQLite file name, or ':memory:'). */
export const isPostgresUrl = (database: string) => /^postgres(ql)?:\/\//i.test(database);

/** The URL with its password hidden, for messages. */
export const redactDatabaseUrl = (database: string) => database.replace(/^(postgres(?:ql)?:\/\/[^:/@]*:)[^@]*@/i, '$1*****@');

/**
 * The TLS options of a PostgreSQL URL, with libpq's parameter names: `sslmode` `require` (encrypted, the
 * server not verified), `verify-ca` (its certificate signed by a trusted CA), `verify-full` (and issued
 * for the host connected to); `sslrootcert=/path/ca.pem` trusts that CA (a private one) instead of the
 * system's. Anything else (`disable`, `prefer`, none): no TLS.
 */
export function postgresTls(url: URL): false | { rejectUnauthorized: boolean; ca?: string; host?: string; checkServerIdentity?: () => undefined } {
  const mode = url.searchParams.get('sslmode') ?? '';
  const root = url.searchParams.get('sslrootcert');
  const ca = root ? { ca: readFileSync(root, 'utf8') } : {};
  if (mode === 'require' || mode === 'no-verify') return { rejectUnauthorized: false };
  if (mode === 'verify-ca') return { rejectUnauthorized: true, ...ca, checkServerIdentity: () => undefined };
  // The host name to check the certificate against: pg passes it to TLS only for DNS names, so a server
  // reached by IP address would be checked against "localhost" (and refused) without it.
  if (mode === 'verify-full') return { rejectUnauthorized: true, ...ca, host: url.hostname.replace(/^\[(.*)\]$/, '$1') };
  return false;
}

/**
 * MikroORM options for `database`: a SQLite file, or `postgresql://user:password@host:port/db`
 * (port 5432 if left out; TLS by `sslmode` and `sslrootcert`, see postgresTls). The tables live in the
 * role's default schema (the migrations create them unqualified).
 */
export function ormConfig(database: string): Options<AbstractSqlDriver> {
  const common = {
    entities,
    extensions: [Migrator],
    migrations: { migrationsList, transactional: true, allOrNothing: true },
    debug: false,
    allowGlobalContext: false,
    forceUtcTimezone: true,
    ensureDatabase: false,
  };
  if (!isPostgresUrl(database)) return { ...common, driver: SqliteDriver, dbName: database };
  const url = new URL(database);
  const ssl = postgresTls(url);
  return {
    ...common,
    driver: PostgreSqlDriver,
    clientUrl: database,
    port: Number(url.port || 5432), // MikroORM reads a missing port as 0
    ...(ssl ? { driverOptions: { connection: { ssl } } } : {}),
  };
}

export class NewerDatabaseError extends Error {}

/**
 * Refuses a read model written by a newer release: its migrations table lists a migration this code does
 * not know. Migrations only run forward; an older release must not write a schema it does not understand.
 */
export async function assertKnownMigrations(orm: MikroORM<AbstractSqlDriver>, database: string, trx?: unknown): Promise<void> {
  const conn = orm.em.getConnection();
  const postgres = isPostgresUrl(database);
  // Read without MikroORM's migrator, which would create its table outside the migrations' lock.
  const exists = postgres
    ? (await conn.execute<{ t: string | null }[]>("select to_regclass('mikro_orm_migrations')::text as t", [], 'all', trx as never))[0]?.t
    : (await conn.execute<{ name: string }[]>("select name from sqlite_master where type = 'table' and name = 'mikro_orm_migrations'", [], 'all')).length;
  if (!exists) return; // a new database
  const applied = await conn.execute<{ name: string }[]>('select name from mikro_orm_migrations', [], 'all', trx as never);
  const known = new Set(migrationsList.map((m) => m.name));
  const unknown = applied.map((m) => m.name.replace(/\.[jt]s$/, '')).filter((n) => !known.has(n));
  if (unknown.length) {
    throw new NewerDatabaseError(
      `The read model ${postgres ? redactDatabaseUrl(database) : database} was written by a newer release of fangfan ` +
        `(migrations this release does not know: ${unknown.join(', ')}; the newest it knows: ${migrationsList.at(-1)!.name}). ` +
        'Start the newer release again, or restore a backup taken before the upgrade (docs/operations.md, “Upgrades”).',
    );
  }
}

/** Any number, the same in every process: the lock that keeps two instances from migrating at once. */
const MIGRATION_LOCK = 20261129;

export async function initORM(database: string, { migrate = true } = {}): Promise<Db> {
  const kind = isPostgresUrl(database) ? 'postgresql' : 'sqlite';
  if (kind === 'sqlite' && database !== ':memory:') mkdirSync(dirname(database), { recursive: true });
  const orm = await MikroORM.init<AbstractSqlDriver>(ormConfig(database));
  const conn = orm.em.getConnection();
  if (kind === 'sqlite' && migrate) {
    try {
      await assertKnownMigrations(orm, database);
    } catch (err) {
      await orm.close(true);
      throw err;
    }
  }
  if (kind === 'sqlite') {
    // SQLite: let concurrent writers (API, worker) wait for each other rather than fail.
    await conn.execute('PRAGMA busy_timeout = 5000');
    await conn.execute('PRAGMA journal_mode = WAL');
    // SQLITE_SYNCHRONOUS=NORMAL: in WAL mode commits stop waiting for fsync (safe against corruption; a power
    // cut may lose the last commits). Default FULL. See docs/benchmarks.md for what it does to ingestion.
    const sync = process.env.SQLITE_SYNCHRONOUS?.toUpperCase();
    if (sync && ['OFF', 'NORMAL', 'FULL', 'EXTRA'].includes(sync)) await conn.execute(`PRAGMA synchronous = ${sync}`);
    if (migrate) await orm.getMigrator().up();
  } else if (migrate) {
    // PostgreSQL: instances starting together (API, workers) migrate one after the other; the lock is
    // held until the migrations' transaction ends, and the next instance then finds nothing to do.
    try {
      await conn.transactional(async (trx) => {
        await conn.execute('select pg_advisory_xact_lock(?)', [MIGRATION_LOCK], 'all', trx);
        await assertKnownMigrations(orm, database, trx);
        await orm.getMigrator().up({ transaction: trx });
      });
    } catch (err) {
      await orm.close(true);
      throw err;
    }
  }
  const em = () => {
    const request = RequestContext.getEntityManager();
    // Only a fork of this database's ORM: a process may hold several (tests, the reprojection check).
    return request?.config === orm.config ? (request as EntityManager) : orm.em.fork();
  };
  return { orm, kind, em, close: () => orm.close(true) };
}
