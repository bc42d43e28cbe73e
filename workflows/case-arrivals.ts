/**
 * What reaches a case from outside — signals, settlements, submissions — and when: each event id is
 * taken once (a duplicate delivery is dropped), and the case moves to the time the event was received,
 * escalating first whatever fell due before then (case-deadlines.ts), so events are handled in time
 * order however the SDK batched them.
 */
import type { CaseClock } from './case-clock';
import type { CaseDeadlines } from './case-deadlines';

/** How many event ids a case remembers for deduplication (ids older than this are long settled). */
const EVENT_ID_MEMORY = 500;

/**
 * The time of an update that does not say when it was received (a client other than the API, e.g. a
 * test through Temporal's client): the workflow clock of the task that delivered it.
 */
export const sentNow = () => new Date(Date.now()).toISOString();

export class Arrivals {
  private readonly seen: string[] = [];

  constructor(
    private readonly clock: CaseClock,
    private readonly deadlines: CaseDeadlines,
  ) {}

  /** The ids a continued run carries over. */
  remember(ids: string[]): void {
    this.seen.push(...ids);
  }

  seenBefore(eventId: string | undefined): boolean {
    return !!eventId && this.seen.includes(eventId);
  }

  /** A delivery arrives: false when its event id was seen before; otherwise the case moves to its time. */
  first(eventId: string | undefined, receivedAt?: string): boolean {
    if (this.seenBefore(eventId)) return false;
    this.moveTo(receivedAt);
    if (!eventId) return true;
    this.seen.push(eventId);
    if (this.seen.length > EVENT_ID_MEMORY) this.seen.shift();
    return true;
  }

  /** The case handles an event that happened at `at`: what fell due before then escalates first, at its due time. */
  moveTo(at: string | number | undefined): void {
    if (at === undefined) return;
    if (this.clock.logical) this.deadlines.catchUp(typeof at === 'number' ? at : Date.parse(at));
    this.clock.advanceTo(at);
  }

  ids(): string[] {
    return [...this.seen];
  }
}
