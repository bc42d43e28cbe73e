/**
 * P2 帮扶 — helper assignment, monthly visits, measures and risk elimination, for one household's
 * whole monitoring period. Long-lived: it continues as new (carrying its state and open steps) well
 * before Temporal's history limits.
 */
import { ActivityFailure, ApplicationFailure, CancellationScope, condition, continueAsNew, patched, setHandler, workflowInfo } from '@temporalio/workflow';
import { Case, acts, type CarriedCase, type OpenStep } from '../../workflows/case';
import { deadline, type Deadline } from '../../workflows/deadline';
import { monthOf, nextMonthStart, startOfDay, today } from '../../workflows/clock';
import { ReviewProcedure, type Objection } from '../../workflows/review-procedure';
import {
  HELPER_ASSIGNMENT,
  HELPER_LEVEL_KEYS,
  TOWN_ONLY_HELPERS,
  helperRefusal,
  mayBeHelper,
  type AssignHelperForm,
  type HelperAssignmentData,
  type HelperAssignmentInput,
  type Measure,
  type MeasureInput,
  type MonthlyVisitForm,
  type ProposeEliminationForm,
  type RevertEliminationForm,
  type SupersedeArgs,
} from './contract';
import { FAILURE } from '../../contracts/steps';

type Data = HelperAssignmentData & Record<string, unknown>;
const S = HELPER_ASSIGNMENT.steps;

/** The first day of a month as an instant (00:00 Shanghai). */
const monthStart = (month: string) => new Date(startOfDay(`${month}-01`)).toISOString();
function addMonths(date: string, n: number): string {
  const [y, m, d] = date.split('-').map(Number);
  const t = new Date(Date.UTC(y, m - 1 + n, 1));
  const last = new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth() + 1, 0)).getUTCDate();
  return new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth(), Math.min(d, last))).toISOString().slice(0, 10);
}

export async function helperAssignment(input: HelperAssignmentInput): Promise<unknown> {
  const { household, policy } = input;
  const carried = input.carried;
  // Helpers from every level the policy names (区镇村三级); runs started before: cadres of the town only.
  const helperLevels = patched('helper-levels') ? (policy.helperLevels ?? HELPER_LEVEL_KEYS) : TOWN_ONLY_HELPERS;
  const data: Data = (carried?.data as Data) ?? {
    headName: household.headName,
    includedOn: input.includedOn,
    category: input.category,
    riskTypes: input.riskTypes,
    identificationId: input.identificationId,
    phase: 'assigning',
    measures: [],
    visitedMonths: [],
    missedMonths: [],
    newRisks: [],
    objections: [],
    eliminations: 0,
    runs: 0,
  };
  data.runs += 1;
  const kase = new Case<Data>(
    {
      processId: input.processId,
      type: HELPER_ASSIGNMENT.type,
      householdId: household.id,
      subject: household.id,
      town: household.town,
      village: household.village,
      stage: 'assignHelper',
      data,
    },
    carried?.kase as CarriedCase<Data> | undefined,
  );
  const objections = data.objections as Objection[];
  const procedure = new ReviewProcedure({
    kase,
    steps: HELPER_ASSIGNMENT.eliminationSteps,
    policy: policy.elimination,
    objections,
  });

  // ---- measures ----
  let measureSeq = data.measures.length;
  const addMeasure = (m: MeasureInput): Measure => {
    const measure: Measure = { id: `M${++measureSeq}`, ...m, status: 'planned', progress: [] };
    data.measures.push(measure);
    return measure;
  };
  setHandler(HELPER_ASSIGNMENT.signals.addMeasure.definition, (env) => {
    if (!kase.firstDelivery(env.eventId, env.receivedAt)) return;
    const m = addMeasure({ ...env.payload, source: env.actor.name });
    kase.record('measure_added', `增加帮扶措施：${m.target}（${m.responsibleUnit}）`, { actor: { id: env.actor.id, name: env.actor.name } });
    void kase.commit();
  });

  // ---- helper and visits ----
  const visitSteps = new Map<string, OpenStep<MonthlyVisitForm>>(); // by month
  const visitOptions = (month: string) => ({
    assignee: data.helper ? { id: data.helper.id, name: data.helper.name } : undefined,
    context: { month },
    validate: (form: MonthlyVisitForm) => {
      if (form.visitedOn > today()) return '走访日期不能晚于今天 (the visit date cannot be in the future)';
      if (monthOf(form.visitedOn) !== month) return `走访日期须在 ${month} 月内 (the visit date must lie in ${month}, the month of this visit)`;
      for (const p of form.measureProgress ?? []) {
        if (!data.measures.some((m) => m.id === p.measureId)) return `没有帮扶措施 ${p.measureId} (no such measure)`;
      }
      return undefined;
    },
    onOverdue: () => {
      if (!data.missedMonths.includes(month)) data.missedMonths.push(month);
    },
  });

  async function openVisit(month: string): Promise<void> {
    const step = await kase.openStep<MonthlyVisitForm>(S.monthlyVisit, policy.visitDue, { ...visitOptions(month) }, monthStart(month));
    visitSteps.set(month, step);
    data.lastMonthOpened = month;
    kase.spawn(() => recordVisit(month, step));
  }

  async function recordVisit(month: string, step: OpenStep<MonthlyVisitForm>): Promise<void> {
    const { form, actor, at } = await kase.completion(step);
    visitSteps.delete(month);
    data.visitedMonths = [...data.visitedMonths, month].slice(-36);
    for (const p of form.measureProgress ?? []) {
      const m = data.measures.find((x) => x.id === p.measureId)!;
      m.progress.push({ at, note: p.note });
      m.progress = m.progress.slice(-12);
      m.status = p.done ? 'done' : 'in_progress';
    }
    if (form.newRisks?.length) {
      data.newRisks = [...data.newRisks, { at, month, riskTypes: form.newRisks, note: form.newRiskNote }].slice(-24);
      kase.record('new_risk', `走访发现新风险：${form.newRisks.join('、')}${form.newRiskNote ? `（${form.newRiskNote}）` : ''}`, { actor: { id: actor.id, name: actor.name } });
    }
    if (form.unsafeHouse) {
      // 发现一户、保障一户: an unsafe house found on a visit goes straight to house rebuilding (P4).
      data.followUps ??= [];
      try {
        const started = await acts.startFollowUp({
          type: 'houseRebuild',
          input: { householdId: household.id, channel: 'helper_visit', description: form.unsafeHouse.description, onlyHouse: form.unsafeHouse.onlyHouse },
          startedBy: { id: actor.id, name: actor.name },
        });
        data.followUps.push({ at, type: 'houseRebuild', id: started.id });
        kase.record('follow_up', `走访发现住房安全隐患，已发起危房改造：${started.id}`, { actor: { id: actor.id, name: actor.name } });
      } catch (err) {
        const reason = err instanceof ActivityFailure && err.cause ? err.cause.message : String(err);
        data.followUps.push({ at, type: 'houseRebuild', refused: reason });
        kase.record('follow_up_refused', `危房改造未能发起：${reason}`, { actor: { id: actor.id, name: actor.name } });
      }
    }
    await kase.commit();
  }

  // Carried open visit steps come back with their validators and timers.
  for (const instance of kase.state.steps.filter((s) => s.status === 'open' && s.key === S.monthlyVisit.key)) {
    const month = String(instance.context?.month);
    const step = kase.adopt<MonthlyVisitForm>(instance, policy.visitDue, visitOptions(month));
    visitSteps.set(month, step);
    kase.spawn(() => recordVisit(month, step));
  }

  /** Opens each month's visit step while the household is monitored. */
  let visitLoop: CancellationScope | undefined;
  function startVisits(): void {
    visitLoop?.cancel();
    const scope = new CancellationScope();
    visitLoop = scope;
    kase.spawn(async () => {
      for (;;) {
        const month = monthOf(today());
        // This month's visit, unless it is open or done (a continued or resumed case may have either).
        if (!visitSteps.has(month) && !data.visitedMonths.includes(month)) await openVisit(month);
        await kase.sleepUntil(nextMonthStart(today()));
      }
    }, scope);
  }
  async function stopVisits(reason: string): Promise<void> {
    visitLoop?.cancel();
    visitLoop = undefined;
    for (const step of visitSteps.values()) await kase.cancelStep(step, reason);
    visitSteps.clear();
  }

  setHandler(HELPER_ASSIGNMENT.signals.reassignHelper.definition, (env) => {
    if (!kase.firstDelivery(env.eventId, env.receivedAt)) return;
    const { helper, reason } = env.payload;
    if (!mayBeHelper(helper, kase.state, helperLevels)) {
      kase.record('reassign_refused', `调整帮扶责任人未生效：${helperRefusal(kase.state, helperLevels)}`, { actor: { id: env.actor.id, name: env.actor.name } });
      void kase.commit();
      return;
    }
    const before = data.helper?.name;
    data.helper = { id: helper.id, name: helper.name, roles: helper.roles, town: helper.town, village: helper.village };
    for (const s of kase.state.steps) if (s.status === 'open' && s.scope === 'assignee') s.assignee = { id: helper.id, name: helper.name };
    offerElimination();
    kase.record('helper_reassigned', `帮扶责任人由 ${before ?? '—'} 调整为 ${helper.name}：${reason}`, { actor: { id: env.actor.id, name: env.actor.name } });
    void kase.commit();
  });

  // ---- elimination offers ----
  let proposal: ProposeEliminationForm | undefined;
  let revert: RevertEliminationForm | undefined;
  function offerElimination(): void {
    if (data.phase !== 'monitoring' || !data.helper) return;
    kase.offer<ProposeEliminationForm>(
      S.proposeElimination,
      {
        assignee: { id: data.helper.id, name: data.helper.name },
        validate: (form) => {
          const earliest = addMonths(data.includedOn, policy.eliminationMinimumMonths);
          if (today() < earliest) {
            return `纳入监测满${policy.eliminationMinimumMonths}个月后方可申请风险消除（${earliest} 起）(monitored at least ${policy.eliminationMinimumMonths} months: from ${earliest})`;
          }
          if (!data.measures.some((m) => m.status === 'done')) return '至少落实一项帮扶措施后方可申请风险消除 (at least one measure must be carried out)';
          if (form.labourCount === 0) return '无劳动力家庭不标注风险消除 (a household with no labour at all is not eliminated)';
          if (!form.incomeAboveLine) return '收入须持续稳定高于监测标准 (income must have stayed above the monitoring line)';
          return undefined;
        },
      },
      ({ form }) => {
        proposal = form;
      },
    );
  }
  function offerRevert(): void {
    kase.offer<RevertEliminationForm>(S.revertElimination, {}, ({ form }) => {
      revert = form;
    });
  }

  const shouldContinueAsNew = () => {
    const info = workflowInfo();
    return info.continueAsNewSuggested || info.historyLength > policy.historyEventLimit;
  };

  // ---- re-inclusion (返贫): a new identification approved while this case waits out its revert window ----
  // Only a new update reaches this path, which no earlier history holds: recorded cases replay unchanged.
  let superseded: SupersedeArgs | undefined;
  setHandler(
    HELPER_ASSIGNMENT.supersede,
    async (args) => {
      kase.moveTo(args.at);
      superseded = args;
      await condition(() => kase.state.closedAt !== undefined);
      return kase.state;
    },
    {
      validator: (_args: SupersedeArgs) => {
        if (kase.state.status !== 'running' || data.phase !== 'eliminated' || superseded) {
          throw ApplicationFailure.create({ type: FAILURE.conflict, message: '该帮扶案件不在风险消除后的观察期内 (the case is not in its revert window)', nonRetryable: true });
        }
      },
    },
  );

  // A continued case offers its actions at once (an update may arrive with the first task).
  if (carried && data.phase === 'monitoring') offerElimination();
  if (carried && data.phase === 'eliminated') offerRevert();

  return kase.run(async () => {
    if (!carried) {
      kase.setStage('assignHelper');
      const step = await kase.openStep<AssignHelperForm>(S.assignHelper, policy.assignmentLimit, {
        validate: (form) => {
          if (!mayBeHelper(form.helper, kase.state, helperLevels)) return helperRefusal(kase.state, helperLevels);
          if (form.measures.some((m) => m.dueDate < today())) return '措施完成时限不能早于今天 (a measure cannot be due in the past)';
          return undefined;
        },
      }, new Date(Date.parse(`${input.includedOn}T12:00:00+08:00`)).toISOString());
      const { form } = await kase.completion(step);
      data.helper = form.helper;
      for (const m of form.measures) addMeasure(m);
      data.phase = 'monitoring';
      kase.record('helper_assigned', `帮扶责任人：${form.helper!.name}；措施 ${form.measures.length} 项`);
    }
    if (data.phase === 'monitoring') {
      kase.setStage('monitoring');
      startVisits();
      offerElimination();
    }
    await kase.commit();

    // The window in which an elimination can still be reverted; when it closes, the case is done.
    let windowClosed = false;
    let window: Deadline | undefined;
    const armWindow = async () => {
      window?.cancel();
      windowClosed = false;
      if (data.phase !== 'eliminated' || !data.eliminatedOn) return;
      const due = await kase.due(policy.eliminationRevertWindow, `${data.eliminatedOn}T00:00:00+08:00`);
      window = deadline(due.dueAt, () => {
        kase.moveTo(due.dueAt);
        windowClosed = true;
      });
    };
    await armWindow();

    for (;;) {
      await kase.waitFor(() => proposal !== undefined || revert !== undefined || windowClosed || superseded !== undefined || (data.phase !== 'eliminating' && shouldContinueAsNew()));

      if (superseded) {
        window?.cancel();
        kase.withdraw(S.revertElimination.key);
        const by = superseded.identificationId ? `经认定（${superseded.identificationId}）` : '';
        kase.record('superseded', `${by}${superseded.includedOn} 起重新纳入监测，本轮帮扶结束，由新的帮扶案件接续`);
        return { status: 'completed', result: '重新纳入监测，转入新的帮扶 (superseded: included in monitoring again)', reasons: `${data.eliminatedOn} 风险消除后，${superseded.includedOn} 起重新纳入监测` };
      }

      if (proposal) {
        proposal = undefined;
        kase.withdraw(S.proposeElimination.key);
        data.phase = 'eliminating';
        kase.record('elimination_proposed', '提出风险消除申请，进入核实程序');
        const outcome = await procedure.run();
        if (outcome.decision === 'approved') {
          data.phase = 'eliminated';
          data.eliminatedOn = outcome.effectiveOn;
          data.eliminations += 1;
          await stopVisits('风险已消除，结束监测 (risk eliminated)');
          await acts.recordMonitoringStatus({ householdId: household.id, processId: input.processId, status: 'eliminated', on: outcome.effectiveOn });
          kase.setStage('eliminated');
          kase.record('eliminated', `风险消除，${outcome.effectiveOn} 起结束监测`);
          offerRevert();
          await armWindow();
        } else {
          data.phase = 'monitoring';
          kase.setStage('monitoring');
          kase.record('elimination_refused', `风险消除未通过：${outcome.reasons}`);
          offerElimination();
        }
        await kase.commit();
        continue;
      }
      if (revert) {
        const reasons = revert.reasons;
        revert = undefined;
        kase.withdraw(S.revertElimination.key);
        window?.cancel();
        data.phase = 'monitoring';
        data.eliminatedOn = undefined;
        await acts.recordMonitoringStatus({ householdId: household.id, processId: input.processId, status: 'monitored', on: kase.day() });
        kase.setStage('monitoring');
        kase.record('elimination_reverted', `撤销风险消除，恢复监测：${reasons}`);
        startVisits();
        offerElimination();
        await kase.commit();
        continue;
      }
      if (windowClosed && data.phase === 'eliminated') {
        return { status: 'completed', result: '风险已消除 (risk eliminated)', reasons: `${data.eliminatedOn} 起结束监测` };
      }
      if (shouldContinueAsNew()) {
        visitLoop?.cancel();
        window?.cancel();
        await kase.settle();
        await continueAsNew<typeof helperAssignment>({ ...input, carried: { kase: kase.carry(), data } });
      }
    }
  });
}

