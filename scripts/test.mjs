#!/usr/bin/env node
// `npm test`: installs node_modules if missing, makes sure the real Temporal
// servers and the S3-compatible server are there (their first-time build/download
// prints its own message before vitest starts), then runs `vitest run` with any extra arguments,
// e.g. `npm test -- tests/tooling.test.ts`. Exits with vitest's exit code.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureTemporalCli } from './lib/temporal-cli.mjs';
import { ensureTestServer } from './lib/test-server.mjs';
import { ensureS3Server } from './lib/s3-server.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';

function run(cmd, args) {
  console.log(`$ ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.error) throw r.error;
  if (r.status !== 0) {
    console.error(`${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal})`);
    process.exit(r.status || 1);
  }
}

if (!fs.existsSync(path.join(root, 'node_modules'))) {
  if (fs.existsSync(path.join(root, 'package-lock.json'))) run(npm, ['ci']);
  else run(npm, ['install']);
}

// The admin console's bundle: the browser tests and the security-header test load it.
if (fs.existsSync(path.join(root, 'admin', 'vite.config.ts'))) {
  const index = path.join(root, 'admin', 'dist', 'index.html');
  const newest = (dir) =>
    fs.readdirSync(dir, { withFileTypes: true }).reduce((t, e) => Math.max(t, e.isDirectory() ? newest(path.join(dir, e.name)) : fs.statSync(path.join(dir, e.name)).mtimeMs), 0);
  const stale = !fs.existsSync(index) || newest(path.join(root, 'admin', 'src')) > fs.statSync(index).mtimeMs;
  if (stale || process.env.REBUILD_ADMIN === 'true') run(npm, ['run', 'build:admin']);
}

try {
  const cli = await ensureTemporalCli();
  const testServer = await ensureTestServer();
  const s3Server = await ensureS3Server(); // the file-store tests' S3-compatible server (tests/files/s3-server.ts)
  console.log(`Temporal CLI: ${cli}\nTemporal time-skipping test server: ${testServer}\nS3-compatible server: ${s3Server}`);
} catch (e) {
  console.error(`\n${e instanceof Error ? e.message : e}`);
  process.exit(1);
}

// The 'api-postgres' project (vitest.config.ts) runs the API tests again with the read model on the
// PostgreSQL server of TEST_DATABASE_URL (a role allowed to create databases; .ci/run sets one up).
// Without it that project is not run, and we say so at the start and at the end.
const pgUrl = process.env.TEST_DATABASE_URL || '';
let pgNote = '';
if (pgUrl) {
  const shown = pgUrl.replace(/\/\/([^:/@]*):[^@]*@/, '//$1:*****@');
  try {
    const { default: pg } = await import('pg');
    const c = new pg.Client({ connectionString: pgUrl, connectionTimeoutMillis: 10_000 });
    await c.connect();
    const { rows } = await c.query('show server_version');
    await c.end();
    pgNote = `PostgreSQL ${rows[0].server_version} at ${shown}: the API tests also run on it (project 'api-postgres').`;
    pgNote += process.env.TEST_DATABASE_CA
      ? ` TLS to it with the CA ${process.env.TEST_DATABASE_CA} (tests/postgres-tls.test.ts).`
      : ' TLS to PostgreSQL: NOT RUN (tests/postgres-tls.test.ts needs TEST_DATABASE_CA, the CA of a server with TLS on).';
  } catch (e) {
    console.error(`TEST_DATABASE_URL is set (${shown}) but PostgreSQL cannot be reached: ${e instanceof Error ? e.message : e}`);
    process.exit(1);
  }
} else {
  pgNote =
    "PostgreSQL: NOT RUN. The API tests ran on SQLite only; the 'api-postgres' project runs them on PostgreSQL too when " +
    'TEST_DATABASE_URL=postgresql://user:password@host:port/postgres is set (a role that may create databases).';
}
console.log(pgNote);

// Unless the caller chose reporters, also write a JSON report so that we can end with one plain
// summary line ("Tests: N passed, N failed, N skipped") that CI log readers understand.
const userArgs = process.argv.slice(2);
const jsonReport = userArgs.some((a) => a.startsWith('--reporter'))
  ? null
  : path.join(os.tmpdir(), `fangfan-vitest-${process.pid}.json`);
const reportArgs = jsonReport ? ['--reporter=default', '--reporter=json', `--outputFile.json=${jsonReport}`] : [];

function printSummary() {
  if (!jsonReport) return;
  try {
    const r = JSON.parse(fs.readFileSync(jsonReport, 'utf8'));
    fs.rmSync(jsonReport, { force: true });
    const skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
    console.log(`\nTests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${skipped} skipped`);
  } catch {
    /* vitest did not get as far as writing a report */
  }
}

const child = spawn(npx, ['--no', 'vitest', 'run', ...reportArgs, ...userArgs], { cwd: root, stdio: 'inherit' });
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => child.kill(sig));
}
child.on('error', (e) => {
  console.error(`Could not start vitest: ${e.message}`);
  process.exit(1);
});
child.on('exit', (code, signal) => {
  printSummary();
  console.log(pgNote);
  if (signal) process.exit(128 + (({ SIGINT: 2, SIGHUP: 1, SIGKILL: 9, SIGTERM: 15 })[signal] ?? 0));
  process.exit(code ?? 1);
});
