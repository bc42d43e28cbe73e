/**
 * Failed API key attempts (`Authorization: Bearer ffk_…` that names no valid key), per source address:
 * at most `max` in a window of `windowMs`, after which the address is answered 429 without a database
 * look-up until the window ends; and audited in aggregate, not one row per attempt (issue 15): the
 * window's first failure at once (`api_key_failed`, so that a single mistake is visible), and, when the
 * window ends, one summary row of all the others (how many, which key ids, why, how many were
 * refused by the limit). Counted per API instance, as the other rate limits are.
 */
import type { Db } from '../db';
import { audit } from './audit';
import { KEY_PREFIX } from './api-keys';

interface Window {
  since: number;
  ip: string;
  /** Failed look-ups in the window (the first already audited). */
  failures: number;
  /** Attempts refused by the limit, without a look-up. */
  limited: number;
  keys: Set<string>;
  reasons: Record<string, number>;
  timer: NodeJS.Timeout;
}

/** Key ids listed in a summary row, at most. */
const KEYS_LISTED = 20;

export function keyFailureLimit(db: Db, { max, windowMs }: { max: number; windowMs: number }) {
  const windows = new Map<string, Window>();
  const pending = new Set<Promise<unknown>>();
  const track = (p: Promise<unknown>) => {
    pending.add(p);
    void p.finally(() => pending.delete(p));
  };

  const summarize = (w: Window) => {
    windows.delete(w.ip);
    clearTimeout(w.timer);
    const more = w.failures - 1 + w.limited;
    if (more <= 0) return;
    const keys = [...w.keys];
    track(
      audit(db, {
        actor: { kind: 'anonymous', id: keys.length === 1 ? `${KEY_PREFIX}${keys[0]}` : 'api-key', name: 'api-key' },
        action: 'api_key_failed',
        ...(keys.length === 1 ? { target: keys[0] } : {}),
        ip: w.ip,
        outcome: 'refused',
        detail: {
          aggregated: true,
          attempts: more,
          since: new Date(w.since).toISOString(),
          until: new Date(Math.min(Date.now(), w.since + windowMs)).toISOString(),
          failures: w.failures - 1,
          rateLimited: w.limited,
          reasons: w.reasons,
          keys: keys.slice(0, KEYS_LISTED),
        },
      }).catch(() => undefined),
    );
  };

  return {
    /** Seconds until this address may try again when it has failed `max` times in its window; 0 otherwise (then counted). */
    limited(ip: string): number {
      const w = windows.get(ip);
      if (!w || w.failures < max) return 0;
      w.limited += 1;
      return Math.max(1, Math.ceil((w.since + windowMs - Date.now()) / 1000));
    },

    /** A failed look-up from this address; the window's first is audited now. */
    async failed(ip: string, keyId: string | undefined, reason: string | undefined): Promise<void> {
      let w = windows.get(ip);
      const why = reason ?? 'unknown';
      if (w) {
        w.failures += 1;
        if (keyId) w.keys.add(keyId);
        w.reasons[why] = (w.reasons[why] ?? 0) + 1;
        return;
      }
      const since = Date.now();
      w = { since, ip, failures: 1, limited: 0, keys: new Set(), reasons: {}, timer: setTimeout(() => summarize(w!), windowMs) };
      w.timer.unref();
      windows.set(ip, w);
      const id = keyId ? `${KEY_PREFIX}${keyId}` : 'api-key';
      await audit(db, { actor: { kind: 'anonymous', id, name: id }, action: 'api_key_failed', target: keyId, ip, outcome: 'refused', detail: { reason } });
    },

    /** Write the summaries of the windows still open (the app is closing). */
    async close(): Promise<void> {
      for (const w of [...windows.values()]) summarize(w);
      await Promise.all(pending);
    },
  };
}
