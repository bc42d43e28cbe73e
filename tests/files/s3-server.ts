/**
 * A real S3-compatible server for a test file: the Versity gateway (scripts/lib/s3-server.mjs) on a free
 * port, serving a temporary folder, with one empty bucket. `url` is a FILE_STORE_URL for it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { ensureS3Server, startS3Server, type S3Server } from '../../scripts/lib/s3-server.mjs';

export type TestS3 = { server: S3Server; dir: string; bucket: string; url: string; stop(): Promise<void> };

const log = (msg: string) => console.log(`[s3-server] ${msg}`);

/** Builds the server the first time (several minutes); give the hook that calls it a long timeout. */
export const BUILD_TIMEOUT_MS = 30 * 60_000;

export function buildS3Server(): Promise<string> {
  return ensureS3Server({ log });
}

export async function startTestS3(bucket = 'evidence'): Promise<TestS3> {
  const serverPath = await buildS3Server();
  const dir = mkdtempSync(join(tmpdir(), 'fangfan-s3-'));
  const server = await startS3Server({ serverPath, dir, log: () => {} });
  const client = new S3Client({
    endpoint: server.endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey },
  });
  try {
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
  } catch (e) {
    await server.stop();
    throw new Error(`creating the bucket ${bucket} on ${server.endpoint} failed: ${e}\n${server.output()}`);
  } finally {
    client.destroy();
  }
  const key = (s: string) => encodeURIComponent(s);
  return {
    server,
    dir,
    bucket,
    url: `s3://${key(server.accessKeyId)}:${key(server.secretAccessKey)}@${server.host}:${server.port}/${bucket}?region=us-east-1&tls=false`,
    stop: async () => {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
