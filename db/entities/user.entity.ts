import { defineEntity, p } from '@mikro-orm/core';

/** People who log in. Passwords are scrypt hashes. */
export const User = defineEntity({
  name: 'User',
  tableName: 'app_user',
  properties: {
    id: p.string().primary(),
    username: p.string().unique(),
    name: p.string(),
    passwordHash: p.string(),
    roles: p.json<string[]>(),
    town: p.string().nullable(),
    village: p.string().nullable(),
    department: p.string().nullable(),
    /** 职务 (contracts/posts.ts): district, town or village Party secretary, or first secretary; none for most users. */
    post: p.string().nullable(),
    active: p.boolean().default(true),
    /** Set when an administrator chose the password (a new account, a reset); cleared when the user sets their own. */
    mustChangePassword: p.boolean().default(false),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});

/** Login sessions; only the token's hash is stored. */
export const Session = defineEntity({
  name: 'Session',
  tableName: 'session',
  properties: {
    tokenHash: p.string().primary(),
    userId: p.string().index(),
    createdAt: p.datetime(),
    expiresAt: p.datetime(),
  },
});
