/**
 * Fault injection for the fault tests (tests/faults/): `FANGFAN_FAILPOINT=<name>` makes the process die
 * at that point, as abruptly as a power cut (SIGKILL to itself: no handler, no flush, no answer). Inert
 * when the variable is unset, which it is everywhere but in those tests.
 *
 * - `after-accept`: an idempotent write (server/idempotency.ts) has taken effect in Temporal (case
 *   started, step update accepted, signal delivered) and the answer is neither stored nor sent.
 */
export type Failpoint = 'after-accept';

const armed = process.env.FANGFAN_FAILPOINT;

export function failpoint(name: Failpoint): void {
  if (armed === name) process.kill(process.pid, 'SIGKILL');
}
