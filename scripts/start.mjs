#!/usr/bin/env node
// `npm start`: the whole product on this machine. Installs npm packages when missing, builds the admin
// console when it has not been built, builds or finds the Temporal CLI (first time only: several
// minutes on 2 cores), then runs server/main.ts, which starts the dev server, the worker and the API.
// Ctrl-C (or SIGTERM) stops everything cleanly.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureTemporalCli } from './lib/temporal-cli.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function run(cmd, args) {
  console.log(`$ ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.error) throw r.error;
  if (r.status !== 0) {
    console.error(`${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal})`);
    process.exit(r.status || 1);
  }
}

if (!fs.existsSync(path.join(root, 'node_modules', '.package-lock.json'))) {
  console.log('[fangfan] installing npm packages (first start only) …');
  run(npm, fs.existsSync(path.join(root, 'package-lock.json')) ? ['ci'] : ['install']);
}

const adminConfig = path.join(root, 'admin', 'vite.config.ts');
const adminIndex = path.join(root, 'admin', 'dist', 'index.html');
if (fs.existsSync(adminConfig) && (!fs.existsSync(adminIndex) || process.env.REBUILD_ADMIN === 'true')) {
  console.log('[fangfan] building the admin console …');
  run(npm, ['run', 'build:admin']);
}

try {
  await ensureTemporalCli({ log: (m) => console.log(`[fangfan] ${m}`) });
} catch (e) {
  console.error(`[fangfan] ${e instanceof Error ? e.message : e}`);
  process.exit(1);
}

const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'server', 'main.ts')], { cwd: root, stdio: 'inherit' });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
