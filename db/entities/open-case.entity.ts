import { defineEntity, p } from '@mikro-orm/core';

/**
 * The guard behind "one open case per subject": a unique (type, subject) row held while the case runs.
 * The API takes it before starting a workflow and the case's final projection releases it.
 */
export const OpenCase = defineEntity({
  name: 'OpenCase',
  tableName: 'open_case',
  properties: {
    id: p.integer().primary().autoincrement(),
    type: p.string(),
    subject: p.string(),
    processId: p.string(),
    createdAt: p.datetime(),
  },
  uniques: [{ properties: ['type', 'subject'] }],
});

/** Answers kept for Idempotency-Key retries: the same key from the same caller gets the same answer. */
export const IdempotencyRecord = defineEntity({
  name: 'IdempotencyRecord',
  tableName: 'idempotency_record',
  properties: {
    id: p.string().primary(), // `${principal}:${key}`
    requestHash: p.string(),
    status: p.integer(),
    body: p.json<unknown>().nullable(),
    createdAt: p.datetime(),
    /**
     * While pending: until when the instance working on it holds it (renewed while it works). A
     * pending record whose lease ran out belongs to a crashed instance and may be taken over.
     */
    leaseUntil: p.datetime().nullable(),
  },
});
