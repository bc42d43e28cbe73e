/**
 * Publishing a case's state to the read model. Every commit schedules its own projection (a local
 * activity) at once, in the order the case commits: the read model keeps the newest revision of every
 * row, so projections finishing out of order change nothing, and no revision is missed.
 *
 * Why not fewer: a projection that waited for the one before it and then took the newest snapshot
 * (coalescing, histories before `projection-per-commit`) made the number of projections depend on when
 * local activities complete. A replay hands several completions to the workflow at once where the live
 * run had them one by one, so a replay could coalesce where the live run did not, and a case whose
 * parallel branches opened steps together no longer replayed ("Missing associated machine for
 * LocalActivity"). Scheduled at the commit, the projections follow the case's own order only.
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
  /** Before `projection-per-commit`: the projection queued behind the one in progress, not yet started. */
  private waiting?: Pending;
  private outstanding = new Set<Promise<void>>();

  /** Store this snapshot. Resolves when it (or a newer one) is stored. */
  publish(snapshot: CaseState): Promise<void> {
    if (patched('projection-per-commit')) {
      // The read model is written whatever happens to the flow that changed the state (a cancelled
      // loop, a case continuing as new): projections never run in a cancellable scope.
      const stored = CancellationScope.nonCancellable(() => localActs.projectCase(snapshot));
      this.outstanding.add(stored);
      void stored.then(
        () => this.outstanding.delete(stored),
        () => this.outstanding.delete(stored),
      );
      return stored;
    }
    return this.publishCoalesced(snapshot);
  }

  /** Resolves when everything published so far is stored. */
  stored(): Promise<void> {
    // Before `projection-per-commit` nothing is outstanding: the same promise as then, no extra turn.
    return this.outstanding.size ? Promise.all([this.last, ...this.outstanding]).then(() => undefined) : this.last;
  }

  /** Histories from before `projection-per-commit`: one projection at a time, a burst stored by one of the newest state. */
  private publishCoalesced(snapshot: CaseState): Promise<void> {
    // Histories from before coalescing queued one projection per revision (patched()).
    if (this.waiting && patched('coalesce-projections')) {
      this.waiting.snapshot = snapshot;
      return this.waiting.stored;
    }
    const next: Pending = { snapshot, stored: Promise.resolve() };
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
}
