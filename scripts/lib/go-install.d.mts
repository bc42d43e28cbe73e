// Types for go-install.mjs (plain ESM so that it runs before `npm install`).

/** `go install module@version` into the tool cache, renamed atomically to `target`. */
export function goInstall(opts: {
  go: string;
  module: string;
  version: string;
  target: string;
  tmpPrefix: string;
  what: string;
  log: (msg: string) => void;
}): Promise<{ ok: boolean; code: number; tail: string; ms: number }>;
