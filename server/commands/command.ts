/**
 * The shape every command shares. A command checks first (who may do it, to which case, with what
 * input) and acts second: the routes take the idempotency record between the two (server/idempotency.ts),
 * so that a request refused by the checks can be corrected and sent again under the same key.
 */

/** One attempt at a command's effect. */
export interface Attempt {
  /** The business event id every retry of the same request repeats: the case takes an event once. */
  eventId?: string;
  /** What a crashed earlier attempt reserved before acting (the id of the case it was starting). */
  reserved?: Record<string, unknown>;
  /** Record what this attempt is about to create, before creating it, so that a takeover finds it. */
  reserve?(data: Record<string, unknown>): Promise<void>;
}

/** A command whose checks passed. */
export interface Ready<Result> {
  run(attempt?: Attempt): Promise<Result>;
}
