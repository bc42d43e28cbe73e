/**
 * Publishing a case's state to the read model, in order, one projection at a time. A burst of changes
 * (alerts arriving together) is stored by ONE projection of the newest state: a projection still waiting
 * for the one before it takes the newer snapshot instead of queueing another; the read model keeps the
 * newest revision of every row, so no revision in between is missed.
 */
import { CancellationScope, patched } from '@temporalio/workflow';
import type { CaseState } from '../contracts/steps';
import { acts, localActs } from './activity-options';

interface Pending {
  snapshot: CaseState;
  stored: Promise<void>;
}

export class Projection {
  private last: Promise<void> = Promise.resolve();
  /** The projection queued behind the one in progress, not yet started. */
  private waiting?: Pending;

  /** Store this snapshot (or a newer one). Resolves when it is stored. */
  publish(snapshot: CaseState): Promise<void> {
    // Histories from before coalescing queued one projection per revision (patched()).
    if (this.waiting && patched('coalesce-projections')) {
      this.waiting.snapshot = snapshot;
      return this.waiting.stored;
    }
    const next: Pending = { snapshot, stored: Promise.resolve() };
    // The read model is written whatever happens to the flow that changed the state (a cancelled
    // loop, a case continuing as new): projections never run in a cancellable scope.
    next.stored = this.last.then(() => {
      if (this.waiting === next) this.waiting = undefined;
      // Histories from before local projections scheduled an activity for each (patched()).
      const store = patched('local-projections') ? localActs : acts;
      return CancellationScope.nonCancellable(() => store.projectCase(next.snapshot));
    });
    this.waiting = next;
    this.last = next.stored;
    return next.stored;
  }

  /** Resolves when everything published so far is stored. */
  stored(): Promise<void> {
    return this.last;
  }
}
