import { defineEntity, p } from '@mikro-orm/core';

/**
 * Failed logins per username, whether or not such a user exists (server/login-throttle.ts), so that
 * the answers to a username say nothing about it; kept in the database so that every API instance
 * sees the same count and lock.
 */
export const LoginThrottle = defineEntity({
  name: 'LoginThrottle',
  tableName: 'login_throttle',
  properties: {
    /** As the client sent it. */
    username: p.string().primary(),
    /** Consecutive failures (reset by a success, an admin's unlock, or a day without failures). */
    failures: p.integer(),
    lastFailedAt: p.datetime().index(),
    lockedUntil: p.datetime().nullable(),
  },
});
