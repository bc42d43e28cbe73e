// Types for temporal-cli.mjs (plain ESM so that it runs before `npm install`).

export const TEMPORAL_CLI_VERSIONS: string[];
export const TEMPORAL_CLI_MODULE: string;
/** The absolute path of a `temporal` CLI binary, built with `go install` the first time. */
export function ensureTemporalCli(opts?: { log?: (msg: string) => void }): Promise<string>;
