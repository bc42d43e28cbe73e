/**
 * P3 大病一事一议特殊救助 — critical-illness case-by-case relief. One case per household and year,
 * started (signal-with-start) by the settlement that pushed the year's out-of-pocket costs past the
 * threshold; later settlements of the year join it as signals.
 *
 * 费用核实 (区医保局, may send the case back until medical assistance is applied) → 影响基本生活评估
 * (town) → 一事一议: three department opinions in parallel, then the district's decision → one
 * disbursement step per channel → follow-up (P1 for a household not monitored, a P2 measure otherwise).
 */
import { ActivityFailure, setHandler } from '@temporalio/workflow';
import { Case, acts, type OpenStep, type StepOptions } from '../../workflows/case';
import type { DueRule } from '../../contracts/due';
import type { StepDefinition } from '../../contracts/steps';
import { fen, formatYuan, yuanOf } from '../../contracts/money';
import {
  ALERTING_DEPARTMENT,
  DISBURSEMENT_STEPS,
  ILLNESS_RELIEF,
  OPINION_STEPS,
  RELIEF_CHANNELS,
  SETTLEMENT_AMOUNTS,
  illnessReliefSubject,
  type DecisionForm,
  type DisbursementForm,
  type ExpenseVerificationForm,
  type FollowUp,
  type IllnessReliefData,
  type IllnessReliefInput,
  type ImpactAssessmentForm,
  type MedicalAssistanceAppliedForm,
  type OpinionForm,
  type PlanMeasureProposal,
  type ReliefChannel,
  type SettlementEntry,
} from './contract';
import { addDays, today } from '../../workflows/clock';

const S = ILLNESS_RELIEF.steps;
/** The follow-up measure in a monitored household's plan is due this many days after the relief. */
const MEASURE_HORIZON_DAYS = 90;
const notFuture = (day: string, what: string) => (day > today() ? `${what}不能晚于今天 (${what}: the date cannot be in the future)` : undefined);
const twoDecimals = (amount: number | undefined, what: string) =>
  amount !== undefined && fen(amount) === undefined ? `${what}最多保留两位小数 (${what}: at most two decimals)` : undefined;

type Data = IllnessReliefData & Record<string, unknown>;

export async function illnessRelief(input: IllnessReliefInput): Promise<unknown> {
  const { household, policy, year } = input;
  const data: IllnessReliefData = {
    headName: household.headName,
    year,
    groups: input.groups,
    threshold: input.threshold,
    ...(input.application ? { application: input.application } : {}),
    settlements: [],
    totals: { totalCost: 0, paidByBasicInsurance: 0, paidByCriticalIllnessInsurance: 0, paidByMedicalAssistance: 0, outOfPocket: 0 },
    sendBacks: [],
    opinions: {},
    disbursements: [],
  };
  const kase = new Case<Data>({
    processId: input.processId,
    type: ILLNESS_RELIEF.type,
    householdId: household.id,
    subject: input.subject ?? illnessReliefSubject(household.id, year),
    town: household.town,
    village: household.village,
    stage: 'started',
    data: data as Data,
  });

  // 区医保局 reported the costs and verifies them: it sees the case from its first moment (also before
  // the first projection reaches the read model); other departments join as their steps open.
  kase.involve(ALERTING_DEPARTMENT);
  const open = <F>(def: StepDefinition, rule: DueRule, options: StepOptions<F> = {}): Promise<OpenStep<F>> => {
    kase.involve(def.department);
    return kase.openStep<F>(def, rule, options);
  };

  // ---- settlements: the year's so far, then each new one as a signal (deduplicated by its event key) ----
  let arrivals = 0;
  const addSettlement = (entry: SettlementEntry): boolean => {
    if (!entry.settlementDate.startsWith(String(year))) {
      kase.record('settlement_ignored', `${entry.settlementDate} 的结算不属于 ${year} 年度，未计入本案 (settlement of another year)`);
      return false;
    }
    if (entry.replacesEventKey) {
      const replaced = data.settlements.find((s) => s.eventKey === entry.replacesEventKey && !s.supersededBy);
      if (replaced) replaced.supersededBy = entry.eventKey;
    }
    data.settlements.push(entry);
    for (const k of SETTLEMENT_AMOUNTS) {
      data.totals[k] = yuanOf(data.settlements.filter((s) => !s.supersededBy).reduce((sum, s) => sum + Math.round(s[k] * 100), 0));
    }
    return true;
  };
  for (const s of input.settlements) if (kase.firstDelivery(s.eventKey, s.receivedAt)) addSettlement(s);

  setHandler(ILLNESS_RELIEF.signals.settlement.definition, (env) => {
    if (!kase.firstDelivery(env.eventId, env.receivedAt)) return;
    const entry = env.payload;
    if (data.settlements.some((s) => s.eventKey === entry.eventKey)) return;
    if (!addSettlement(entry)) return void kase.commit();
    arrivals += 1;
    const late = data.verification ? '（费用核实后收到，未计入核实金额）' : '';
    kase.record('settlement', `收到医保结算：${entry.settlementDate} ${entry.disease}，个人自付 ${formatYuan(entry.outOfPocket)}；本年累计自付 ${formatYuan(data.totals.outOfPocket)}${late}`, {
      actor: { id: env.actor.id, name: env.actor.name },
    });
    void kase.commit();
  });

  const step = async <F>(def: StepDefinition, rule: DueRule, options: StepOptions<F> = {}): Promise<{ form: F; by: string }> => {
    const opened = await open<F>(def, rule, options);
    const done = await kase.completion(opened);
    return { form: done.form, by: done.actor.name };
  };

  return kase.run(async () => {
    // ---- 费用核实: the three layers first; the case may go back until medical assistance is applied ----
    let verifiedOutOfPocket: number;
    for (;;) {
      kase.setStage('expenseVerification');
      const v = await step<ExpenseVerificationForm>(S.expenseVerification, policy.steps.expenseVerification, {
        context: { totals: { ...data.totals }, threshold: data.threshold.amount },
        validate: (form) => {
          if (form.decision === 'sendBack') return form.reasons?.trim() ? undefined : `退回必须说明原因 (reasons are required to send the case back)`;
          if (!form.basicInsuranceApplied || !form.criticalIllnessInsuranceApplied || !form.medicalAssistanceApplied) {
            return `基本医保、大病保险、医疗救助三重制度须先行落实；尚未落实的请退回 (the three layers must be applied first: send the case back otherwise)`;
          }
          if (form.verifiedOutOfPocket === undefined) return `确认时须填写核实的个人自付金额 (the verified out-of-pocket amount is required)`;
          const bad = twoDecimals(form.verifiedOutOfPocket, '核实的个人自付金额');
          if (bad) return bad;
          if (fen(form.verifiedOutOfPocket)! > fen(data.totals.outOfPocket)!) {
            return `核实的个人自付金额 ${formatYuan(form.verifiedOutOfPocket)} 超过结算记录的本年自付合计 ${formatYuan(data.totals.outOfPocket)} (more than the settlements show)`;
          }
          return undefined;
        },
      });
      if (v.form.decision === 'confirm') {
        verifiedOutOfPocket = v.form.verifiedOutOfPocket!;
        data.verification = { verifiedOutOfPocket, at: kase.now(), by: v.by };
        break;
      }
      // Sent back: wait for a new settlement (e.g. a re-settlement with assistance) or 区医保局's confirmation.
      data.sendBacks.push({ at: kase.now(), reasons: v.form.reasons ?? '' });
      kase.setStage('awaitingMedicalAssistance');
      const mark = arrivals;
      const applied: OpenStep<MedicalAssistanceAppliedForm> = await open<MedicalAssistanceAppliedForm>(S.medicalAssistanceApplied, policy.steps.medicalAssistance, {
        context: { reasons: v.form.reasons },
        validate: (form) =>
          twoDecimals(form.amount, '医疗救助金额') ??
          notFuture(form.appliedOn, '落实日期') ??
          (fen(form.amount)! > fen(data.totals.outOfPocket)! ? `医疗救助金额不能超过当前个人自付合计 ${formatYuan(data.totals.outOfPocket)} (more than the out-of-pocket total)` : undefined),
      });
      await kase.waitFor(() => applied.isSubmitted || arrivals > mark);
      if (applied.isSubmitted) {
        const form = applied.submission!.form;
        addSettlement({
          eventKey: `adjustment:${applied.instance.id}`,
          source: 'adjustment',
          receivedAt: applied.submission!.at,
          patient: { name: '', relation: '' },
          disease: `医疗救助补充落实（${form.reference}）`,
          settlementDate: form.appliedOn,
          totalCost: 0,
          paidByBasicInsurance: 0,
          paidByCriticalIllnessInsurance: 0,
          paidByMedicalAssistance: form.amount,
          outOfPocket: -form.amount,
        });
        kase.record('medical_assistance', `医疗救助已落实 ${formatYuan(form.amount)}，本年累计自付 ${formatYuan(data.totals.outOfPocket)}`);
        await kase.commit();
      } else {
        await kase.cancelStep(applied, '收到新的医保结算，重新核实 (a new settlement arrived: verify again)');
      }
    }

    // ---- 影响基本生活评估 by the town ----
    kase.setStage('impactAssessment');
    const assessment = await step<ImpactAssessmentForm>(S.impactAssessment, policy.steps.impactAssessment, {
      context: { verifiedOutOfPocket },
      validate: (form) =>
        notFuture(form.visitedOn, '评估日期') ?? (form.decision === 'notNeeded' && !form.reasons?.trim() ? `无需救助必须说明理由 (reasons are required)` : undefined),
    });
    data.assessment = { ...assessment.form, by: assessment.by };
    if (assessment.form.decision === 'notNeeded') {
      return { status: 'rejected', result: '经评估不影响基本生活，无需救助 (relief not needed)', reasons: assessment.form.reasons };
    }

    // ---- 一事一议: three opinions in parallel, all needed ----
    kase.setStage('deliberation');
    const opinions: OpenStep<OpinionForm>[] = [];
    for (const key of OPINION_STEPS) {
      opinions.push(
        await open<OpinionForm>(S[key], policy.steps.opinion, {
          context: { verifiedOutOfPocket },
          validate: (form) => twoDecimals(form.suggestedAmount, '建议救助金额'),
        }),
      );
    }
    await kase.waitFor(() => opinions.every((o) => o.isSubmitted));
    for (const o of opinions) data.opinions[o.instance.department as keyof IllnessReliefData['opinions']] = { ...o.submission!.form, by: o.submission!.actor.name };
    await kase.commit();

    kase.setStage('decision');
    const decision = await step<DecisionForm>(S.decision, policy.steps.decision, {
      context: { verifiedOutOfPocket },
      validate: (form) => notFuture(form.heldOn, '议定日期') ?? checkDecision(form, verifiedOutOfPocket),
    });
    const channels = decision.form.channels ?? [];
    const total = yuanOf(channels.reduce((s, c) => s + fen(c.amount)!, 0));
    data.decision = { ...decision.form, total };
    if (decision.form.decision === 'refuse') {
      return { status: 'rejected', result: '一事一议不予救助 (relief refused)', reasons: decision.form.reasons };
    }

    // ---- disbursement: one step per channel, by its department, each with a voucher ----
    kase.setStage('disbursement');
    const payments: { channel: ReliefChannel; step: OpenStep<DisbursementForm> }[] = [];
    for (const c of channels) {
      const expected = c.amount;
      payments.push({
        channel: c.channel,
        step: await open<DisbursementForm>(S[DISBURSEMENT_STEPS[c.channel]], policy.steps.disbursement, {
          context: { channel: c.channel, amount: expected },
          validate: (form) =>
            notFuture(form.paidOn, '发放日期') ??
            (fen(form.amount) !== fen(expected) ? `发放金额须与议定的${RELIEF_CHANNELS[c.channel].zh}金额 ${formatYuan(expected)} 一致 (the amount must be the decided one)` : undefined),
        }),
      });
    }
    await kase.waitFor(() => payments.every((p) => p.step.isSubmitted));
    data.disbursements = payments.map((p) => ({ ...p.step.submission!.form, channel: p.channel, by: p.step.submission!.actor.name }));
    await kase.commit();

    // ---- follow-up: monitoring for a household not monitored, a plan measure for a monitored one ----
    kase.setStage('followUp');
    data.followUp = await followUp(input, data, total, kase.day());
    kase.record('follow_up', followUpSummary(data.followUp));
    await kase.commit();
    return { status: 'completed', result: `已救助 ${formatYuan(total)} (relief disbursed)` };
  });
}

function checkDecision(form: DecisionForm, verifiedOutOfPocket: number): string | undefined {
  const channels = form.channels ?? [];
  if (form.decision === 'refuse') return channels.length ? `不予救助时不填写救助渠道 (no channels when refusing)` : undefined;
  if (!channels.length) return `给予救助须写明救助渠道和金额 (name the channels and amounts)`;
  if (new Set(channels.map((c) => c.channel)).size !== channels.length) return `每个救助渠道只能出现一次 (each channel once)`;
  for (const c of channels) {
    const bad = twoDecimals(c.amount, `${RELIEF_CHANNELS[c.channel].zh}金额`);
    if (bad) return bad;
  }
  const total = channels.reduce((s, c) => s + fen(c.amount)!, 0);
  if (total > fen(verifiedOutOfPocket)!) {
    return `救助金额合计 ${formatYuan(yuanOf(total))} 不能超过核实的个人自付金额 ${formatYuan(verifiedOutOfPocket)} (the relief cannot exceed the out-of-pocket amount)`;
  }
  return undefined;
}

/** After relief: P1 for a household not yet monitored, a medical measure in its P2 plan otherwise; `day` is the decision's. */
async function followUp(input: IllnessReliefInput, data: IllnessReliefData, total: number, day: string): Promise<FollowUp> {
  const { household, processId, year } = input;
  const measure: PlanMeasureProposal = {
    category: 'medical_assistance',
    target: `${year}年大病一事一议已救助 ${formatYuan(total)}；跟踪后续治疗费用和医保待遇落实，防止因病返贫`,
    responsibleUnit: ALERTING_DEPARTMENT,
    dueDate: addDays(day, MEASURE_HORIZON_DAYS),
  };
  let now = await acts.illnessReliefHousehold(household.id);
  if (now.monitoringStatus !== 'monitored') {
    const description = `大病一事一议特殊救助（${processId}）：${year}年个人自付医疗费用 ${formatYuan(data.verification?.verifiedOutOfPocket ?? data.totals.outOfPocket)}，已救助 ${formatYuan(total)}，存在因病返贫致贫风险`;
    const alert = { department: ALERTING_DEPARTMENT, reference: processId };
    try {
      // P1's own start path (one open identification per household, numbered from the register).
      const started = await acts.startFollowUp({
        type: 'identification',
        input: {
          householdId: household.id,
          channel: 'department_alert',
          category: now.status === 'out_of_poverty' ? 'unstable' : 'sudden_hardship',
          riskTypes: ['illness'],
          description,
          alert,
        },
        startedBy: { id: processId, name: `${ILLNESS_RELIEF.title.zh} ${processId}` },
      });
      if (!started.existing) return { action: 'identificationStarted', identificationId: started.id };
      // An identification is already open: the alert joins it, as every department alert does.
      await acts.joinIdentification({ identificationId: started.id, eventId: `${processId}:alert`, alert: { ...alert, riskTypes: ['illness'], description } });
      return { action: 'identificationJoined', identificationId: started.id };
    } catch (err) {
      if (!(err instanceof ActivityFailure)) throw err;
      now = await acts.illnessReliefHousehold(household.id);
      // Monitored meanwhile (P1 refuses a monitored household): the plan measure below applies instead.
      if (now.monitoringStatus !== 'monitored') return { action: 'identificationNotStarted', reason: (err.cause ?? err).message };
    }
  }
  const added = await acts.addPlanMeasure({ householdId: household.id, eventId: `${processId}:measure`, source: `${ILLNESS_RELIEF.title.zh} ${processId}`, measure });
  return added.helperProcessId
    ? { action: 'planMeasureAdded', helperProcessId: added.helperProcessId, measure }
    : { action: 'planMeasurePending', reason: added.reason ?? '', measure };
}

function followUpSummary(f: FollowUp): string {
  switch (f.action) {
    case 'identificationStarted':
      return `该户未纳入监测：已按部门筛查预警发起监测对象认定（因病）${f.identificationId}`;
    case 'identificationJoined':
      return `该户已有办理中的监测对象认定，预警已并入 ${f.identificationId}`;
    case 'planMeasureAdded':
      return `已在帮扶计划中增加医疗救助措施（${f.helperProcessId}）`;
    case 'planMeasurePending':
      return `医疗救助措施已记录，待加入帮扶计划：${f.reason}`;
    case 'identificationNotStarted':
      return `未能发起监测对象认定，请人工处理：${f.reason}`;
  }
}
