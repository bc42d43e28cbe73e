/**
 * How many of a case's flows (the process body and what it spawned) are running rather than waiting on
 * people or on time. Zero means the case is quiet: nothing will change until someone acts or a timer
 * fires — the moment to answer a person's submission, since lists already show where the case went.
 */
import { condition, isCancellation, sleep, type CancellationScope } from '@temporalio/workflow';

export class Quiescence {
  private busy = 0;

  /** Resolves once every flow waits. */
  quiet(): Promise<void> {
    return condition(() => this.busy === 0);
  }

  /** A flow waits (for people, for time, for handlers): it counts as quiet meanwhile. */
  async waiting<T>(wait: () => Promise<T>): Promise<T> {
    this.busy -= 1;
    try {
      return await wait();
    } finally {
      this.busy += 1;
    }
  }

  /** Wait for people's input. */
  waitFor(pred: () => boolean): Promise<void> {
    return this.waiting(() => condition(pred));
  }

  /** Wait for time. */
  sleep(ms: number): Promise<void> {
    return this.waiting(() => sleep(ms));
  }

  /** Run a flow (the body, or one beside it); it counts as busy while it runs. */
  run<T>(flow: () => Promise<T>, scope?: CancellationScope): Promise<T> {
    this.busy += 1;
    const running = scope ? scope.run(flow) : flow();
    return running.finally(() => {
      this.busy -= 1;
    });
  }

  /** Run a flow beside the process body; a cancellation ends it quietly. */
  spawn(flow: () => Promise<void>, scope?: CancellationScope): void {
    this.run(flow, scope).catch((err) => {
      if (!isCancellation(err)) throw err;
    });
  }
}
