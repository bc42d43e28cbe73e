import { defineEntity, p } from '@mikro-orm/core';

/**
 * API keys of integrations (other government systems). The key `ffk_<id>_<secret>` is shown once at
 * creation; only the SHA-256 of the secret is kept (see server/api-keys.ts for why not a slow KDF).
 * A key is never deleted, only revoked, so the audit log's references stay resolvable.
 */
export const ApiKey = defineEntity({
  name: 'ApiKey',
  tableName: 'api_key',
  properties: {
    id: p.string().primary(),
    name: p.string(),
    /** `ffk_<id>_<first 4 characters of the secret>`: enough to recognise a key, useless to use it. */
    prefix: p.string(),
    hash: p.string(),
    /** `start:<type>`, `signal:<type>.<signal>`, or an endpoint scope (contracts/authz.ts ENDPOINT_SCOPES). */
    scopes: p.json<string[]>(),
    createdBy: p.string(),
    createdAt: p.datetime(),
    revokedAt: p.datetime().nullable(),
    revokedBy: p.string().nullable(),
    lastUsedAt: p.datetime().nullable(),
  },
});
