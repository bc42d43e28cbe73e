// Types for s3-server.mjs (plain ESM so that it runs before `npm install`).

export const S3_SERVER_VERSION: string;
export const S3_SERVER_MODULE: string;
/** The absolute path of a `versitygw` binary, built with `go install` the first time. */
export function ensureS3Server(opts?: { log?: (msg: string) => void }): Promise<string>;
export interface S3Server {
  endpoint: string;
  host: string;
  port: number;
  accessKeyId: string;
  secretAccessKey: string;
  stop(): Promise<void>;
  output(): string;
}
/** Starts the gateway on a free port of 127.0.0.1 with random root credentials, serving `dir`. */
export function startS3Server(opts: { serverPath: string; dir: string; timeoutMs?: number; log?: (msg: string) => void }): Promise<S3Server>;
