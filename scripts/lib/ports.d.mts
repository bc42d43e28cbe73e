// Types for ports.mjs (plain ESM so that it runs before `npm install`).

/** A TCP port on 127.0.0.1 that is free right now. */
export function freePort(): Promise<number>;
/** Whether `port` on `host` can be bound right now. */
export function portIsFree(host: string, port: number): Promise<boolean>;
export function canConnect(host: string, port: number, timeoutMs?: number): Promise<boolean>;
