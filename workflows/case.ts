/**
 * The case runtime every process is built on: live state behind the `state` query, human steps with
 * deadlines completed through the `completeStep` update, overdue escalation, the overall deadline,
 * cancellation with a reason, provisional-deadline recomputation, and projection of every change to the
 * read model (projection.ts: a local activity per commit, the newest revision kept, so lists never lag a confirmed action).
 *
 * Deterministic by construction: every time it writes is the time of the event being handled
 * (case-clock.ts), deadlines come from an activity, waits are counted (quiescence.ts) so a submission is
 * answered once the case is quiet, and on-demand actions live in offers.ts.
 */
import { ApplicationFailure, CancellationScope, allHandlersFinished, condition, isCancellation, patched, setHandler } from '@temporalio/workflow';
import { cancelCaseUpdate, completeStepUpdate, recomputeDeadlinesSignal, settledUpdate, stateQuery } from '../contracts/messages';
import { FAILURE, type FieldRefusal, type CaseEvent, type CaseState, type CompleteStepArgs, type StepDefinition, type StepInstance } from '../contracts/steps';
import type { Actor } from '../contracts/roles';
import { mayCompleteStep } from '../contracts/authz';
import type { Due, DueRule } from '../contracts/due';
import { acts, localActs } from './activity-options';
import { CaseClock } from './case-clock';
import { shanghaiDay } from './clock';
import { CaseDeadlines } from './case-deadlines';
import { Arrivals, sentNow } from './case-arrivals';
import { Offers, takenInstance, type Offer, type StepOptions, type Submission } from './offers';
import { Projection } from './projection';
import { OpenStep, type CarriedCase } from './case-types';
import { Quiescence } from './quiescence';

export { acts } from './activity-options';
export { OpenStep, endOf, type CaseEnd, type CarriedCase } from './case-types';
export type { StepOptions, Submission } from './offers';

const refuse = (type: string, message: string | FieldRefusal) =>
  typeof message === 'string' ? ApplicationFailure.create({ type, message, nonRetryable: true }) : ApplicationFailure.create({ type, message: `${message.field}: ${message.message}`, details: [message], nonRetryable: true });

export class Case<D extends Record<string, unknown>> {
  readonly state: CaseState<D>;
  /** The time of the event the case is handling (see case-clock.ts). */
  readonly clock = new CaseClock();
  private readonly open = new Map<string, OpenStep<any>>();
  private readonly counters = new Map<string, number>();
  private readonly projection = new Projection();
  private readonly flows = new Quiescence();
  private readonly offers: Offers;
  private readonly deadlines = new CaseDeadlines(this);
  private readonly arrivals = new Arrivals(this.clock, this.deadlines);
  private cancelRequest?: { reason: string; actor: Actor };
  /** The process body has begun (set in the same tick as it starts counting as a busy flow). */
  private begun = false;
  private mainScope?: CancellationScope;
  private readonly continued: boolean;

  constructor(
    init: Omit<CaseState<D>, 'status' | 'steps' | 'events' | 'revision' | 'startedAt'> & { startedAt?: string },
    carried?: CarriedCase<D>,
  ) {
    this.state = carried
      ? { ...carried.state, data: init.data }
      : { ...init, startedAt: init.startedAt ?? this.clock.now(), status: 'running', steps: [], events: [], revision: 0 };
    this.offers = new Offers(this.state);
    this.continued = !!carried;
    if (carried) {
      this.arrivals.remember(carried.seenEventIds);
      for (const [k, n] of carried.counters) this.counters.set(k, n);
    }
  }

  /**
   * Take queries, updates and signals. Called by run(), so after the process has set itself up: an
   * update that arrived with the first task (buffered by the SDK until its handler exists) is validated
   * against the steps a continued run adopted and the actions it offers, not against an empty case.
   */
  private listen(): void {
    setHandler(stateQuery, () => this.state);
    setHandler(completeStepUpdate, (args) => this.completeStep(args), { validator: (args) => this.validateCompletion(args) });
    setHandler(cancelCaseUpdate, (args) => this.cancel(args), {
      validator: (args) => {
        if (this.state.status !== 'running') throw refuse(FAILURE.conflict, '流程已结束，不能撤销 (the case is already closed)');
        if (!args.reason?.trim()) throw refuse(FAILURE.rule, '撤销必须说明原因 (a reason is required)');
      },
    });
    setHandler(recomputeDeadlinesSignal, () => this.deadlines.recomputeProvisional());
    setHandler(settledUpdate, async () => {
      await condition(() => this.begun);
      await this.quiet();
      return { status: this.state.status, openSteps: this.state.steps.filter((s) => s.status === 'open').map((s) => s.id) };
    });
  }

  // ---------- timeline and projection ----------

  /** The time of the event being handled (ISO 8601). */
  now(): string {
    return this.clock.now();
  }

  /** The Shanghai date of the event being handled (YYYY-MM-DD). */
  day(): string {
    return shanghaiDay(this.clock.nowMs());
  }

  record(kind: string, summary: string, extra: Omit<CaseEvent, 'at' | 'kind' | 'summary'> = {}): void {
    this.state.events.push({ at: this.now(), kind, summary, ...extra });
  }

  /** Publish the current state to the read model. Resolves when this revision (or a newer one) is stored. */
  commit(): Promise<void> {
    this.state.revision += 1;
    return this.projection.publish(JSON.parse(JSON.stringify(this.state)) as CaseState);
  }

  /** Let a department see this case (it raised an alert, it is asked for an opinion…). */
  involve(department: string | undefined): void {
    if (!department) return;
    this.state.departments ??= [];
    if (!this.state.departments.includes(department)) this.state.departments.push(department);
  }

  setStage(stage: string): void {
    this.state.stage = stage;
  }

  /**
   * A delivery arrives (a signal, a settlement): the case moves to the time it was received. False when
   * its event id was seen before (a duplicate delivery).
   */
  firstDelivery(eventId: string | undefined, receivedAt?: string): boolean {
    return this.arrivals.first(eventId, receivedAt);
  }

  /** The case handles an event that happened at `at` (case-arrivals.ts). */
  moveTo(at: string | number | undefined): void {
    this.arrivals.moveTo(at);
  }

  // ---------- deadlines ----------

  async due(rule: DueRule, from: string = this.now()): Promise<Due> {
    // A local activity: computed inside the workflow task that opens the step, one marker in the history.
    // Histories from before it scheduled an activity task (three events and a workflow task more) for each.
    return (patched('local-due') ? localActs : acts).computeDue({ rule, from });
  }

  /** Start the overall deadline (e.g. identification's 15 days). */
  startOverallDeadline(rule: DueRule): Promise<void> {
    return this.deadlines.startOverall(rule);
  }

  // ---------- steps ----------

  /**
   * Open a human step; returns once it is recorded and visible in lists. The due rule counts from
   * `dueFrom` (default: now), e.g. a month's first day for a monthly visit.
   */
  async openStep<F>(def: StepDefinition, rule: DueRule, options: StepOptions<F> = {}, dueFrom?: string): Promise<OpenStep<F>> {
    const n = this.next(def.key);
    const openedAt = this.now();
    const due = await this.due(rule, dueFrom ?? openedAt);
    const instance: StepInstance = {
      id: `${def.key}-${n}`,
      key: def.key,
      title: def.title,
      role: def.role,
      scope: def.scope,
      department: def.department,
      status: 'open',
      openedAt,
      ...due,
      context: options.context,
      ...(options.assignee ? { assignee: options.assignee } : {}),
    };
    const step = new OpenStep<F>(instance, rule, options, dueFrom ?? openedAt);
    if (dueFrom) instance.context = { ...instance.context, dueFrom };
    this.state.steps.push(instance);
    this.open.set(instance.id, step);
    this.record('step_opened', `${def.title.zh} 开始，${due.dueDate} 前办结${due.provisional ? '（暂定）' : ''}`, { step: instance.id });
    this.deadlines.armStep(step);
    await this.commit();
    return step;
  }

  private next(key: string): number {
    const n = (this.counters.get(key) ?? 0) + 1;
    this.counters.set(key, n);
    return n;
  }

  /** Withdraw an open step (e.g. the notice after an upheld objection). */
  async cancelStep(step: OpenStep<any>, reason: string): Promise<void> {
    if (!step.isOpen) return;
    step.timer?.cancel();
    step.instance.status = 'cancelled';
    step.instance.cancelReason = reason;
    step.instance.completedAt = this.now();
    this.open.delete(step.instance.id);
    this.record('step_cancelled', `${step.instance.title.zh} 撤回：${reason}`, { step: step.instance.id });
    await this.commit();
  }

  private findOpen(args: CompleteStepArgs): OpenStep<any> {
    if (args.stepId) {
      const step = this.open.get(args.stepId);
      if (step && step.instance.key === args.stepKey) return step;
    } else {
      for (const step of this.open.values()) if (step.instance.key === args.stepKey) return step;
    }
    // The API answers 404 for keys the process does not have; here the key exists but is not open.
    throw refuse(FAILURE.conflict, `「${args.stepKey}」当前不在办理中 (the step is not open now)`);
  }

  private validateCompletion(args: CompleteStepArgs): void {
    if (this.arrivals.seenBefore(args.eventId)) return; // a duplicate delivery: answered with the current state
    if (this.state.status !== 'running') throw refuse(FAILURE.conflict, '流程已结束 (the case is closed)');
    const offer = this.offers.get(args.stepKey);
    const step = offer ? undefined : this.findOpen(args);
    const probe = offer ? Offers.probe(offer) : step!.instance;
    if (!mayCompleteStep(args.actor, probe, this.state)) {
      const title = offer ? offer.def.title : step!.instance.title;
      throw refuse(FAILURE.forbidden, `无权办理「${title.zh}」(${offer ? 'not allowed' : 'not allowed to complete this step'})`);
    }
    const refusal = (offer?.options ?? step!.options).validate?.(args.form, args.actor, probe as StepInstance);
    if (refusal) throw refuse(FAILURE.rule, refusal);
  }

  private async completeStep(args: CompleteStepArgs): Promise<CaseState> {
    if (!this.firstDelivery(args.eventId, args.at ?? sentNow())) return this.state;
    const offer = this.offers.get(args.stepKey);
    if (offer) return this.takeOffer(offer, args);
    const step = this.findOpen(args);
    const at = this.now();
    step.timer?.cancel();
    step.instance.status = 'done';
    step.instance.completedAt = at;
    step.instance.completedBy = args.actor;
    step.instance.result = args.form;
    if (args.files?.length) step.instance.evidence = args.files;
    step.submission = { form: args.form, actor: args.actor, at };
    this.open.delete(step.instance.id);
    this.record('step_done', `${step.instance.title.zh} 完成`, { step: step.instance.id, actor: { id: args.actor.id, name: args.actor.name } });
    await this.commit();
    // The commit spans at least one activation, so by now every flow this submission woke is
    // running. Answer once they all wait again (the next step is open), so the caller sees where
    // the case went and lists already show it.
    await this.quiet();
    return this.state;
  }

  private async quiet(): Promise<void> {
    await this.flows.quiet();
    await this.projection.stored();
  }

  /** Wait for people's input; every wait of a process on steps or signals goes through here. */
  waitFor(pred: () => boolean): Promise<void> {
    return this.flows.waitFor(pred);
  }

  /** Wait until an instant (e.g. a month's first day); the case's clock is then at that instant. */
  async sleepUntil(at: number): Promise<void> {
    await this.flows.sleep(Math.max(1, at - Date.now()));
    this.moveTo(at);
  }

  /** Wait for time (a flow sleeping counts as quiet); the case's clock moves on by as much. */
  async sleep(ms: number): Promise<void> {
    const from = this.clock.nowMs();
    await this.flows.sleep(ms);
    this.moveTo(from + ms);
  }

  /** Run a flow beside the process body (e.g. a monthly loop); it counts as busy while it runs. */
  spawn(flow: () => Promise<void>, scope?: CancellationScope): void {
    this.flows.spawn(flow, scope);
  }

  /** Wait until the step is completed and return what was submitted. */
  async completion<F>(step: OpenStep<F>): Promise<Submission<F>> {
    await this.waitFor(() => step.isSubmitted);
    return step.submission!;
  }

  // ---------- on-demand actions ----------

  /** Offer an on-demand action (e.g. propose risk elimination) until withdrawn. */
  offer<F>(def: StepDefinition, options: StepOptions<F>, onTaken: (submission: Submission<F>, instance: StepInstance) => void): void {
    this.offers.add({ def, options, onTaken });
  }

  withdraw(key: string): void {
    this.offers.withdraw(key);
  }

  private async takeOffer(offer: Offer, args: CompleteStepArgs): Promise<CaseState> {
    const n = this.next(offer.def.key);
    const at = this.now();
    const instance = takenInstance(offer, `${offer.def.key}-${n}`, args, at);
    this.state.steps.push(instance);
    this.record('step_done', `${offer.def.title.zh}`, { step: instance.id, actor: { id: args.actor.id, name: args.actor.name } });
    offer.onTaken({ form: args.form, actor: args.actor, at }, instance);
    await this.commit();
    await this.quiet();
    return this.state;
  }

  // ---------- long-lived cases ----------

  /** Take back the open steps a previous run carried (continue-as-new); their timers restart. */
  adopt<F>(instance: StepInstance, rule: DueRule, options: StepOptions<F> = {}): OpenStep<F> {
    const dueFrom = typeof instance.context?.dueFrom === 'string' ? instance.context.dueFrom : instance.openedAt;
    const step = new OpenStep<F>(instance, rule, options, dueFrom);
    if (!this.state.steps.includes(instance)) this.state.steps.push(instance);
    this.open.set(instance.id, step);
    this.deadlines.armStep(step);
    return step;
  }

  /** What the next run needs, with closed steps dropped (the read model keeps them) and the timeline capped. */
  carry(keepEvents = 100): CarriedCase<D> {
    const state = JSON.parse(JSON.stringify(this.state)) as CaseState<D>;
    state.steps = state.steps.filter((s) => s.status === 'open');
    state.events = state.events.slice(-keepEvents);
    return { state, seenEventIds: this.arrivals.ids(), counters: [...this.counters.entries()] };
  }

  /** Wait until everything is stored and no handler runs: the moment to continue as new. */
  async settle(): Promise<void> {
    // Waiting for handlers counts as quiet: a handler may itself be waiting for the case to be quiet.
    await this.flows.waiting(async () => {
      await this.projection.stored();
      await condition(allHandlersFinished);
    });
  }

  /** Open steps by key (for a long-lived process that re-adopts them). */
  openSteps(): OpenStep<any>[] {
    return [...this.open.values()];
  }

  /** The open steps as they are while iterated (a step closed meanwhile is skipped). */
  stepsOpen(): IterableIterator<OpenStep<any>> {
    return this.open.values();
  }

  // ---------- running and closing ----------

  /** Run the process body; handles cancellation and the final projection. */
  async run(body: () => Promise<{ status: 'completed' | 'rejected'; result: string; reasons?: string }>): Promise<CaseState<D>> {
    this.listen();
    if (this.continued) this.record('continued', '案件延续至新的运行以控制历史长度 (continued as new)');
    else this.record('started', `流程发起 (case started)`);
    await this.commit();
    const scope = new CancellationScope();
    this.mainScope = scope;
    if (this.cancelRequest) scope.cancel(); // cancelled before the body began
    try {
      this.begun = true;
      const outcome = await this.flows.run(body, scope);
      this.state.status = outcome.status;
      this.state.outcome = { result: outcome.result, reasons: outcome.reasons };
      this.record('closed', outcome.reasons ? `${outcome.result}：${outcome.reasons}` : outcome.result);
    } catch (err) {
      if (!isCancellation(err) || !this.cancelRequest) throw err;
      this.state.status = 'cancelled';
      this.state.outcome = { result: '已撤销 (cancelled)', reasons: this.cancelRequest.reason };
      this.record('cancelled', `流程撤销：${this.cancelRequest.reason}`, { actor: { id: this.cancelRequest.actor.id, name: this.cancelRequest.actor.name } });
    }
    await CancellationScope.nonCancellable(async () => {
      this.deadlines.cancelOverall();
      for (const step of [...this.open.values()]) {
        step.timer?.cancel();
        step.instance.status = 'cancelled';
        step.instance.cancelReason = '流程已结束 (case closed)';
        this.open.delete(step.instance.id);
      }
      this.state.closedAt = this.now();
      await this.commit();
      await condition(allHandlersFinished);
    });
    return this.state;
  }

  private async cancel(args: { reason: string; actor: Actor; at?: string }): Promise<CaseState> {
    this.moveTo(args.at ?? sentNow());
    this.cancelRequest = args;
    this.mainScope?.cancel();
    await condition(() => this.state.status === 'cancelled' && this.state.closedAt !== undefined);
    await this.projection.stored();
    return this.state;
  }
}
