// Types for dev-server.mjs (plain ESM so that it runs before `npm install`); the options are
// described on startDevServer there.
import type { ChildProcess } from 'node:child_process';

export interface DevServerOptions {
  cliPath: string;
  dbFile?: string;
  port?: number;
  uiPort?: number;
  headless?: boolean;
  namespace?: string;
  searchAttributes?: Record<string, string>;
  extraArgs?: string[];
  timeoutMs?: number;
  log?: (msg: string) => void;
}

export interface DevServer {
  address: string;
  port: number;
  uiPort: number | null;
  uiUrl: string | null;
  namespace: string;
  startupMs: number;
  process: ChildProcess;
  output: () => string;
  stop: () => Promise<void>;
}

/** Starts `temporal server start-dev` and resolves once it serves its namespace. */
export function startDevServer(opts: DevServerOptions): Promise<DevServer>;
