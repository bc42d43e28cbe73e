/**
 * A throw-away PostgreSQL database for tests and benchmarks: created on the server of `serverUrl` (a role
 * that may create databases) with the C collation (text sorts by code point, as on SQLite), dropped by
 * `drop()`. Returns its connection URL for `initORM`.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';

export async function scratchDatabase(serverUrl: string, prefix: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${randomUUID().replace(/-/g, '')}`;
  const admin = async (sql: string) => {
    const c = new pg.Client({ connectionString: serverUrl });
    await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  };
  await admin(`create database ${name} template template0 encoding 'UTF8' lc_collate 'C' lc_ctype 'C'`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin(`drop database if exists ${name} with (force)`) };
}
