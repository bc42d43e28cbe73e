// A real S3-compatible server for the file-store tests: the Versity S3 gateway (versitygw, Apache-2.0)
// with its posix backend, which keeps each bucket as a folder and each object as a file. Built once from
// the Go module proxy with `go install` and cached under cacheDir(), like the Temporal CLI. Plain Node
// ESM with no npm dependencies, so it works before `npm install`.
//
// (SeaweedFS was the first choice, but its module cannot be built with `go install module@version`:
// its go.mod has a replace directive, which go refuses outside its own checkout.)

import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Tail, killChild, sleep } from './child-processes.mjs';
import { goInstall } from './go-install.mjs';
import { canConnect, freePort } from './ports.mjs';
import { cacheDir, findOnPath, isExecutableFile, removeTempLeftovers, withLock } from './tool-cache.mjs';

export const S3_SERVER_VERSION = 'v1.8.0';
export const S3_SERVER_MODULE = 'github.com/versity/versitygw/cmd/versitygw';

function cachedServerPath() {
  return path.join(cacheDir(), `versitygw-${S3_SERVER_VERSION}`, 'versitygw');
}

/**
 * Returns the absolute path of a `versitygw` binary: $S3_SERVER_PATH (must exist), else the cached
 * build `<cache>/versitygw-v1.8.0/versitygw`, else builds it with `go install` (first time only;
 * several minutes).
 */
export async function ensureS3Server({ log = console.log } = {}) {
  const fromEnv = process.env.S3_SERVER_PATH;
  if (fromEnv) {
    const p = path.resolve(fromEnv);
    if (!isExecutableFile(p)) {
      throw new Error(
        `S3_SERVER_PATH is set to ${JSON.stringify(fromEnv)}, but no executable file is there. ` +
          'Point it at a versitygw binary, or unset it to let the project build one.',
      );
    }
    return p;
  }
  const target = cachedServerPath();
  if (isExecutableFile(target)) return target;
  return withLock('versitygw', log, async () => {
    if (isExecutableFile(target)) return target; // another process built it while we waited
    const go = findOnPath('go');
    if (!go) {
      throw new Error(
        'The S3-compatible test server is missing and cannot be built: no `go` on PATH. ' +
          `Install Go (1.25 or newer; https://go.dev/doc/install) so that \`go install ${S3_SERVER_MODULE}@${S3_SERVER_VERSION}\` can run, ` +
          'or set S3_SERVER_PATH to an existing versitygw binary.',
      );
    }
    removeTempLeftovers('versitygw');
    const what = `the Versity S3 gateway ${S3_SERVER_VERSION}`;
    const res = await goInstall({ go, module: S3_SERVER_MODULE, version: S3_SERVER_VERSION, target, tmpPrefix: 'versitygw', what, log });
    if (res.ok) return target;
    const tooOld = /requires go >=/.test(res.tail)
      ? 'Your Go is too old for this release: install a newer Go, or let go fetch one with GOTOOLCHAIN=auto. '
      : '';
    throw new Error(
      `Could not build ${what} (exit ${res.code}). ${tooOld}Set S3_SERVER_PATH to an existing binary to skip the build.\n${res.tail}`,
    );
  });
}

/**
 * Starts the gateway on a free port of 127.0.0.1, serving the folder `dir` (buckets are its sub-folders;
 * their metadata goes to `dir/.meta`, so the filesystem needs no extended attributes), with random root
 * credentials. Resolves once it accepts connections.
 *
 * @param {object} opts
 * @param {string} opts.serverPath  the binary (from ensureS3Server)
 * @param {string} opts.dir         the data folder (created if missing)
 * @param {number} [opts.timeoutMs] start-up timeout (default 30 s)
 * @param {(msg: string) => void} [opts.log]
 * @returns {Promise<{ endpoint: string, host: string, port: number, accessKeyId: string,
 *   secretAccessKey: string, stop: () => Promise<void>, output: () => string }>}
 */
export async function startS3Server({ serverPath, dir, timeoutMs = 30_000, log = console.log }) {
  const host = '127.0.0.1';
  const port = await freePort();
  const accessKeyId = `test${crypto.randomBytes(6).toString('hex')}`;
  const secretAccessKey = crypto.randomBytes(24).toString('base64url');
  const data = path.join(dir, 'data');
  const meta = path.join(dir, '.meta');
  fs.mkdirSync(data, { recursive: true });
  fs.mkdirSync(meta, { recursive: true });
  // The credentials go through the environment, not the command line (which `ps` shows).
  const env = { ...process.env, ROOT_ACCESS_KEY_ID: accessKeyId, ROOT_SECRET_ACCESS_KEY: secretAccessKey };
  const args = ['--port', `${host}:${port}`, '--quiet', 'posix', '--sidecar', meta, data];
  const child = spawn(serverPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const tail = new Tail(60);
  child.stdout.on('data', (c) => tail.push(c));
  child.stderr.on('data', (c) => tail.push(c));
  let exited = null;
  child.on('exit', (code, signal) => (exited = { code, signal }));
  child.on('error', (e) => (exited = { code: null, signal: null, error: e }));
  const killOnExit = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  process.on('exit', killOnExit);
  let stopping = null;
  const stop = () => {
    stopping ??= killChild(child, 5_000).then(() => process.removeListener('exit', killOnExit));
    return stopping;
  };

  const started = Date.now();
  const describe = `versitygw on ${host}:${port} (data in ${data})`;
  for (;;) {
    if (exited) {
      process.removeListener('exit', killOnExit);
      const how = exited.error ? exited.error.message : `exit ${exited.code ?? exited.signal}`;
      throw new Error(`${describe} stopped during start-up (${how}):\n${tail.text()}`);
    }
    if (await canConnect(host, port)) break;
    if (Date.now() - started > timeoutMs) {
      await stop();
      throw new Error(`${describe} did not accept connections within ${timeoutMs / 1000} s:\n${tail.text()}`);
    }
    await sleep(100);
  }
  log(`S3-compatible server: ${describe}, ready in ${Date.now() - started} ms`);
  return { endpoint: `http://${host}:${port}`, host, port, accessKeyId, secretAccessKey, stop, output: () => tail.text() };
}
