// Building a Go program from the Go module proxy with `go install module@version` into the tool cache
// (cacheDir()): the Temporal CLI and the S3-compatible server of the file-store tests. Plain Node ESM
// with no npm dependencies, so it works before `npm install`.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runStreaming } from './child-processes.mjs';
import { cacheDir, isExecutableFile } from './tool-cache.mjs';

/**
 * `go install <module>@<version>` into a temporary GOBIN under the cache, then renames the binary to
 * `target` (same filesystem: atomic, never a half-written binary). Call it holding the tool's lock.
 * Resolves with { ok, code, tail, ms }: `tail` is the end of go's output when it failed.
 *
 * @param {object} opts
 * @param {string} opts.go       the `go` binary
 * @param {string} opts.module   e.g. github.com/temporalio/cli/cmd/temporal
 * @param {string} opts.version  e.g. v1.5.1
 * @param {string} opts.target   where the binary goes, e.g. <cache>/temporal-cli-v1.5.1/temporal
 * @param {string} opts.tmpPrefix  the temporary GOBIN is <cache>/.tmp-<tmpPrefix>-<version>-<pid>
 * @param {string} opts.what     what is built, for the messages ("the Temporal CLI v1.5.1")
 * @param {(msg: string) => void} opts.log
 */
export async function goInstall({ go, module, version, target, tmpPrefix, what, log }) {
  const tmpBin = path.join(cacheDir(), `.tmp-${tmpPrefix}-${version}-${process.pid}`);
  fs.mkdirSync(tmpBin, { recursive: true });
  log(
    `Building ${what} from the Go module proxy (first time only; takes several minutes on 2 cores) …\n` +
      `  go install ${module}@${version}  →  ${target}`,
  );
  const env = { ...process.env, GOBIN: tmpBin };
  if (!env.HOME) env.HOME = os.homedir(); // go needs it for GOPATH/GOCACHE
  const res = await runStreaming(go, ['install', `${module}@${version}`], {
    env,
    log,
    prefix: '  [go] ',
    heartbeat: `still compiling ${what}`,
  });
  const built = path.join(tmpBin, path.basename(target));
  const ok = res.code === 0 && isExecutableFile(built);
  if (ok) {
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.renameSync(built, target);
    log(`Built ${what} in ${Math.round(res.ms / 1000)} s: ${target}`);
  }
  fs.rmSync(tmpBin, { recursive: true, force: true });
  return { ok, code: res.code, tail: res.tail, ms: res.ms };
}
