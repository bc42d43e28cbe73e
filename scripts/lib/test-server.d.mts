// Types for test-server.mjs (plain ESM so that it runs before `npm install`).

export const TEST_SERVER_VERSION: string;
export const TEST_SERVER_POM: string;
export function testServerDir(): string;
/** The absolute path of a launcher for the Java time-skipping test server, downloaded the first time. */
export function ensureTestServer(opts?: { log?: (msg: string) => void }): Promise<string>;
/** Starts the launcher once and resolves with its start-up time in ms. */
export function checkTestServer(wrapperPath: string, opts?: { timeoutMs?: number }): Promise<number>;
