#!/usr/bin/env node
// `npm run fuzz`: Schemathesis (from PyPI, into a virtual environment cached in ~/.cache/fangfan) against
// the running app — the standalone server on a fresh SQLite read model with the demo data, on its own
// Temporal dev server — as an administrator, a town officer, a village cadre and an API key, with all
// checks and a bounded number of examples per operation (FUZZ_EXAMPLES, default 10). Fails when any
// run finds a 5xx, an undocumented status or an answer outside its documented schema; prints each
// run's summary. Needs python3 with venv and pip (PyPI).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cacheDir } from './lib/tool-cache.mjs';
import { freePort } from './lib/ports.mjs';

const VERSION = '4.32.5';
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const examples = process.env.FUZZ_EXAMPLES || '10';
const log = (m) => console.log(`[fuzz] ${m}`);

function schemathesis() {
  const venv = path.join(cacheDir(), `schemathesis-${VERSION}`);
  const bin = path.join(venv, 'bin', 'schemathesis');
  if (fs.existsSync(bin)) return bin;
  log(`installing schemathesis ${VERSION} from PyPI into ${venv}`);
  fs.rmSync(venv, { recursive: true, force: true });
  for (const args of [['-m', 'venv', venv], [path.join(venv, 'bin', 'pip'), 'install', '-q', `schemathesis==${VERSION}`]]) {
    const cmd = args[0].endsWith('pip') ? args.shift() : 'python3';
    const r = spawnSync(cmd, args, { stdio: 'inherit' });
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal})`);
  }
  return bin;
}

async function startApp() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fangfan-fuzz-'));
  const port = await freePort();
  const env = {
    ...process.env,
    DATA_DIR: dir,
    PORT: String(port),
    TEMPORAL_DEV_PORT: String(await freePort()),
    TEMPORAL_DEV_UI_PORT: String(await freePort()),
    LOG_LEVEL: 'warn',
  };
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], { cwd: root, env, stdio: ['ignore', 'inherit', 'inherit'], detached: true });
  const base = `http://127.0.0.1:${port}`;
  const stop = () => {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {}
    fs.rmSync(dir, { recursive: true, force: true });
  };
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) {
      fs.rmSync(dir, { recursive: true, force: true });
      throw new Error(`the app exited (${child.exitCode}) before it was ready`);
    }
    const ok = await fetch(`${base}/api/ready`).then((r) => r.ok).catch(() => false);
    if (ok) return { base, stop };
    await new Promise((r) => setTimeout(r, 1000));
  }
  stop();
  throw new Error('the app was not ready within 300 s');
}

async function call(base, method, url, body, token) {
  for (let attempt = 1; ; attempt++) {
    // (a kept-alive connection the server has just closed fails once: try again on a new one)
    const res = await fetch(`${base}${url}`, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    }).catch((err) => (attempt < 3 ? null : Promise.reject(err)));
    if (!res) continue;
    // The run before may have used up this address's logins for the minute: wait as the answer says.
    if (res.status === 429 && attempt < 4) {
      const body = await res.json().catch(() => ({}));
      const wait = Number(res.headers.get('retry-after')) || Number(body?.error?.retryAfterSeconds) || 60;
      log(`${method} ${url}: rate limited, waiting ${wait} s`);
      await new Promise((r) => setTimeout(r, (wait + 1) * 1000));
      continue;
    }
    if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${await res.text()}`);
    return res.json();
  }
}

const login = async (base, username) => (await call(base, 'POST', '/api/auth/login', { username, password: process.env.DEMO_PASSWORD || 'demo1234' })).token;

function run(bin, base, who, token, extra = []) {
  log(`as ${who}`);
  const args = [
    '--config-file', path.join(root, 'scripts', 'schemathesis.toml'),
    'run', `${base}/documentation/json`, '--url', base,
    '-H', `Authorization: Bearer ${token}`,
    '--checks', 'all', '--max-examples', examples, '--seed', process.env.FUZZ_SEED || '20261207',
    '--exclude-name', 'POST /api/auth/logout', // would end the run's own session
    ...extra,
  ];
  const r = spawnSync(bin, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const out = `${r.stdout}${r.stderr}`;
  const summary = out.slice(Math.max(0, out.lastIndexOf('SUMMARY') - 40));
  console.log(r.status === 0 ? summary : out.slice(-20000));
  return r.status === 0;
}

const bin = schemathesis();
/** The app, started again on other ports when it exits before it is ready (a port taken between our pick and its bind, e.g. by the dev server's own). */
async function startAppRetrying(attempts = 3) {
  for (let i = 1; ; i++) {
    try {
      return await startApp();
    } catch (err) {
      if (i >= attempts || !/exited/.test(err.message)) throw err;
      log(`${err.message}: starting it again (${i + 1}/${attempts})`);
    }
  }
}

const app = await startAppRetrying();
let ok = true;
try {
  const admin = await login(app.base, 'admin');
  // An administrator changing their own account (deactivating it, resetting its password) ends their
  // session: those operations run last, alone.
  const changingUsers = ['PUT /api/users/{id}', 'POST /api/users/{id}/password'];
  ok = run(bin, app.base, 'admin', admin, changingUsers.flatMap((name) => ['--exclude-name', name])) && ok;
  for (const who of ['town.tongjing', 'cadre.rongguang']) ok = run(bin, app.base, who, await login(app.base, who)) && ok;
  // Created after the admin's run, which revokes the keys it finds.
  const key = (await call(app.base, 'POST', '/api/api-keys', { name: '模糊测试', scopes: ['start:identification', 'alert', 'settlement', 'department:区医保局'] }, admin)).key;
  ok = run(bin, app.base, 'an API key', key) && ok;
  ok = run(bin, app.base, 'admin (changing users)', admin, changingUsers.flatMap((name) => ['--include-name', name])) && ok;
} finally {
  app.stop();
}
log(ok ? 'no failures' : 'FAILURES: see above');
process.exit(ok ? 0 : 1);
