/**
 * The production path to a remote Temporal cluster (temporal.yaml `connection`, here through environment
 * variables): TLS with the cluster's CA, a client certificate (mTLS) and an API key, for the client (API)
 * and the worker's native connection alike. The dev server speaks plain gRPC, so a TLS terminator in front
 * of it plays the remote cluster: it presents a certificate for `temporal.test` signed by a throw-away CA
 * and accepts only clients with a certificate from that CA.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import tls from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadTemporalConfig } from '../server/config';
import { connectClient, connectWorker } from '../server/temporal';

let dir: string;
let proxy: tls.Server;
let address: string;
const handshakes: { authorized: boolean; alpn: string | false | null }[] = [];
let refusedHandshakes = 0;

function openssl(...args: string[]) {
  execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'fangfan-tls-'));
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=fangfan test CA');
  for (const [name, cn, ext] of [
    ['server', 'temporal.test', 'subjectAltName=DNS:temporal.test\nextendedKeyUsage=serverAuth\n'],
    ['client', 'fangfan-worker', 'extendedKeyUsage=clientAuth\n'],
  ]) {
    writeFileSync(join(dir, `${name}.ext`), ext);
    openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${cn}`);
    openssl('x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${name}.pem`, '-days', '2', '-extfile', `${name}.ext`);
  }
  const [host, port] = inject('temporalAddress').split(':');
  const file = (f: string) => readFileSync(join(dir, f));
  proxy = tls.createServer(
    { key: file('server.key'), cert: file('server.pem'), ca: file('ca.pem'), requestCert: true, rejectUnauthorized: true, ALPNProtocols: ['h2'] },
    (socket) => {
      handshakes.push({ authorized: socket.authorized, alpn: socket.alpnProtocol });
      const upstream = net.connect(Number(port), host);
      socket.pipe(upstream).pipe(socket);
      const close = () => {
        socket.destroy();
        upstream.destroy();
      };
      socket.on('error', close);
      upstream.on('error', close);
    },
  );
  proxy.on('tlsClientError', () => (refusedHandshakes += 1)); // the negative cases below
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  address = `127.0.0.1:${(proxy.address() as net.AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => proxy?.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

const env = (more: Record<string, string> = {}) => ({
  TEMPORAL_ADDRESS: address,
  TEMPORAL_TLS: 'true',
  TEMPORAL_TLS_SERVER_NAME: 'temporal.test',
  TEMPORAL_TLS_CA_FILE: join(dir, 'ca.pem'),
  TEMPORAL_TLS_CERT_FILE: join(dir, 'client.pem'),
  TEMPORAL_TLS_KEY_FILE: join(dir, 'client.key'),
  TEMPORAL_API_KEY: 'test-api-key',
  ...more,
});

describe('a remote Temporal cluster over TLS, by configuration alone', () => {
  it('the API client and the worker connect with the CA, a client certificate and an API key', async () => {
    const cfg = loadTemporalConfig(env());
    expect(cfg.apiKey).toBe('test-api-key');
    const client = await connectClient(cfg);
    try {
      const ns = await client.workflowService.describeNamespace({ namespace: cfg.namespace });
      expect(ns.namespaceInfo?.name).toBe(cfg.namespace);
    } finally {
      await client.connection.close();
    }
    const native = await connectWorker(cfg);
    await native.close();
    expect(handshakes.length).toBeGreaterThanOrEqual(2);
    expect(handshakes.every((h) => h.authorized && h.alpn === 'h2')).toBe(true);
  });

  it('refuses a server whose certificate the configured CA did not sign', async () => {
    const cfg = loadTemporalConfig(env({ TEMPORAL_TLS_CA_FILE: '' })); // the system's roots only
    const before = refusedHandshakes;
    await expect(connectClient(cfg).then((c) => c.workflowService.getSystemInfo({}))).rejects.toThrow(/Failed to connect/);
    expect(refusedHandshakes).toBeGreaterThan(before); // the TLS handshake failed, nothing reached Temporal
  });

  it('is refused by the cluster without a client certificate', async () => {
    const cfg = loadTemporalConfig(env({ TEMPORAL_TLS_CERT_FILE: '', TEMPORAL_TLS_KEY_FILE: '' }));
    const before = refusedHandshakes;
    await expect(connectClient(cfg).then((c) => c.workflowService.getSystemInfo({}))).rejects.toThrow(/Failed to connect/);
    expect(refusedHandshakes).toBeGreaterThan(before); // the TLS handshake failed, nothing reached Temporal
  });
});
