// The evidence file store on an S3-compatible object store (AWS S3, SeaweedFS, the Versity gateway, Ceph…),
// chosen with FILE_STORE_URL (docs/operations.md):
//
//   s3://ACCESS_KEY:SECRET_KEY@host:port/bucket[/prefix]?region=us-east-1&tls=false
//
// - ACCESS_KEY, SECRET_KEY: percent-encoded when they hold `/`, `+`, `@` or `:`.
// - host:port: the S3 endpoint, addressed path-style (`http(s)://host:port/bucket/key`), which every
//   S3-compatible server understands; the port defaults to 443 with TLS and 80 without.
// - bucket: must exist (the store does not create it); an optional prefix puts the objects under it.
// - region (default us-east-1): the signing region; tls (default true): `false` for plain HTTP.
//
// Objects are keyed by the hash, `ab/cd/<sha256>`. A put sends the body's SHA-256 along, so the server
// refuses bytes damaged on the way, and `If-None-Match: *`, so an object is never overwritten; a get checks
// the bytes against their hash. The credentials never appear in an error message: the URL is shown masked.
import { createHash } from 'node:crypto';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import type { FileStore } from './store';

/** The parts of a FILE_STORE_URL. */
export interface S3Location {
  endpoint: string;
  bucket: string;
  prefix: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
}

/** A FILE_STORE_URL that cannot be used, or a store operation that failed; never carries the credentials. */
export class FileStoreError extends Error {
  override name = 'FileStoreError';
}

const FORMAT = 's3://ACCESS_KEY:SECRET_KEY@host:port/bucket?region=us-east-1&tls=false';
const SHA256_HEX = /^[0-9a-f]{64}$/;

/** The URL with its credentials replaced by `*****`, for logs and messages. */
export function maskFileStoreUrl(url: string): string {
  return url.replace(/^([a-z0-9+.-]+:\/\/)[^@/?#]*@/i, '$1*****:*****@');
}

export function parseFileStoreUrl(url: string): S3Location {
  const shown = maskFileStoreUrl(url);
  const refuse = (rule: string): never => {
    throw new FileStoreError(`FILE_STORE_URL ${shown}: ${rule}; expected ${FORMAT}`);
  };
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return refuse('not a URL');
  }
  if (u.protocol !== 's3:') refuse(`the scheme must be s3://, not ${u.protocol}//`);
  if (!u.username || !u.password) refuse('the access key and the secret key are required before the @');
  if (!u.hostname) refuse('the host of the S3 endpoint is missing');
  const [bucket, ...prefix] = u.pathname.split('/').filter(Boolean);
  if (!bucket) refuse('the bucket is missing after the host');
  const tls = u.searchParams.get('tls') ?? 'true';
  if (tls !== 'true' && tls !== 'false') refuse(`tls must be true or false, not ${JSON.stringify(tls)}`);
  for (const key of u.searchParams.keys()) {
    if (key !== 'tls' && key !== 'region') refuse(`unknown parameter ${JSON.stringify(key)} (known: region, tls)`);
  }
  let accessKeyId = '';
  let secretAccessKey = '';
  try {
    accessKeyId = decodeURIComponent(u.username);
    secretAccessKey = decodeURIComponent(u.password);
  } catch {
    refuse('the access key or the secret key is not correctly percent-encoded');
  }
  return {
    endpoint: `${tls === 'true' ? 'https' : 'http'}://${u.host}`,
    bucket: bucket!,
    prefix: prefix.map((p) => `${p}/`).join(''),
    region: u.searchParams.get('region') || 'us-east-1',
    accessKeyId,
    secretAccessKey,
  };
}

/** The HTTP status of an S3 error (404 for a missing key, 412 when If-None-Match finds the object). */
function statusOf(e: unknown): number | undefined {
  return e instanceof S3ServiceException ? e.$metadata.httpStatusCode : undefined;
}

/** The object is not there; a missing bucket is a configuration error, not a missing file. */
function isMissingObject(e: unknown): boolean {
  return statusOf(e) === 404 && !(e instanceof S3ServiceException && e.name === 'NoSuchBucket');
}

export function s3FileStore(url: string): FileStore {
  const loc = parseFileStoreUrl(url);
  const shown = maskFileStoreUrl(url);
  const client = new S3Client({
    endpoint: loc.endpoint,
    region: loc.region,
    forcePathStyle: true,
    credentials: { accessKeyId: loc.accessKeyId, secretAccessKey: loc.secretAccessKey },
    // Checksums only where the request asks for them (our SHA-256 on put): not every S3-compatible
    // server accepts the SDK's default CRC32 trailers.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    requestHandler: { connectionTimeout: 10_000, requestTimeout: 120_000 },
  });

  const keyOf = (sha256: string) => {
    if (!SHA256_HEX.test(sha256)) throw new FileStoreError(`not a SHA-256 in lower-case hex: ${JSON.stringify(sha256.slice(0, 80))}`);
    return `${loc.prefix}${sha256.slice(0, 2)}/${sha256.slice(2, 4)}/${sha256}`;
  };
  /** A failure as an error that names the operation, the object and the masked store, and not the keys. */
  const failed = (op: string, sha256: string, e: unknown) => {
    let why = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    for (const secret of [loc.secretAccessKey, loc.accessKeyId]) why = why.split(secret).join('*****');
    const status = statusOf(e);
    return new FileStoreError(`${op} ${sha256} on ${shown} failed${status ? ` (HTTP ${status})` : ''}: ${why}`, { cause: e });
  };

  async function has(sha256: string): Promise<boolean> {
    const Key = keyOf(sha256);
    try {
      await client.send(new HeadObjectCommand({ Bucket: loc.bucket, Key }));
      return true;
    } catch (e) {
      if (isMissingObject(e)) return false; // (a HEAD has no body to say whether the bucket is missing)
      throw failed('has', sha256, e);
    }
  }

  return {
    async put(sha256, bytes) {
      const Key = keyOf(sha256);
      const actual = createHash('sha256').update(bytes).digest('hex');
      if (actual !== sha256) throw new FileStoreError(`put ${sha256}: the bytes' SHA-256 is ${actual}`);
      if (await has(sha256)) return;
      // 412: it is there already (put by someone else since the check). 409: another conditional put of the
      // same key is in flight; ask again, its answer is then 412 or the object is ours to write.
      for (let attempt = 1; ; attempt++) {
        try {
          await client.send(
            new PutObjectCommand({
              Bucket: loc.bucket,
              Key,
              Body: bytes,
              ContentLength: bytes.length,
              ContentType: 'application/octet-stream',
              ChecksumSHA256: Buffer.from(sha256, 'hex').toString('base64'),
              IfNoneMatch: '*',
            }),
          );
          return;
        } catch (e) {
          const status = statusOf(e);
          if (status === 412) return;
          if (status === 409 && attempt < 5) {
            await new Promise((r) => setTimeout(r, 50 * attempt));
            continue;
          }
          throw failed('put', sha256, e);
        }
      }
    },

    async get(sha256) {
      const Key = keyOf(sha256);
      let body: Uint8Array;
      try {
        const out = await client.send(new GetObjectCommand({ Bucket: loc.bucket, Key }));
        body = await out.Body!.transformToByteArray();
      } catch (e) {
        if (isMissingObject(e)) return undefined;
        throw failed('get', sha256, e);
      }
      const bytes = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
      const actual = createHash('sha256').update(bytes).digest('hex');
      if (actual !== sha256) throw new FileStoreError(`get ${sha256} on ${shown}: the stored bytes' SHA-256 is ${actual}; the object was changed outside this store`);
      return bytes;
    },

    has,

    async remove(sha256) {
      const Key = keyOf(sha256);
      try {
        await client.send(new DeleteObjectCommand({ Bucket: loc.bucket, Key }));
      } catch (e) {
        if (isMissingObject(e)) return;
        throw failed('remove', sha256, e);
      }
    },
  };
}
