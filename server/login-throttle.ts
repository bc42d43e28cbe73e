/**
 * Failed logins, counted per username whether or not such a user exists, so that no answer (status,
 * body, about the time it takes) tells a real username from an invented one (issue 15). Instead of one
 * hard lock, a progressive delay: the first failures are free, then each further one locks the username
 * for longer (1, 2, 4, 8 minutes, then 15 at most), so that a mistyping officer is slowed a minute and
 * a guesser to a few tries an hour, and nobody can keep an account shut for long without keeping at it.
 * A success, an administrator's unlock (POST /api/users/:id/unlock) or a day without failures clears it.
 * Kept in the database, so every API instance counts and locks alike.
 */
import { UniqueConstraintViolationException, raw } from '@mikro-orm/core';
import { LoginThrottle } from '../db';
import type { Db } from '../db';

/** Consecutive failures answered 401; the next one, and each after it, locks. */
export const FREE_FAILURES = 4;
const FIRST_LOCK_MS = 60_000;
export const LONGEST_LOCK_MS = 15 * 60_000;
/** Failures further apart than this start the count again. */
const FORGET_AFTER_MS = 24 * 3600_000;

/** How long the `failures`-th consecutive failure locks the username (0: not at all). */
export function lockFor(failures: number): number {
  if (failures <= FREE_FAILURES) return 0;
  return Math.min(LONGEST_LOCK_MS, FIRST_LOCK_MS * 2 ** (failures - FREE_FAILURES - 1));
}

/** The end of the username's lock, when it is locked now. */
export async function lockedUntil(db: Db, username: string, now = new Date()): Promise<Date | undefined> {
  const row = await db.em().findOne(LoginThrottle, { username }, { refresh: true });
  return row?.lockedUntil && row.lockedUntil.getTime() > now.getTime() ? row.lockedUntil : undefined;
}

/** Count a failure (atomically: concurrent attempts on several instances all count); the lock it sets, if any. */
export async function countFailure(db: Db, username: string, now = new Date()): Promise<{ failures: number; lockedUntil?: Date }> {
  const em = db.em();
  // A count left from long ago starts again.
  await em.nativeUpdate(LoginThrottle, { username, lastFailedAt: { $lt: new Date(now.getTime() - FORGET_AFTER_MS) } }, { failures: 0, lockedUntil: null });
  const increment = () => em.nativeUpdate(LoginThrottle, { username }, { failures: raw('failures + 1'), lastFailedAt: now });
  if (!(await increment())) {
    try {
      await em.insert(LoginThrottle, { username, failures: 1, lastFailedAt: now, lockedUntil: null });
    } catch (err) {
      if (!(err instanceof UniqueConstraintViolationException)) throw err;
      await increment(); // another attempt inserted it meanwhile
    }
    // Now and then, forget usernames nobody has failed on for a day (an attacker's invented ones).
    if (Math.random() < 0.01) await em.nativeDelete(LoginThrottle, { lastFailedAt: { $lt: new Date(now.getTime() - FORGET_AFTER_MS) } });
  }
  const { failures } = await em.findOneOrFail(LoginThrottle, { username }, { refresh: true });
  const ms = lockFor(failures);
  if (!ms) return { failures };
  const until = new Date(now.getTime() + ms);
  await em.nativeUpdate(LoginThrottle, { username }, { lockedUntil: until });
  return { failures, lockedUntil: until };
}

/** Clear the username's count and lock (a success, an administrator's unlock); whether it was locked. */
export async function clearFailures(db: Db, username: string, now = new Date()): Promise<boolean> {
  const locked = await lockedUntil(db, username, now);
  await db.em().nativeDelete(LoginThrottle, { username });
  return !!locked;
}
