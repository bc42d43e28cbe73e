/**
 * The read model on a PostgreSQL server over TLS, by the URL alone (db/index.ts postgresTls): with
 * `sslmode=verify-full&sslrootcert=<a private CA>` the connection is encrypted and the server verified
 * (the migrations run over it); the same URL without the CA is refused, as the server's certificate is
 * unknown to the system's CAs; `sslmode=require` encrypts without verifying; no `sslmode`, no TLS.
 *
 * Runs in the 'api-postgres' project when TEST_DATABASE_URL names a server with TLS on and
 * TEST_DATABASE_CA the CA that signed its certificate (.ci/run sets up both; scripts/test.mjs says
 * when it did not run).
 */
import { describe, expect, it } from 'vitest';
import { initORM, Household, type Db } from '../db';
import { scratchDatabase } from '../db/scratch';

const SERVER = process.env.TEST_DATABASE_URL ?? '';
const CA = process.env.TEST_DATABASE_CA ?? '';

const encrypted = async (db: Db): Promise<boolean> => {
  const [row] = await db.em().getConnection().execute('select ssl from pg_stat_ssl where pid = pg_backend_pid()');
  return row.ssl === true;
};

describe('the read model on PostgreSQL over TLS', () => {
  it('verify-full with a private CA: encrypted and verified; without the CA refused; require encrypts; no sslmode: plain', async () => {
    expect(SERVER, 'TEST_DATABASE_URL').toMatch(/^postgres/);
    expect(CA, 'TEST_DATABASE_CA').not.toBe('');
    const scratch = await scratchDatabase(SERVER, 'fangfan_tls');
    const url = (params: Record<string, string>) => {
      const u = new URL(scratch.url);
      for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v);
      return u.toString();
    };
    try {
      const verified = await initORM(url({ sslmode: 'verify-full', sslrootcert: CA }));
      try {
        expect(await encrypted(verified)).toBe(true);
        expect(await verified.em().count(Household)).toBe(0); // the migrations ran over TLS
      } finally {
        await verified.close();
      }

      const withoutCa = async () => {
        const db = await initORM(url({ sslmode: 'verify-full' }), { migrate: false });
        try {
          return await encrypted(db);
        } finally {
          await db.close();
        }
      };
      await expect(withoutCa()).rejects.toThrow(/certificate/i);

      const unverified = await initORM(url({ sslmode: 'require' }), { migrate: false });
      try {
        expect(await encrypted(unverified)).toBe(true);
      } finally {
        await unverified.close();
      }

      const plain = await initORM(scratch.url, { migrate: false });
      try {
        expect(await encrypted(plain)).toBe(false);
      } finally {
        await plain.close();
      }
    } finally {
      await scratch.drop();
    }
  });
});
