/** Connections to Temporal for the client (API) and the worker, from temporal.yaml + env. */
import { readFileSync } from 'node:fs';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import type { TemporalConfig } from './config';

function tlsOptions(cfg: TemporalConfig) {
  if (!cfg.tls.enabled && !cfg.apiKey) return undefined;
  const read = (f: string) => (f ? readFileSync(f) : undefined);
  const cert = read(cfg.tls.clientCertFile);
  const key = read(cfg.tls.clientKeyFile);
  return {
    ...(cfg.tls.serverName ? { serverNameOverride: cfg.tls.serverName } : {}),
    ...(cfg.tls.serverRootCACertFile ? { serverRootCACertificate: read(cfg.tls.serverRootCACertFile) } : {}),
    ...(cert && key ? { clientCertPair: { crt: cert, key } } : {}),
  };
}

export async function connectClient(cfg: TemporalConfig, address = cfg.address): Promise<Client> {
  const connection = await Connection.connect({ address, tls: tlsOptions(cfg), apiKey: cfg.apiKey });
  return new Client({ connection, namespace: cfg.namespace });
}

export async function connectWorker(cfg: TemporalConfig, address = cfg.address): Promise<NativeConnection> {
  return NativeConnection.connect({ address, tls: tlsOptions(cfg), apiKey: cfg.apiKey });
}
