// Obtains and runs the real Temporal servers this project needs, with no npm
// dependencies (plain Node ESM), so it works before `npm install`:
//
//  - the Temporal CLI (`temporal server start-dev`), built once from the Go
//    module proxy with `go install` and cached outside the checkout;
//  - the Java time-skipping test server (io.temporal:temporal-test-server),
//    fetched once from Maven Central with `mvn` and started through a small
//    launcher script that @temporalio/testing runs as an 'existing-path'
//    executable.
//
// Everything is cached under cacheDir() (default ~/.cache/fangfan).

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const TEMPORAL_CLI_VERSIONS = ['v1.5.1', 'v1.4.1', 'v1.3.0'];
export const TEMPORAL_CLI_MODULE = 'github.com/temporalio/cli/cmd/temporal';
export const TEST_SERVER_VERSION = '1.38.0';
const TEST_SERVER_MAIN = 'io.temporal.testserver.TestServer';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const TEST_SERVER_POM = path.resolve(HERE, '..', 'test-server', 'pom.xml');

/** Where downloaded/built tools live: $FANGFAN_CACHE_DIR, else $XDG_CACHE_HOME/fangfan, else ~/.cache/fangfan. */
export function cacheDir() {
  if (process.env.FANGFAN_CACHE_DIR) return path.resolve(process.env.FANGFAN_CACHE_DIR);
  if (process.env.XDG_CACHE_HOME) return path.resolve(process.env.XDG_CACHE_HOME, 'fangfan');
  return path.join(os.homedir(), '.cache', 'fangfan');
}

// ---------------------------------------------------------------------------
// small helpers

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function isExecutableFile(p) {
  try {
    if (!fs.statSync(p).isFile()) return false;
    fs.accessSync(p, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Absolute path of `name` on $PATH, or null. */
export function findOnPath(name) {
  for (const dir of (process.env.PATH || '').split(path.delimiter)) {
    if (!dir) continue;
    const p = path.resolve(dir, name);
    if (isExecutableFile(p)) return p;
  }
  return null;
}

function pidAlive(pid) {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === 'EPERM';
  }
}

/** Keeps the last `max` lines of a stream of text chunks. */
/** The first `head` and the last `max` lines of a process's output (a Go panic names its cause first). */
class Tail {
  constructor(max = 60, head = 15) {
    this.max = max;
    this.headMax = head;
    this.head = [];
    this.lines = [];
    this.dropped = 0;
    this.partial = '';
  }
  push(chunk) {
    const parts = (this.partial + chunk.toString()).split('\n');
    this.partial = parts.pop();
    for (const l of parts) {
      if (this.head.length < this.headMax) this.head.push(l);
      else this.lines.push(l);
    }
    if (this.lines.length > this.max) {
      this.dropped += this.lines.length - this.max;
      this.lines.splice(0, this.lines.length - this.max);
    }
  }
  text() {
    const gap = this.dropped ? [`… (${this.dropped} lines) …`] : [];
    return [...this.head, ...gap, ...this.lines, this.partial].filter((l) => l !== '').join('\n');
  }
}

/**
 * Runs `fn` while holding an exclusive lock `<cache>/<name>.lock` (a directory:
 * mkdir is atomic). Other processes wait; a lock whose owner pid is dead is
 * taken over.
 */
async function withLock(name, log, fn) {
  const dir = cacheDir();
  fs.mkdirSync(dir, { recursive: true });
  const lockDir = path.join(dir, `${name}.lock`);
  const ownerFile = path.join(lockDir, 'owner');
  let waitingSaid = false;
  for (;;) {
    try {
      fs.mkdirSync(lockDir);
      fs.writeFileSync(ownerFile, `${process.pid}\n`);
      break;
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
    }
    let owner = NaN;
    let ageMs = 0;
    try {
      owner = Number.parseInt(fs.readFileSync(ownerFile, 'utf8'), 10);
    } catch {
      /* being created, or the creator died before writing it */
    }
    try {
      ageMs = Date.now() - fs.statSync(lockDir).mtimeMs;
    } catch {
      continue; // vanished: try again at once
    }
    const stale = Number.isNaN(owner) ? ageMs > 30_000 : !pidAlive(owner);
    if (stale) {
      log(`Removing stale lock ${lockDir} (owner ${Number.isNaN(owner) ? 'unknown' : `pid ${owner}`} is gone)`);
      fs.rmSync(lockDir, { recursive: true, force: true });
      continue;
    }
    if (!waitingSaid) {
      log(`Waiting for another process (pid ${owner}) that holds ${lockDir} …`);
      waitingSaid = true;
    }
    await sleep(1000);
  }
  const release = () => fs.rmSync(lockDir, { recursive: true, force: true });
  process.once('exit', release);
  try {
    return await fn();
  } finally {
    process.removeListener('exit', release);
    release();
  }
}

/** Removes leftovers `<cache>/.tmp-<prefix>-*` of killed runs (call while holding the lock). */
function removeTempLeftovers(prefix) {
  const dir = cacheDir();
  for (const entry of fs.readdirSync(dir)) {
    if (entry.startsWith(`.tmp-${prefix}-`)) fs.rmSync(path.join(dir, entry), { recursive: true, force: true });
  }
}

/**
 * Runs a command, streaming its output line by line through `log` (prefixed),
 * printing a heartbeat every 30 s, and resolving with { code, tail }.
 */
function runStreaming(cmd, args, { env, cwd, log, prefix, heartbeat }) {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const child = spawn(cmd, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const tail = new Tail(80);
    const forward = (chunk) => {
      tail.push(chunk);
      for (const raw of chunk.toString().split('\n')) {
        const line = raw.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '').trimEnd(); // drop ANSI colour codes
        if (line.trim()) log(`${prefix}${line}`);
      }
    };
    child.stdout.on('data', forward);
    child.stderr.on('data', forward);
    const timer = heartbeat
      ? setInterval(() => log(`${prefix}… ${heartbeat} (${Math.round((Date.now() - started) / 1000)} s so far)`), 30_000)
      : null;
    child.on('error', (e) => {
      if (timer) clearInterval(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      if (timer) clearInterval(timer);
      resolve({ code: code ?? (signal ? 128 : 1), signal, tail: tail.text(), ms: Date.now() - started });
    });
  });
}

/** Runs a command to completion, capturing its output: { status, stdout, stderr }. */
function runCapture(cmd, args, timeoutMs) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMs });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('error', (e) => resolve({ status: null, stdout, stderr: `${stderr}${e.message}` }));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

// ---------------------------------------------------------------------------
// Temporal CLI

function cachedCliPath(version) {
  return path.join(cacheDir(), `temporal-cli-${version}`, 'temporal');
}

function findCachedCli() {
  for (const v of TEMPORAL_CLI_VERSIONS) {
    const p = cachedCliPath(v);
    if (isExecutableFile(p)) return p;
  }
  return null;
}

/**
 * Returns the absolute path of a `temporal` CLI binary. In order:
 * $TEMPORAL_CLI_PATH (must exist), `temporal` on $PATH, the cached build
 * `<cache>/temporal-cli-v1.5.1/temporal` (or a cached fallback version),
 * else builds it with `go install` (first time only; several minutes).
 */
export async function ensureTemporalCli({ log = console.log } = {}) {
  const fromEnv = process.env.TEMPORAL_CLI_PATH;
  if (fromEnv) {
    const p = path.resolve(fromEnv);
    if (!isExecutableFile(p)) {
      throw new Error(
        `TEMPORAL_CLI_PATH is set to ${JSON.stringify(fromEnv)}, but no executable file is there. ` +
          'Point it at a Temporal CLI binary (`temporal`), or unset it to let the project find or build one.',
      );
    }
    return p;
  }
  const onPath = findOnPath('temporal');
  if (onPath) return onPath;
  const cached = findCachedCli();
  if (cached) return cached;

  return withLock('temporal-cli', log, async () => {
    const again = findCachedCli(); // another process may have built it while we waited
    if (again) return again;
    const go = findOnPath('go');
    if (!go) {
      throw new Error(
        'The Temporal CLI is missing and cannot be built: no `go` on PATH. ' +
          `Either install Go (1.25 or newer, which ${TEMPORAL_CLI_VERSIONS[0]} requires; see https://go.dev/doc/install) so that ` +
          `\`go install ${TEMPORAL_CLI_MODULE}@${TEMPORAL_CLI_VERSIONS[0]}\` can run, ` +
          'or set TEMPORAL_CLI_PATH to an existing `temporal` binary, or put `temporal` on PATH.',
      );
    }
    removeTempLeftovers('temporal-cli');
    const failures = [];
    for (const version of TEMPORAL_CLI_VERSIONS) {
      const target = cachedCliPath(version);
      const tmpBin = path.join(cacheDir(), `.tmp-temporal-cli-${version}-${process.pid}`);
      fs.mkdirSync(tmpBin, { recursive: true });
      log(
        `Building the Temporal CLI ${version} from the Go module proxy (first time only; takes several minutes on 2 cores) …\n` +
          `  go install ${TEMPORAL_CLI_MODULE}@${version}  →  ${target}`,
      );
      const env = { ...process.env, GOBIN: tmpBin };
      if (!env.HOME) env.HOME = os.homedir(); // go needs it for GOPATH/GOCACHE
      const res = await runStreaming(go, ['install', `${TEMPORAL_CLI_MODULE}@${version}`], {
        env,
        log,
        prefix: '  [go] ',
        heartbeat: `still compiling the Temporal CLI ${version}`,
      });
      const built = path.join(tmpBin, 'temporal');
      if (res.code === 0 && isExecutableFile(built)) {
        fs.mkdirSync(path.dirname(target), { recursive: true });
        fs.renameSync(built, target); // same filesystem: atomic, never a half-written binary
        fs.rmSync(tmpBin, { recursive: true, force: true });
        log(`Built the Temporal CLI ${version} in ${Math.round(res.ms / 1000)} s: ${target}`);
        return target;
      }
      fs.rmSync(tmpBin, { recursive: true, force: true });
      failures.push(`--- ${version} (exit ${res.code}) ---\n${res.tail}`);
      const next = TEMPORAL_CLI_VERSIONS[TEMPORAL_CLI_VERSIONS.indexOf(version) + 1];
      log(`Building the Temporal CLI ${version} failed (exit ${res.code})${next ? `; trying ${next}` : ''}.`);
    }
    const tooOld = failures.some((f) => /requires go >=/.test(f))
      ? 'Your Go is too old for these releases: install a newer Go, or let go fetch one with GOTOOLCHAIN=auto. '
      : '';
    throw new Error(
      `Could not build the Temporal CLI (tried ${TEMPORAL_CLI_VERSIONS.join(', ')}). ${tooOld}` +
        'Set TEMPORAL_CLI_PATH to an existing binary to skip the build.\n' +
        failures.join('\n'),
    );
  });
}

// ---------------------------------------------------------------------------
// Java time-skipping test server

export function testServerDir() {
  return path.join(cacheDir(), `temporal-test-server-${TEST_SERVER_VERSION}`);
}

function testServerReady(dir) {
  const wrapper = path.join(dir, 'temporal-test-server');
  return (
    isExecutableFile(wrapper) &&
    fs.existsSync(path.join(dir, '.complete')) &&
    fs.existsSync(path.join(dir, 'lib', `temporal-test-server-${TEST_SERVER_VERSION}.jar`))
  );
}

function writeTestServerWrapper(finalDir, writeDir) {
  const lib = path.join(finalDir, 'lib');
  const wrapper = path.join(writeDir, 'temporal-test-server');
  const script = [
    '#!/bin/sh',
    `# Temporal Java time-skipping test server ${TEST_SERVER_VERSION}, written by fangfan scripts/lib/tools.mjs.`,
    '# Usage: temporal-test-server <port> [--enable-time-skipping]',
    `exec java $JAVA_OPTS -cp "${lib}/*" ${TEST_SERVER_MAIN} "$@"`,
    '',
  ].join('\n');
  fs.writeFileSync(wrapper, script);
  fs.chmodSync(wrapper, 0o755);
  return wrapper;
}

/**
 * Returns the absolute path of an executable launcher for the Java
 * time-skipping test server (`<wrapper> <port> --enable-time-skipping`).
 * Downloads io.temporal:temporal-test-server with Maven the first time.
 */
export async function ensureTestServer({ log = console.log } = {}) {
  const dir = testServerDir();
  const wrapper = path.join(dir, 'temporal-test-server');
  const java = findOnPath('java');
  if (!java) {
    throw new Error(
      'The Temporal time-skipping test server needs Java (17 or newer), but no `java` is on PATH. ' +
        'Install a JDK/JRE, e.g. `apt-get install openjdk-17-jre-headless`.',
    );
  }
  if (testServerReady(dir)) return wrapper;

  return withLock('temporal-test-server', log, async () => {
    if (testServerReady(dir)) return wrapper;
    const mvn = findOnPath('mvn');
    if (!mvn) {
      throw new Error(
        `The Temporal time-skipping test server ${TEST_SERVER_VERSION} is not in ${dir} and cannot be fetched: no \`mvn\` on PATH. ` +
          'Install Maven (e.g. `apt-get install maven`), which downloads io.temporal:temporal-test-server from Maven Central.',
      );
    }
    removeTempLeftovers('temporal-test-server');
    const tmp = path.join(cacheDir(), `.tmp-temporal-test-server-${TEST_SERVER_VERSION}-${process.pid}`);
    fs.mkdirSync(tmp, { recursive: true });
    log(
      `Downloading the Temporal time-skipping test server ${TEST_SERVER_VERSION} from Maven Central (first time only) …\n` +
        `  mvn -q -B -f ${TEST_SERVER_POM} dependency:copy-dependencies  →  ${dir}`,
    );
    const res = await runStreaming(
      mvn,
      ['-q', '-B', '-Dstyle.color=never', '-f', TEST_SERVER_POM, 'dependency:copy-dependencies', `-DoutputDirectory=${path.join(tmp, 'lib')}`],
      { env: process.env, log, prefix: '  [mvn] ', heartbeat: 'still downloading the test server' },
    );
    if (res.code !== 0 || !fs.existsSync(path.join(tmp, 'lib', `temporal-test-server-${TEST_SERVER_VERSION}.jar`))) {
      fs.rmSync(tmp, { recursive: true, force: true });
      throw new Error(`Fetching io.temporal:temporal-test-server:${TEST_SERVER_VERSION} with Maven failed (exit ${res.code}):\n${res.tail}`);
    }
    // Verify it really starts before putting it in place (the launcher points at the final lib dir,
    // so check with a launcher written for the temporary one).
    const tmpCheckWrapper = writeTestServerWrapper(tmp, tmp);
    const t = await checkTestServer(tmpCheckWrapper);
    log(`Temporal test server ${TEST_SERVER_VERSION} downloaded in ${Math.round(res.ms / 1000)} s; it started in ${t} ms.`);
    writeTestServerWrapper(dir, tmp);
    fs.writeFileSync(path.join(tmp, '.complete'), `${new Date().toISOString()}\n`);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.renameSync(tmp, dir);
    return wrapper;
  });
}

/**
 * Starts the test server launcher on a free port with --enable-time-skipping,
 * waits until the port accepts connections, then kills it. Resolves with the
 * start-up time in ms; rejects with its output if it exits or times out.
 */
export async function checkTestServer(wrapperPath, { timeoutMs = 60_000 } = {}) {
  const port = await freePort();
  const started = Date.now();
  const child = spawn(wrapperPath, [String(port), '--enable-time-skipping'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const tail = new Tail(40);
  child.stdout.on('data', (c) => tail.push(c));
  child.stderr.on('data', (c) => tail.push(c));
  let exited = null;
  child.on('exit', (code, signal) => (exited = { code, signal }));
  child.on('error', (e) => (exited = { code: null, signal: null, error: e }));
  try {
    for (;;) {
      if (exited) {
        throw new Error(
          `The Temporal test server (${wrapperPath}) exited early (code ${exited.code}, signal ${exited.signal})` +
            `${exited.error ? `: ${exited.error.message}` : ''}\n${tail.text()}`,
        );
      }
      if (await canConnect('127.0.0.1', port)) return Date.now() - started;
      if (Date.now() - started > timeoutMs) {
        throw new Error(`The Temporal test server did not open port ${port} within ${timeoutMs / 1000} s\n${tail.text()}`);
      }
      await sleep(100);
    }
  } finally {
    await killChild(child, 5_000);
  }
}

// ---------------------------------------------------------------------------
// Dev server

/** A TCP port on 127.0.0.1 that is free right now. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** Whether `port` on `host` can be bound right now. */
function portIsFree(host, port) {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.unref();
    srv.once('error', () => resolve(false));
    srv.listen(port, host, () => srv.close(() => resolve(true)));
  });
}

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

function canConnect(host, port, timeoutMs = 1000) {
  return new Promise((resolve) => {
    const sock = net.connect({ host, port });
    const done = (ok) => {
      sock.destroy();
      resolve(ok);
    };
    sock.setTimeout(timeoutMs, () => done(false));
    sock.once('connect', () => done(true));
    sock.once('error', () => done(false));
  });
}

/** SIGTERM, wait up to `graceMs`, then SIGKILL. Resolves once the child has exited. */
function killChild(child, graceMs) {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    let timer;
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
    timer = setTimeout(() => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }, graceMs);
  });
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
  // between: the server then exits during start-up. With ports of our choosing, try again on new ones.
  const ownPorts = !opts.port && (opts.headless || !opts.uiPort);
  for (let attempt = 1; ; attempt++) {
    try {
      return await startDevServerOnce(opts);
    } catch (e) {
      if (!ownPorts || attempt >= 3 || !(e instanceof DevServerExitedEarly)) throw e;
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
  for (const [what, p] of [['gRPC', grpcPort], ['Web UI', webPort]]) {
    if (p && !(await portIsFree(ip, p))) {
      throw new Error(`Cannot start the Temporal dev server: ${what} port ${ip}:${p} is already in use.`);
    }
  }
  const args = ['server', 'start-dev', '--ip', ip, '--port', String(grpcPort), '--namespace', namespace, '--log-level', 'warn'];
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
