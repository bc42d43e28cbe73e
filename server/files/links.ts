/**
 * Short-lived signed links to a file (`GET /api/files/{id}/signed?u=&exp=&sig=`), for a browser that opens
 * it without the bearer token (a new window, an <img>, a download). The API signs one only for a caller
 * who may read the file now; the link is that caller's (their id is signed and the download audited in
 * their name) and lapses after LINK_TTL_MS. HMAC-SHA256 with the deployment's FILE_LINK_SECRET (several
 * API instances share it; without it each process signs with its own random key).
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const LINK_TTL_MS = 5 * 60_000;

export interface FileLink {
  id: string;
  thumbnail: boolean;
  userId: string;
  /** Milliseconds since the epoch. */
  exp: number;
}

export function fileLinkSigner(secret: string | undefined) {
  const key = secret ? Buffer.from(secret, 'utf8') : randomBytes(32);
  const mac = (l: FileLink) => createHmac('sha256', key).update(`${l.id}\n${l.thumbnail ? 't' : 'f'}\n${l.userId}\n${l.exp}`).digest('base64url');
  return {
    sign: (l: FileLink) => mac(l),
    /** Is `sig` this link's signature, and the link not lapsed at `now`? */
    verify(l: FileLink, sig: string, now = Date.now()): boolean {
      if (!(l.exp > now) || l.exp > now + LINK_TTL_MS * 2) return false;
      const want = Buffer.from(mac(l));
      const got = Buffer.from(sig);
      return want.length === got.length && timingSafeEqual(want, got);
    },
  };
}
