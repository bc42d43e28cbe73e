/**
 * A deadline: a timer to an instant that can be withdrawn (the step was completed in time) or moved
 * (recomputed). The one way workflows wait for a due time beside their main flow.
 */
import { CancellationScope, isCancellation, sleep } from '@temporalio/workflow';

export interface Deadline {
  /** Withdraw it; its callback never runs. */
  cancel(): void;
}

/** Run `onDue` when the instant `at` (ISO 8601 or epoch ms) is reached, unless cancelled first. */
export function deadline(at: string | number, onDue: () => void | Promise<void>): Deadline {
  const due = typeof at === 'number' ? at : Date.parse(at);
  const scope = new CancellationScope();
  scope
    .run(() => sleep(Math.max(0, due - Date.now())))
    .then(onDue)
    .catch((err) => {
      if (!isCancellation(err)) throw err;
    });
  return { cancel: () => scope.cancel() };
}
