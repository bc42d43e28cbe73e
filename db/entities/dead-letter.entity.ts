import { defineEntity, p } from '@mikro-orm/core';

/**
 * An integration event that matched no case and could not start one (an alert for an unknown
 * household, a signal to a closed case…): kept with its reason so that an administrator can replay
 * it once the cause is fixed. Identical undelivered events from one source share a letter (`attempts`).
 */
export const DeadLetter = defineEntity({
  name: 'DeadLetter',
  tableName: 'dead_letter',
  properties: {
    id: p.string().primary(),
    /** The API key that sent it. */
    source: p.string().index(),
    sourceName: p.string(),
    /** `POST /api/alerts`, `POST /api/processes/:id/signals/:signal`, `POST /api/processes`. */
    endpoint: p.string(),
    /** What was delivered: `{ params, body }`. */
    payload: p.json<{ params?: Record<string, string>; body: unknown }>(),
    reason: p.text(),
    /** The status the sender was answered. */
    status: p.integer(),
    /** sha256 of source, endpoint and payload: a repeated delivery joins its letter. */
    fingerprint: p.string().index(),
    attempts: p.integer().default(1),
    receivedAt: p.datetime().index(),
    replayedAt: p.datetime().nullable(),
    replayedBy: p.string().nullable(),
    replayResult: p.json<{ ok: boolean; status: number; body: unknown }>().nullable(),
  },
});
