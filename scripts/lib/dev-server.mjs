// Runs `temporal server start-dev` (the binary from ensureTemporalCli()) and
// waits until it serves its namespace. Plain Node ESM with no npm
// dependencies, so it works before `npm install`.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Tail, killChild, pidAlive, runCapture, sleep } from './child-processes.mjs';
import { canConnect, freePort, portIsFree } from './ports.mjs';

/**
 * Claims `<dbFile>.lock` (a directory holding the owner pid) so that two dev servers never share
 * one SQLite file. Returns a release function; throws if a live process holds it.
 */
function claimDbFile(dbFile) {
  const lockDir = `${dbFile}.lock`;
  const ownerFile = path.join(lockDir, 'owner');
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      fs.mkdirSync(lockDir);
      fs.writeFileSync(ownerFile, `${process.pid}\n`);
      return {
        release: () => fs.rmSync(lockDir, { recursive: true, force: true }),
        setServerPid: (pid) => fs.writeFileSync(ownerFile, `${process.pid} ${pid}\n`),
      };
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
    }
    let pids = [];
    try {
      pids = fs.readFileSync(ownerFile, 'utf8').trim().split(/\s+/).map(Number);
    } catch {
      /* no owner file: a crashed claim */
    }
    // "<node pid> <server pid>": the server may outlive a node process that was SIGKILLed.
    const alive = pids.find(pidAlive);
    if (alive) {
      throw new Error(
        `The Temporal database ${dbFile} is already used by another dev server (pids ${pids.join(', ')}; lock ${lockDir}). ` +
          'Stop that process first, or use another db file.',
      );
    }
    fs.rmSync(lockDir, { recursive: true, force: true }); // stale
  }
  throw new Error(`Could not claim ${lockDir}`);
}

/**
 * Starts `temporal server start-dev` and resolves once it serves `namespace`.
 *
 * @param {object} opts
 * @param {string} opts.cliPath        the `temporal` binary (from ensureTemporalCli)
 * @param {string} [opts.dbFile]       SQLite file; persists between starts. Omit for an in-memory server.
 * @param {number} [opts.port]         gRPC port; 0/undefined → a free port
 * @param {number} [opts.uiPort]       Web UI port; 0/undefined → a free port
 * @param {boolean} [opts.headless]    true → no Web UI (uiUrl is null)
 * @param {string} [opts.namespace]    created at start (default 'default')
 * @param {Record<string,string>} [opts.searchAttributes]  e.g. { Region: 'Keyword' }
 * @param {string[]} [opts.extraArgs]  more `start-dev` flags
 * @param {number} [opts.timeoutMs]    start-up timeout (default 60 s)
 * @param {(msg: string) => void} [opts.log]
 * @returns {Promise<{ address: string, uiUrl: string|null, port: number, uiPort: number|null,
 *   namespace: string, stop: () => Promise<void>, process: import('node:child_process').ChildProcess,
 *   output: () => string }>}
 */
export async function startDevServer(opts = {}) {
  // Ports chosen here are free when chosen, but the dev server picks more ports of its own for its
  // internal services, and another process (a second dev server starting beside it) can take one in
  // between: the server then exits during start-up. Try again: the ports the caller fixed stay, the
  // HTTP API, metrics and internal ports are chosen anew.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startDevServerOnce(opts);
    } catch (e) {
      if (attempt >= 3 || !(e instanceof DevServerExitedEarly)) throw e;
      (opts.log ?? console.log)(`${e.message.split('\n')[0]}; starting it again on other ports (attempt ${attempt + 1} of 3)`);
    }
  }
}

/** The dev server process ended during start-up (as opposed to: it did not answer in time). */
class DevServerExitedEarly extends Error {}

async function startDevServerOnce({
  cliPath,
  dbFile,
  port,
  uiPort,
  headless = false,
  namespace = 'default',
  searchAttributes = {},
  extraArgs = [],
  timeoutMs = 60_000,
  log = console.log,
} = {}) {
  if (!cliPath) throw new Error('startDevServer: cliPath is required (use ensureTemporalCli())');
  const ip = '127.0.0.1';
  const grpcPort = port || (await freePort());
  const webPort = headless ? null : uiPort || (await freePort());
  const address = `${ip}:${grpcPort}`;
  // The HTTP API and metrics ports are ours too: left to the CLI, its pick is made before the gRPC
  // port is bound and can be that very port (seen in CI: "failed listening for HTTP API … in use").
  const taken = new Set([grpcPort, webPort]);
  const otherPort = async () => {
    for (;;) {
      const p = await freePort();
      if (!taken.has(p)) return taken.add(p), p;
    }
  };
  const httpPort = await otherPort();
  const metricsPort = await otherPort();
  for (const [what, p] of [['gRPC', grpcPort], ['Web UI', webPort]]) {
    if (p && !(await portIsFree(ip, p))) {
      throw new Error(`Cannot start the Temporal dev server: ${what} port ${ip}:${p} is already in use.`);
    }
  }
  const args = ['server', 'start-dev', '--ip', ip, '--port', String(grpcPort), '--namespace', namespace, '--log-level', 'warn'];
  args.push('--http-port', String(httpPort), '--metrics-port', String(metricsPort));
  if (headless) args.push('--headless');
  else args.push('--ui-port', String(webPort));
  let dbClaim = null;
  if (dbFile) {
    const db = path.resolve(dbFile);
    fs.mkdirSync(path.dirname(db), { recursive: true });
    dbClaim = claimDbFile(db);
    args.push('--db-filename', db);
  }
  const releaseDb = () => dbClaim?.release();
  for (const [name, type] of Object.entries(searchAttributes)) args.push('--search-attribute', `${name}=${type}`);
  args.push(...extraArgs);

  const started = Date.now();
  let child;
  try {
    child = spawn(cliPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    releaseDb();
    throw e;
  }
  if (child.pid) dbClaim?.setServerPid(child.pid);
  const tail = new Tail(60);
  child.stdout.on('data', (c) => tail.push(c));
  child.stderr.on('data', (c) => tail.push(c));
  let exited = null;
  child.on('exit', (code, signal) => (exited = { code, signal }));
  child.on('error', (e) => (exited = { code: null, signal: null, error: e }));
  // Never leave a dev server behind when this Node process exits.
  const killOnExit = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    releaseDb();
  };
  process.on('exit', killOnExit);

  let stopping = null;
  const stop = () => {
    stopping ??= killChild(child, 10_000).then(() => {
      process.removeListener('exit', killOnExit);
      releaseDb();
    });
    return stopping;
  };
  const describe = `temporal server start-dev on ${address}${dbFile ? ` (db ${path.resolve(dbFile)})` : ''}`;
  const fail = async (why) => {
    const Failure = exited ? DevServerExitedEarly : Error; // before stop(), which ends it either way
    await stop();
    return new Failure(`${describe} ${why}\n--- last output of the server ---\n${tail.text() || '(none)'}`);
  };

  try {
    // 1. the gRPC port accepts connections
    for (;;) {
      if (exited) throw await fail(`exited early (code ${exited.code}, signal ${exited.signal})${exited.error ? `: ${exited.error.message}` : ''}`);
      if (Date.now() - started > timeoutMs) throw await fail(`did not open its port within ${timeoutMs / 1000} s`);
      if (await canConnect(ip, grpcPort)) break;
      await sleep(100);
    }
    // 2. the server really answers and the namespace exists
    let lastProbe = '';
    for (;;) {
      if (exited) throw await fail(`exited early (code ${exited.code}, signal ${exited.signal})`);
      if (Date.now() - started > timeoutMs) {
        throw await fail(`did not serve namespace ${namespace} within ${timeoutMs / 1000} s (last probe: ${lastProbe})`);
      }
      const probe = await runCapture(
        cliPath,
        ['operator', 'namespace', 'describe', '--namespace', namespace, '--address', address, '--output', 'json', '--command-timeout', '5s'],
        10_000,
      );
      if (probe.status === 0 && probe.stdout.includes(namespace)) break;
      lastProbe = `${probe.stdout || ''}${probe.stderr || ''}`.trim().split('\n').slice(-3).join(' | ');
      await sleep(250);
    }
    await sleep(50);
    if (exited) throw await fail(`exited right after start-up (code ${exited.code}, signal ${exited.signal})`);
  } catch (e) {
    process.removeListener('exit', killOnExit);
    throw e;
  }
  const ms = Date.now() - started;
  log(`Temporal dev server ready at ${address}${webPort ? ` (UI http://${ip}:${webPort})` : ''} in ${ms} ms`);
  return {
    address,
    port: grpcPort,
    uiPort: webPort,
    uiUrl: webPort ? `http://${ip}:${webPort}` : null,
    namespace,
    startupMs: ms,
    process: child,
    output: () => tail.text(),
    stop,
  };
}
