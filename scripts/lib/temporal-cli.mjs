// The Temporal CLI (`temporal server start-dev`), built once from the Go module
// proxy with `go install` and cached under cacheDir(). Plain Node ESM with no
// npm dependencies, so it works before `npm install`.

import path from 'node:path';
import { goInstall } from './go-install.mjs';
import { cacheDir, findOnPath, isExecutableFile, removeTempLeftovers, withLock } from './tool-cache.mjs';

export const TEMPORAL_CLI_VERSIONS = ['v1.5.1', 'v1.4.1', 'v1.3.0'];
export const TEMPORAL_CLI_MODULE = 'github.com/temporalio/cli/cmd/temporal';

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
      const res = await goInstall({ go, module: TEMPORAL_CLI_MODULE, version, target, tmpPrefix: 'temporal-cli', what: `the Temporal CLI ${version}`, log });
      if (res.ok) return target;
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
