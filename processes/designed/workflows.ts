/**
 * `designedProcess`: the one workflow that runs every designed (BPMN) process. It interprets the compact
 * model of the version the case started with (its input), moving tokens: user tasks are ordinary case
 * steps (inbox, due dates by the official calendar, overdue escalation, authorization, projection),
 * exclusive gateways take the first flow whose FEEL condition holds (evaluated in an activity, so the
 * choice is in the history), parallel gateways fork and join, timers wait, message catches take the
 * case's signal of that name (kept when it arrives first), service tasks run a catalogue action, a call
 * activity runs the shared review procedure (its steps are the case's) and keeps its outcome as its form.
 */
import { CancellationScope, continueAsNew, defineSignal, isCancellation, setHandler, workflowInfo } from '@temporalio/workflow';
import { Case, acts, type CarriedCase } from '../../workflows/case';
import { deadline, type Deadline } from '../../workflows/deadline';
import { ReviewProcedure } from '../../workflows/review-procedure';
import type { SignalEnvelope, StepDefinition, StepInstance } from '../../contracts/steps';
import { CALLED_REVIEW_STEPS, DEFAULT_TASK_DUE, TASK_SCOPES, type CalledReviewForm, type DesignedData, type DesignedInput, type ModelElement } from './contract';

export async function designedProcess(input: DesignedInput): Promise<unknown> {
  const { model } = input;
  const place = input.household ?? input.place;
  const { carried } = input;
  const data: DesignedData = carried?.data ?? {
    definition: { key: input.key, version: input.version },
    ...(input.household ? { headName: input.household.headName } : {}),
    forms: { start: input.startForm },
    pending: {},
    at: [],
  };
  // A model with a call activity runs the review procedure (its notice names the head of the household).
  const calls = Object.values(model.elements).some((e) => e.kind === 'callActivity');
  type Data = DesignedData & Record<string, unknown>;
  const kase = new Case<Data>(
    {
    processId: input.processId,
    type: input.key,
    householdId: input.household?.id,
    subject: input.subject,
    town: place.town,
    village: place.village,
    stage: model.start,
    data: data as Data,
    },
    carried?.kase as CarriedCase<Data> | undefined,
  );
  // A continued run: the tokens stand where the last run left them, their open steps are taken back.
  const positions = carried ? data.at.splice(0) : [model.start];
  const adoptable = kase.state.steps.filter((s) => s.status === 'open');
  const el = (id: string): ModelElement => model.elements[id];
  const after = (e: ModelElement, flow = e.outgoing[0]): string => model.flows[flow].target;

  // Every message the model catches is a signal of that name; one that comes before its catch waits here.
  for (const name of model.messages) {
    setHandler(defineSignal<[SignalEnvelope<Record<string, unknown>>]>(name), (env) => {
      if (!kase.firstDelivery(env.eventId, env.receivedAt)) return;
      (data.pending[name] ??= []).push(env.payload);
      kase.record('message', `收到消息「${name}」`, { actor: { id: env.actor.id, name: env.actor.name } });
      void kase.commit();
    });
  }

  // It takes the review's objections from the start (outside its notice they are recorded as not accepted).
  const review = calls ? new ReviewProcedure({ kase, steps: CALLED_REVIEW_STEPS, policy: input.review!, objections: (data.objections ??= []) }) : undefined;
  let reviewing = false;

  let tokens: CancellationScope;
  let live = 0;
  let terminatedAt: ModelElement | undefined;
  let failure: unknown;
  const ends: string[] = [];
  const joins = new Map<string, number>(carried?.joins ?? []);

  const launch = (at: string): void => {
    live += 1;
    kase.spawn(async () => {
      try {
        await walk(at);
      } catch (err) {
        if (isCancellation(err)) throw err;
        failure ??= err;
      } finally {
        live -= 1;
      }
    }, tokens);
  };

  async function walk(start: string): Promise<void> {
    let at: string | undefined = start;
    while (at !== undefined) {
      const here = el(at);
      data.at.push(here.id);
      kase.setStage(here.id);
      try {
        at = await visit(here);
      } finally {
        data.at.splice(data.at.indexOf(here.id), 1);
      }
    }
  }

  async function visit(e: ModelElement): Promise<string | undefined> {
    switch (e.kind) {
      case 'start':
        return after(e);
      case 'end':
        if (e.name !== e.id) ends.push(e.name); // an unnamed end event's id is no outcome to show
        return undefined;
      case 'terminateEnd':
        terminatedAt ??= e;
        return undefined;
      case 'userTask':
        return userTask(e);
      case 'serviceTask': {
        const done = await acts.runServiceAction({
          action: e.action!,
          processId: input.processId,
          element: e.id,
          householdId: input.household?.id,
          department: e.department,
          startedBy: input.startedBy,
          forms: data.forms,
        });
        kase.involve(e.department);
        kase.record('service_task', `${e.name}：${done.summary}`);
        await kase.commit();
        return after(e);
      }
      case 'exclusive':
        return choose(e);
      case 'callActivity':
        return callReview(e);
      case 'parallel': {
        if (e.incoming.length > 1) {
          const arrived = (joins.get(e.id) ?? 0) + 1;
          joins.set(e.id, arrived < e.incoming.length ? arrived : 0);
          if (arrived < e.incoming.length) return undefined; // this branch ends here; the last one goes on
        }
        for (const flow of e.outgoing.slice(1)) launch(after(e, flow));
        return after(e);
      }
      case 'timer': {
        const due = await kase.due(e.timer!);
        await kase.sleepUntil(Date.parse(due.dueAt));
        kase.record('timer', `「${e.name}」时间到`);
        await kase.commit();
        return after(e);
      }
      case 'message': {
        const name = e.message!;
        await kase.waitFor(() => (data.pending[name]?.length ?? 0) > 0);
        data.forms[e.id] = data.pending[name].shift();
        kase.record('message_caught', `「${e.name}」已收到消息「${name}」`);
        await kase.commit();
        return after(e);
      }
      default:
        return undefined; // a boundary event is reached only through its task
    }
  }

  async function userTask(e: ModelElement): Promise<string | undefined> {
    const def: StepDefinition = {
      key: e.id,
      title: { zh: e.name, en: e.name },
      role: e.role!,
      scope: TASK_SCOPES[e.role!],
      ...(e.department ? { department: e.department as StepDefinition['department'] } : {}),
      duePolicyKey: '',
    };
    kase.involve(e.department);
    const rule = e.due ?? DEFAULT_TASK_DUE;
    const carriedStep = adoptable.find((s) => s.key === e.id);
    if (carriedStep) adoptable.splice(adoptable.indexOf(carriedStep), 1);
    const step = carriedStep ? kase.adopt(carriedStep as StepInstance, rule) : await kase.openStep(def, rule);
    let interrupted: ModelElement | undefined;
    const timers: Deadline[] = [];
    for (const id of e.boundaries ?? []) {
      const boundary = el(id);
      const due = await kase.due(boundary.timer!, step.instance.openedAt);
      timers.push(
        deadline(due.dueAt, () => {
          if (!step.isOpen || step.isSubmitted || interrupted) return;
          kase.moveTo(due.dueAt);
          if (boundary.interrupting) {
            interrupted = boundary;
            return;
          }
          kase.record('boundary_timer', `「${e.name}」到期未办结（${boundary.name}），转「${el(after(boundary)).name}」`, { step: step.instance.id });
          launch(after(boundary));
          void kase.commit();
        }),
      );
    }
    await kase.waitFor(() => step.isSubmitted || interrupted !== undefined);
    for (const timer of timers) timer.cancel();
    if (step.isSubmitted) {
      data.forms[e.id] = step.submission!.form;
      return after(e);
    }
    await kase.cancelStep(step, `到期未办结（${interrupted!.name}），转「${el(after(interrupted!)).name}」`);
    return after(interrupted!);
  }

  async function callReview(e: ModelElement): Promise<string | undefined> {
    // Its steps are keyed by the procedure's own names: a second token arriving while it runs cannot run it beside the first.
    if (reviewing) return stuck(e, `「${e.name}」的审核程序正在办理中，不能同时再次调用，流程无法继续，请联系管理员`);
    reviewing = true;
    kase.record('review_called', `「${e.name}」开始审核程序（核实→评议→公示→乡镇审核→区级审定）`);
    const outcome = await review!.run().finally(() => (reviewing = false));
    const form: CalledReviewForm =
      outcome.decision === 'approved' ? { decision: 'approved', effectiveOn: outcome.effectiveOn } : { decision: 'rejected', by: outcome.by, reasons: outcome.reasons };
    data.forms[e.id] = form;
    kase.record('review_decided', form.decision === 'approved' ? `「${e.name}」审核通过，${form.effectiveOn} 起生效` : `「${e.name}」审核未通过：${form.reasons}`);
    await kase.commit();
    return after(e);
  }

  async function choose(e: ModelElement): Promise<string | undefined> {
    if (e.outgoing.length === 1) return after(e);
    const conditions = e.outgoing.flatMap((id) => (id !== e.defaultFlow && model.flows[id].condition ? [{ flow: id, expression: model.flows[id].condition! }] : []));
    const context = { ...(input.startForm ?? {}), ...data.forms };
    const chosen = (conditions.length ? await acts.firstTrueCondition({ conditions, context }) : null) ?? e.defaultFlow;
    if (chosen) return after(e, chosen);
    return stuck(e, `排他网关「${e.name}」没有满足条件的出线，也没有默认连线，流程无法继续，请联系管理员`);
  }

  /** No way on: the case says so and waits (an administrator cancels it or it is corrected by a new version). */
  async function stuck(e: ModelElement, message: string): Promise<undefined> {
    data.error = { element: e.id, message };
    kase.record('error', data.error.message);
    await kase.commit();
    await kase.waitFor(() => false);
    return undefined;
  }

  /** Every token waits where the next run can take it up: a user task without timers, or a message catch. */
  const resumable = () =>
    !data.error && data.at.length === live && data.at.every((id) => (el(id).kind === 'userTask' && !el(id).boundaries?.length) || el(id).kind === 'message');
  const longHistory = () => {
    const info = workflowInfo();
    return info.continueAsNewSuggested || info.historyLength > (input.historyEventLimit ?? 10_000);
  };

  return kase.run(async () => {
    tokens = new CancellationScope();
    for (const at of positions) launch(at);
    for (;;) {
      await kase.waitFor(() => live === 0 || terminatedAt !== undefined || failure !== undefined || (longHistory() && resumable()));
      if (live === 0 || terminatedAt !== undefined || failure !== undefined) break;
      await kase.settle();
      if (resumable()) await continueAsNew<typeof designedProcess>({ ...input, carried: { kase: kase.carry(), data, joins: [...joins.entries()] } });
    }
    if (failure !== undefined) throw failure;
    if (terminatedAt) {
      tokens.cancel();
      return { status: 'completed', result: terminatedAt.name !== terminatedAt.id ? `已办结（${terminatedAt.name}）` : '已办结' };
    }
    return { status: 'completed', result: ends.length ? `已办结（${[...new Set(ends)].join('、')}）` : '已办结' };
  });
}
