/**
 * The case runtime every process is built on: live state behind the `state` query, human steps with
 * deadlines completed through the `completeStep` update, overdue escalation by timers, the overall
 * deadline, cancellation with a reason, provisional-deadline recomputation, and projection of every
 * change to the read model (through a local activity, in order, so lists never lag a confirmed action).
 *
 * Deterministic by construction: time comes from the workflow clock, deadlines from an activity.
 */
import {
  ApplicationFailure,
  CancellationScope,
  allHandlersFinished,
  condition,
  isCancellation,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  sleep,
} from '@temporalio/workflow';
import type { createActivities } from '../activities';
import { cancelCaseUpdate, completeStepUpdate, recomputeDeadlinesSignal, stateQuery } from '../contracts/messages';
import {
  FAILURE,
  type CaseEvent,
  type CaseState,
  type CompleteStepArgs,
  type StepDefinition,
  type StepInstance,
} from '../contracts/steps';
import type { Actor } from '../contracts/roles';
import { mayCompleteStep } from '../contracts/authz';
import type { Due, DueRule } from '../contracts/due';

type Activities = ReturnType<typeof createActivities>;

/** Short: an activity lost with a killed worker is retried elsewhere soon (they all are idempotent). */
const ACTIVITY_OPTIONS = {
  startToCloseTimeout: '15 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', backoffCoefficient: 2 },
} as const;

export const acts = proxyActivities<Activities>(ACTIVITY_OPTIONS);

/**
 * The read model's projection, as a local activity: it runs in the worker inside the workflow task that
 * made the change, so a change costs one workflow task and one marker in the history (not an activity
 * task, its three events with the whole state as input, and a second workflow task). Retried like the
 * others; a killed worker's task is retried elsewhere and the projection (idempotent by revision) with it.
 */
const local = proxyLocalActivities<Activities>(ACTIVITY_OPTIONS);

/** How many event ids a case remembers for deduplication (ids older than this are long settled). */
const EVENT_ID_MEMORY = 500;

export interface StepOptions<F> {
  /** Business rules checked before the update is accepted; return the refusal message (→ 422). */
  validate?: (form: F, actor: Actor, step: StepInstance) => string | undefined;
  context?: Record<string, unknown>;
  /** The one person who completes it (steps of scope `assignee`). */
  assignee?: { id: string; name: string };
  /** Called (inside the workflow) when the step's due time passes while it is open. */
  onOverdue?: (step: StepInstance) => void;
}

/** An on-demand action the case offers (see StepDefinition.onDemand). */
interface Offer {
  def: StepDefinition;
  options: StepOptions<any>;
  onTaken: (submission: Submission<any>, instance: StepInstance) => void;
}

/**
 * What a child case answers its parent when it ends: how it ended, not its whole state (the parent's
 * history keeps every child's answer; a village part's hundred visits would carry ~3 KB each).
 */
export interface CaseEnd {
  processId: string;
  status: CaseState['status'];
  outcome?: CaseState['outcome'];
}
export const endOf = (state: CaseState<any>): CaseEnd => ({ processId: state.processId, status: state.status, outcome: state.outcome });

/** What a long-lived case carries into its next run (continue-as-new). */
export interface CarriedCase<D> {
  state: CaseState<D>;
  seenEventIds: string[];
  counters: [string, number][];
}

export interface Submission<F> {
  form: F;
  actor: Actor;
  at: string;
}

/** An open step: the main flow awaits `completion()`; the update handler fills it. */
export class OpenStep<F> {
  submission?: Submission<F>;
  timer?: CancellationScope;
  constructor(
    readonly instance: StepInstance,
    readonly rule: DueRule,
    readonly options: StepOptions<F>,
    /** The instant the due rule counts from (the opening time unless the process says otherwise). */
    readonly dueFrom: string = instance.openedAt,
  ) {}
  get isOpen(): boolean {
    return this.instance.status === 'open';
  }
  get isSubmitted(): boolean {
    return this.submission !== undefined;
  }
}

const nowIso = () => new Date(Date.now()).toISOString();

export class Case<D extends Record<string, unknown>> {
  readonly state: CaseState<D>;
  private readonly open = new Map<string, OpenStep<any>>();
  private readonly seenEventIds: string[] = [];
  private readonly counters = new Map<string, number>();
  private projection: Promise<void> = Promise.resolve();
  /** The projection queued behind the one in progress, not yet started (see commit()). */
  private waitingProjection?: { snapshot: CaseState; stored: Promise<void> };
  private overallTimer?: CancellationScope;
  private cancelRequest?: { reason: string; actor: Actor };

  private readonly offers = new Map<string, Offer>();
  private readonly continued: boolean;

  constructor(
    init: Omit<CaseState<D>, 'status' | 'steps' | 'events' | 'revision' | 'startedAt'> & { startedAt?: string },
    carried?: CarriedCase<D>,
  ) {
    this.state = carried
      ? { ...carried.state, data: init.data }
      : { ...init, startedAt: init.startedAt ?? nowIso(), status: 'running', steps: [], events: [], revision: 0 };
    this.continued = !!carried;
    if (carried) {
      this.seenEventIds.push(...carried.seenEventIds);
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
        if (this.state.status !== 'running') throw ApplicationFailure.create({ type: FAILURE.conflict, message: '流程已结束，不能撤销 (the case is already closed)', nonRetryable: true });
        if (!args.reason?.trim()) throw ApplicationFailure.create({ type: FAILURE.rule, message: '撤销必须说明原因 (a reason is required)', nonRetryable: true });
      },
    });
    setHandler(recomputeDeadlinesSignal, () => this.recomputeProvisional());
  }

  // ---------- timeline and projection ----------

  record(kind: string, summary: string, extra: Omit<CaseEvent, 'at' | 'kind' | 'summary'> = {}): void {
    this.state.events.push({ at: nowIso(), kind, summary, ...extra });
  }

  /** Publish the current state to the read model. Resolves when this revision (or a newer one) is stored. */
  commit(): Promise<void> {
    this.state.revision += 1;
    const snapshot = structuredCloneSafe(this.state) as CaseState;
    // A burst of changes (alerts arriving together) is stored by ONE projection of the newest state: a
    // projection still waiting for the one before it takes the newer snapshot instead of queueing
    // another. The projection keeps the newest revision of every row, so no revision in between is
    // missed. Histories from before this change queued one projection per revision (patched()).
    if (this.waitingProjection && patched('coalesce-projections')) {
      this.waitingProjection.snapshot = snapshot;
      return this.waitingProjection.stored;
    }
    const next: { snapshot: CaseState; stored: Promise<void> } = { snapshot, stored: Promise.resolve() };
    // The read model is written whatever happens to the flow that changed the state (a cancelled
    // loop, a case continuing as new): projections never run in a cancellable scope.
    next.stored = this.projection.then(() => {
      if (this.waitingProjection === next) this.waitingProjection = undefined;
      // Histories from before local projections scheduled an activity for each (patched()).
      const store = patched('local-projections') ? local : acts;
      return CancellationScope.nonCancellable(() => store.projectCase(next.snapshot));
    });
    this.waitingProjection = next;
    this.projection = next.stored;
    return next.stored;
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

  /** Remember an event id; false when it was seen before (a duplicate delivery). */
  firstDelivery(eventId: string | undefined): boolean {
    if (!eventId) return true;
    if (this.seenEventIds.includes(eventId)) return false;
    this.seenEventIds.push(eventId);
    if (this.seenEventIds.length > EVENT_ID_MEMORY) this.seenEventIds.shift();
    return true;
  }

  // ---------- deadlines ----------

  async due(rule: DueRule, from: string = nowIso()): Promise<Due> {
    return acts.computeDue({ rule, from });
  }

  /** Start the overall deadline (e.g. identification's 15 days). */
  private overallRule?: DueRule;
  async startOverallDeadline(rule: DueRule): Promise<void> {
    this.overallRule = rule;
    this.state.due = await this.due(rule, this.state.startedAt);
    this.armOverallTimer();
  }

  private armOverallTimer(): void {
    this.overallTimer?.cancel();
    const due = this.state.due;
    if (!due) return;
    const scope = new CancellationScope();
    this.overallTimer = scope;
    scope
      .run(() => sleep(Math.max(0, Date.parse(due.dueAt) - Date.now())))
      .then(async () => {
        if (this.state.status !== 'running') return;
        this.state.overdueSince = nowIso();
        this.record('overdue', `已超过办理时限 ${due.dueDate} (overall deadline passed)`);
        await this.commit();
      })
      .catch(ignoreCancellation);
  }

  // ---------- steps ----------

  /**
   * Open a human step; returns once it is recorded and visible in lists. The due rule counts from
   * `dueFrom` (default: now), e.g. a month's first day for a monthly visit.
   */
  async openStep<F>(def: StepDefinition, rule: DueRule, options: StepOptions<F> = {}, dueFrom?: string): Promise<OpenStep<F>> {
    const n = (this.counters.get(def.key) ?? 0) + 1;
    this.counters.set(def.key, n);
    const openedAt = nowIso();
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
    this.armStepTimer(step);
    await this.commit();
    return step;
  }

  private armStepTimer(step: OpenStep<any>): void {
    step.timer?.cancel();
    const scope = new CancellationScope();
    step.timer = scope;
    scope
      .run(() => sleep(Math.max(0, Date.parse(step.instance.dueAt) - Date.now())))
      .then(async () => {
        if (!step.isOpen) return;
        step.instance.escalatedAt = nowIso();
        step.options.onOverdue?.(step.instance);
        this.record('step_overdue', `${step.instance.title.zh} 已逾期 (overdue)`, { step: step.instance.id });
        await this.commit();
      })
      .catch(ignoreCancellation);
  }

  /** Withdraw an open step (e.g. the notice after an upheld objection). */
  async cancelStep(step: OpenStep<any>, reason: string): Promise<void> {
    if (!step.isOpen) return;
    step.timer?.cancel();
    step.instance.status = 'cancelled';
    step.instance.cancelReason = reason;
    step.instance.completedAt = nowIso();
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
    throw ApplicationFailure.create({
      type: FAILURE.conflict,
      message: `「${args.stepKey}」当前不在办理中 (the step is not open now)`,
      nonRetryable: true,
    });
  }

  private validateCompletion(args: CompleteStepArgs): void {
    if (args.eventId && this.seenEventIds.includes(args.eventId)) return; // a duplicate delivery: answered with the current state
    if (this.state.status !== 'running') {
      throw ApplicationFailure.create({ type: FAILURE.conflict, message: '流程已结束 (the case is closed)', nonRetryable: true });
    }
    const offer = this.offers.get(args.stepKey);
    if (offer) {
      const probe = { role: offer.def.role, scope: offer.def.scope, department: offer.def.department, assignee: offer.options.assignee };
      if (!mayCompleteStep(args.actor, probe, this.state)) {
        throw ApplicationFailure.create({ type: FAILURE.forbidden, message: `无权办理「${offer.def.title.zh}」(not allowed)`, nonRetryable: true });
      }
      const refusal = offer.options.validate?.(args.form, args.actor, probe as StepInstance);
      if (refusal) throw ApplicationFailure.create({ type: FAILURE.rule, message: refusal, nonRetryable: true });
      return;
    }
    const step = this.findOpen(args);
    if (!mayCompleteStep(args.actor, step.instance, this.state)) {
      throw ApplicationFailure.create({ type: FAILURE.forbidden, message: `无权办理「${step.instance.title.zh}」(not allowed to complete this step)`, nonRetryable: true });
    }
    const refusal = step.options.validate?.(args.form, args.actor, step.instance);
    if (refusal) throw ApplicationFailure.create({ type: FAILURE.rule, message: refusal, nonRetryable: true });
  }

  private async completeStep(args: CompleteStepArgs): Promise<CaseState> {
    if (!this.firstDelivery(args.eventId)) return this.state;
    const offer = this.offers.get(args.stepKey);
    if (offer) return this.takeOffer(offer, args);
    const step = this.findOpen(args);
    const at = nowIso();
    step.timer?.cancel();
    step.instance.status = 'done';
    step.instance.completedAt = at;
    step.instance.completedBy = args.actor;
    step.instance.result = args.form;
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

  /**
   * How many of the case's flows (the process body and what it spawned) are running rather than
   * waiting on people or on time. Zero means the case is quiet: nothing will change until someone
   * acts or a timer fires.
   */
  private busy = 0;

  private async quiet(): Promise<void> {
    await condition(() => this.busy === 0);
    await this.projection;
  }

  /** Wait for people's input; every wait of a process on steps or signals goes through here. */
  async waitFor(pred: () => boolean): Promise<void> {
    this.busy -= 1;
    try {
      await condition(pred);
    } finally {
      this.busy += 1;
    }
  }

  /** Wait for time (a flow sleeping counts as quiet). */
  async sleep(ms: number): Promise<void> {
    this.busy -= 1;
    try {
      await sleep(ms);
    } finally {
      this.busy += 1;
    }
  }

  /** Run a flow beside the process body (e.g. a monthly loop); it counts as busy while it runs. */
  spawn(flow: () => Promise<void>, scope?: CancellationScope): void {
    this.busy += 1;
    const run = scope ? scope.run(flow) : flow();
    run
      .catch((err) => {
        if (!isCancellation(err)) throw err;
      })
      .finally(() => {
        this.busy -= 1;
      });
  }

  /** Wait until the step is completed and return what was submitted. */
  async completion<F>(step: OpenStep<F>): Promise<Submission<F>> {
    await this.waitFor(() => step.isSubmitted);
    return step.submission!;
  }

  // ---------- on-demand actions ----------

  /** Offer an on-demand action (e.g. propose risk elimination) until withdrawn. */
  offer<F>(def: StepDefinition, options: StepOptions<F>, onTaken: (submission: Submission<F>, instance: StepInstance) => void): void {
    this.offers.set(def.key, { def, options, onTaken });
    this.publishOffers();
  }

  withdraw(key: string): void {
    if (this.offers.delete(key)) this.publishOffers();
  }

  private publishOffers(): void {
    this.state.actions = [...this.offers.values()].map(({ def, options }) => ({
      key: def.key,
      title: def.title,
      role: def.role,
      scope: def.scope,
      ...(def.department ? { department: def.department } : {}),
      ...(options.assignee ? { assignee: options.assignee } : {}),
    }));
  }

  private async takeOffer(offer: Offer, args: CompleteStepArgs): Promise<CaseState> {
    const n = (this.counters.get(offer.def.key) ?? 0) + 1;
    this.counters.set(offer.def.key, n);
    const at = nowIso();
    const instance: StepInstance = {
      id: `${offer.def.key}-${n}`,
      key: offer.def.key,
      title: offer.def.title,
      role: offer.def.role,
      scope: offer.def.scope,
      department: offer.def.department,
      status: 'done',
      openedAt: at,
      dueAt: at,
      dueDate: at.slice(0, 10),
      provisional: false,
      completedAt: at,
      completedBy: args.actor,
      result: args.form,
    };
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
    this.armStepTimer(step);
    return step;
  }

  /** What the next run needs, with closed steps dropped (the read model keeps them) and the timeline capped. */
  carry(keepEvents = 100): CarriedCase<D> {
    const state = structuredCloneSafe(this.state);
    state.steps = state.steps.filter((s) => s.status === 'open');
    state.events = state.events.slice(-keepEvents);
    return { state, seenEventIds: [...this.seenEventIds], counters: [...this.counters.entries()] };
  }

  /** Wait until everything is stored and no handler runs: the moment to continue as new. */
  async settle(): Promise<void> {
    // Waiting for handlers counts as quiet: a handler may itself be waiting for the case to be quiet.
    this.busy -= 1;
    try {
      await this.projection;
      await condition(allHandlersFinished);
    } finally {
      this.busy += 1;
    }
  }

  /** Open steps by key (for a long-lived process that re-adopts them). */
  openSteps(): OpenStep<any>[] {
    return [...this.open.values()];
  }

  // ---------- provisional deadlines ----------

  private async recomputeProvisional(): Promise<void> {
    let changed = false;
    for (const step of this.open.values()) {
      if (!step.instance.provisional) continue;
      const due = await this.due(step.rule, step.dueFrom);
      if (due.dueAt !== step.instance.dueAt || due.provisional !== step.instance.provisional) {
        this.record('deadline_recomputed', `${step.instance.title.zh} 期限按正式节假日安排重算：${step.instance.dueDate} → ${due.dueDate}`, { step: step.instance.id });
        Object.assign(step.instance, due);
        if (step.isOpen) this.armStepTimer(step);
        changed = true;
      }
    }
    const overall = this.state.due;
    if (overall?.provisional && this.overallRule && this.state.status === 'running') {
      const due = await this.due(this.overallRule, this.state.startedAt);
      if (due.dueAt !== overall.dueAt || !due.provisional) {
        this.record('deadline_recomputed', `办理时限按正式节假日安排重算：${overall.dueDate} → ${due.dueDate}`);
        this.state.due = due;
        if (!this.state.overdueSince) this.armOverallTimer();
        changed = true;
      }
    }
    if (changed) await this.commit();
  }

  // ---------- running and closing ----------

  private mainScope?: CancellationScope;

  /** Run the process body; handles cancellation and the final projection. */
  async run(body: () => Promise<{ status: 'completed' | 'rejected'; result: string; reasons?: string }>): Promise<CaseState<D>> {
    this.listen();
    if (this.continued) this.record('continued', '案件延续至新的运行以控制历史长度 (continued as new)');
    else this.record('started', `流程发起 (case started)`);
    await this.commit();
    const scope = new CancellationScope();
    this.mainScope = scope;
    if (this.cancelRequest) scope.cancel(); // cancelled before the body began
    this.busy += 1;
    try {
      const outcome = await scope.run(body).finally(() => {
        this.busy -= 1;
      });
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
      this.overallTimer?.cancel();
      for (const step of [...this.open.values()]) {
        step.timer?.cancel();
        step.instance.status = 'cancelled';
        step.instance.cancelReason = '流程已结束 (case closed)';
        this.open.delete(step.instance.id);
      }
      this.state.closedAt = nowIso();
      await this.commit();
      await condition(allHandlersFinished);
    });
    return this.state;
  }

  private async cancel(args: { reason: string; actor: Actor }): Promise<CaseState> {
    this.cancelRequest = args;
    this.mainScope?.cancel();
    await condition(() => this.state.status === 'cancelled' && this.state.closedAt !== undefined);
    await this.projection;
    return this.state;
  }
}

function ignoreCancellation(err: unknown): void {
  if (!isCancellation(err)) throw err;
}

/** Workflow state is plain JSON; a JSON round trip is a safe deep copy inside the sandbox. */
function structuredCloneSafe<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}
