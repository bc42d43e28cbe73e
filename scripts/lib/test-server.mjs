// The Java time-skipping test server (io.temporal:temporal-test-server),
// fetched once from Maven Central with `mvn`, cached under cacheDir() and
// started through a small launcher script that @temporalio/testing runs as an
// 'existing-path' executable. Plain Node ESM with no npm dependencies, so it
// works before `npm install`.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Tail, killChild, runStreaming, sleep } from './child-processes.mjs';
import { canConnect, freePort } from './ports.mjs';
import { cacheDir, findOnPath, isExecutableFile, removeTempLeftovers, withLock } from './tool-cache.mjs';

export const TEST_SERVER_VERSION = '1.38.0';
const TEST_SERVER_MAIN = 'io.temporal.testserver.TestServer';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const TEST_SERVER_POM = path.resolve(HERE, '..', 'test-server', 'pom.xml');

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
    `# Temporal Java time-skipping test server ${TEST_SERVER_VERSION}, written by fangfan scripts/lib/test-server.mjs.`,
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
