/**
 * A case's deadlines: the overall one (e.g. identification's 15 days) and each open step's. A step or
 * case still open at its due time escalates AT that time (the time the timer was set for, so a replay or
 * a rebuild writes the same), and provisional deadlines are recomputed when the official calendar for
 * their year is published.
 */
import type { CaseEvent, CaseState } from '../contracts/steps';
import type { Due, DueRule } from '../contracts/due';
import type { CaseClock } from './case-clock';
import type { OpenStep } from './case-types';
import { deadline, type Deadline } from './deadline';

/** What the deadlines need of their case. */
export interface DeadlineHost {
  readonly state: CaseState<any>;
  readonly clock: CaseClock;
  now(): string;
  due(rule: DueRule, from?: string): Promise<Due>;
  record(kind: string, summary: string, extra?: Omit<CaseEvent, 'at' | 'kind' | 'summary'>): void;
  commit(): Promise<void>;
  stepsOpen(): Iterable<OpenStep<any>>;
}

export class CaseDeadlines {
  private overallRule?: DueRule;
  private overallTimer?: Deadline;
  /** The revision before which catchUp() changed the case, while no commit has stored it yet. */
  private caughtUpAt?: number;

  constructor(private readonly kase: DeadlineHost) {}

  async startOverall(rule: DueRule): Promise<void> {
    this.overallRule = rule;
    this.kase.state.due = await this.kase.due(rule, this.kase.state.startedAt);
    this.armOverall();
  }

  cancelOverall(): void {
    this.overallTimer?.cancel();
  }

  private armOverall(): void {
    const { kase } = this;
    this.overallTimer?.cancel();
    const due = kase.state.due;
    if (!due) return;
    this.overallTimer = deadline(due.dueAt, async () => {
      if (this.caseOverdue(due.dueAt) || this.caughtUpUnstored()) await kase.commit();
    });
  }

  armStep(step: OpenStep<any>): void {
    step.timer?.cancel();
    step.timer = deadline(step.instance.dueAt, async () => {
      if (this.stepOverdue(step) || this.caughtUpUnstored()) await this.kase.commit();
    });
  }

  /**
   * The case is about to handle an event that happened at `at`: whatever fell due before it escalates
   * first, at its due time. A timer that fires in the same workflow task as a later submission (a task
   * retried after a worker died holds both) is thus handled in time order, whatever order the SDK runs
   * them in, and the case's state does not depend on how its events were batched. The caller commits
   * (every handler of an event does; should one not, the deadline's own timer does).
   */
  catchUp(at: number): void {
    const { kase } = this;
    let changed = false;
    const overall = kase.state.due;
    if (overall && Date.parse(overall.dueAt) <= at) changed = this.caseOverdue(overall.dueAt) || changed;
    for (const step of [...kase.stepsOpen()]) if (Date.parse(step.instance.dueAt) <= at) changed = this.stepOverdue(step) || changed;
    if (changed) this.caughtUpAt = kase.state.revision;
  }

  private caughtUpUnstored(): boolean {
    const unstored = this.caughtUpAt !== undefined && this.caughtUpAt === this.kase.state.revision;
    this.caughtUpAt = undefined;
    return unstored;
  }

  /** The case passed its overall deadline (once, while running); true when this changed the case. */
  private caseOverdue(dueAt: string): boolean {
    const { kase } = this;
    if (kase.state.status !== 'running' || kase.state.overdueSince) return false;
    const due = kase.state.due!;
    kase.clock.advanceTo(dueAt);
    // The deadline's own time, even when the case's clock is already past it (an event handled before
    // the deadline was known, e.g. a signal batched with the activity that computed it): the same value
    // however the events were batched.
    kase.state.overdueSince = dueAt;
    kase.record('overdue', `已超过办理时限 ${due.dueDate} (overall deadline passed)`);
    return true;
  }

  /** An open step passed its due time (once); true when this changed the case. */
  private stepOverdue(step: OpenStep<any>): boolean {
    const { kase } = this;
    if (!step.isOpen || step.instance.escalatedAt) return false;
    kase.clock.advanceTo(step.instance.dueAt);
    step.instance.escalatedAt = step.instance.dueAt; // (as overdueSince above)
    step.options.onOverdue?.(step.instance);
    kase.record('step_overdue', `${step.instance.title.zh} 已逾期 (overdue)`, { step: step.instance.id });
    return true;
  }

  async recomputeProvisional(): Promise<void> {
    const { kase } = this;
    let changed = false;
    for (const step of kase.stepsOpen()) {
      if (!step.instance.provisional) continue;
      const due = await kase.due(step.rule, step.dueFrom);
      if (due.dueAt !== step.instance.dueAt || due.provisional !== step.instance.provisional) {
        kase.record('deadline_recomputed', `${step.instance.title.zh} 期限按正式节假日安排重算：${step.instance.dueDate} → ${due.dueDate}`, { step: step.instance.id });
        Object.assign(step.instance, due);
        if (step.isOpen) this.armStep(step);
        changed = true;
      }
    }
    const overall = kase.state.due;
    if (overall?.provisional && this.overallRule && kase.state.status === 'running') {
      const due = await kase.due(this.overallRule, kase.state.startedAt);
      if (due.dueAt !== overall.dueAt || !due.provisional) {
        kase.record('deadline_recomputed', `办理时限按正式节假日安排重算：${overall.dueDate} → ${due.dueDate}`);
        kase.state.due = due;
        if (!kase.state.overdueSince) this.armOverall();
        changed = true;
      }
    }
    if (changed) await kase.commit();
  }
}
