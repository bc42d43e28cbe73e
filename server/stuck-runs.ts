/**
 * The runs a worker of this process took out of its cache for a non-determinism failure: the watchdog
 * (server/watchdog.ts) looks at these on its next turn instead of describing every running case.
 *
 * A case stuck on such a failure fails each workflow task it is given, and each failure evicts it from
 * the worker's cache with the reason NONDETERMINISM: the worker is the first to know. (A full sweep
 * over every running case, which costs one DescribeWorkflowExecution per case, still runs at start-up and
 * then rarely, for cases a worker of another process saw.)
 */
import type { Worker } from '@temporalio/worker';
import proto from '@temporalio/proto';

// (a CommonJS module: Node's ESM loader sees its default export only, not its named ones)
const { NONDETERMINISM } = proto.coresdk.workflow_activation.RemoveFromCache.EvictionReason;

/** How many turns of the watchdog a nominated run stays a candidate while it is not (yet) seen stuck. */
export const CANDIDATE_TURNS = 10;

interface Eviction {
  runId: string;
  evictJob: { reason?: number | null; message?: string | null };
}

export class StuckRuns {
  /** run id → turns left */
  private readonly candidates = new Map<string, number>();

  nominate(runId: string): void {
    this.candidates.set(runId, CANDIDATE_TURNS);
  }

  /** The candidates for this turn; each counts one turn down and is dropped when none are left. */
  turn(): string[] {
    const runs = [...this.candidates.keys()];
    for (const [runId, left] of this.candidates) {
      if (left <= 1) this.candidates.delete(runId);
      else this.candidates.set(runId, left - 1);
    }
    return runs;
  }

  /** A run that was repaired, or that the watchdog gave up on, is no candidate any more. */
  settled(runId: string): void {
    this.candidates.delete(runId);
  }

  get size(): number {
    return this.candidates.size;
  }

  /**
   * Listen to the worker's evictions. The SDK (1.24) announces them on a protected emitter only, so this
   * reaches for it; tests/faults/watchdog.test.ts fails if an SDK upgrade takes it away.
   */
  watch(worker: Worker): void {
    const emitter = (worker as unknown as { evictionsEmitter?: { on(event: 'eviction', fn: (e: Eviction) => void): void } }).evictionsEmitter;
    if (!emitter) throw new Error('this Temporal SDK announces no evictions: the watchdog would only find stuck cases by its full sweeps');
    emitter.on('eviction', ({ runId, evictJob }) => {
      if (evictJob.reason === NONDETERMINISM) this.nominate(runId);
    });
  }
}

/** The process's one registry: the worker nominates, the watchdog looks. */
export const stuckRuns = new StuckRuns();
