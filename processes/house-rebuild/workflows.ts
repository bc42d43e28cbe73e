/**
 * P4 农村危房改造 — dilapidated-house rebuilding. One case per household at a time: eligibility (town;
 * the re-eligibility rule of item 22 as a step validator) → appraisal (区住房城乡建委; A/B closes as
 * safe) → plan → for D temporary housing before demolition → construction with progress reports →
 * acceptance (a failure returns to construction) → subsidy → the house recorded safe.
 */
import { fen, formatYuan } from '../../contracts/money';
import { setHandler } from '@temporalio/workflow';
import { Case, acts, type OpenStep, type StepOptions } from '../../workflows/case';
import type { DueRule } from '../../contracts/due';
import type { StepDefinition } from '../../contracts/steps';
import { APPRAISAL_GRADES, TEMPORARY_HOUSING } from '../../contracts/vocabulary';
import {
  HOUSE_REBUILD,
  HOUSING_DEPARTMENT,
  eligibilityFacts,
  eligibilityRefusal,
  type AcceptanceForm,
  type AppraisalForm,
  type ConstructionStartForm,
  type DemolitionForm,
  type EligibilityForm,
  type HouseRebuildData,
  type HouseRebuildInput,
  type PaymentForm,
  type PlanForm,
  type TemporaryHousingForm,
  type UnsafeGrade,
  type WorksFinishedForm,
} from './contract';
import { notFuture } from '../../workflows/clock';

const S = HOUSE_REBUILD.steps;

type Data = HouseRebuildData & Record<string, unknown>;
type Outcome = { status: 'completed' | 'rejected'; result: string; reasons?: string };

export async function houseRebuild(input: HouseRebuildInput): Promise<unknown> {
  const { request, household, policy, processId } = input;
  const data: HouseRebuildData = { request, headName: household.headName, facts: eligibilityFacts(input), progress: [], acceptances: [] };
  const kase = new Case<Data>({
    processId,
    type: HOUSE_REBUILD.type,
    householdId: household.id,
    subject: household.id,
    town: household.town,
    village: household.village,
    stage: 'started',
    data: data as Data,
  });
  // The housing department owns P4 (items 20–22): it sees the case from the start.
  kase.involve(HOUSING_DEPARTMENT);

  // Progress reports are facts, not tasks: any number of them while the works are under way.
  setHandler(HOUSE_REBUILD.signals.progressReport.definition, (env) => {
    if (!kase.firstDelivery(env.eventId, env.receivedAt)) return;
    const report = env.payload;
    const by = { id: env.actor.id, name: env.actor.name };
    if (kase.state.stage !== 'construction') {
      kase.record('progress_ignored', `施工阶段外收到的进度报告未受理：${report.description}`, { actor: by });
    } else {
      data.progress.push({ ...report, at: env.receivedAt, by });
      kase.record('progress', `施工进度 ${report.percent}%：${report.description}`, { actor: by });
    }
    void kase.commit();
  });

  const step = async <F>(def: StepDefinition, rule: DueRule, options: StepOptions<F> = {}): Promise<F> => {
    const open = await kase.openStep<F>(def, rule, options);
    return (await kase.completion(open)).form;
  };

  /** D: the old house comes down only once the family has somewhere to live (temporary housing recorded). */
  async function demolish(): Promise<void> {
    let housing: OpenStep<TemporaryHousingForm> | undefined;
    if (!data.temporaryHousing) {
      housing = await kase.openStep<TemporaryHousingForm>(S.temporaryHousing, policy.steps.temporaryHousing, {
        validate: (f) => notFuture(f.arrangedOn, '安置日期', 'the arrangement date'),
      });
    }
    const housed = () => !!data.temporaryHousing || !!housing?.isSubmitted;
    const demolition = await kase.openStep<DemolitionForm>(S.demolition, policy.steps.demolition, {
      validate: (f) =>
        housed()
          ? notFuture(f.demolishedOn, '拆除日期', 'the demolition date')
          : 'D级危房拆除重建须先安排过渡住房，方可拆除旧房 (temporary housing must be arranged before the house is demolished)',
    });
    const housingPending = () => !!housing?.isSubmitted && !data.temporaryHousing;
    while (!demolition.isSubmitted) {
      await kase.waitFor(() => demolition.isSubmitted || housingPending());
      if (housingPending()) {
        const th = housing!.submission!.form;
        data.temporaryHousing = th;
        kase.record('temporary_housing', `过渡安置：${TEMPORARY_HOUSING[th.arrangement].zh}，${th.address}`);
        await kase.commit();
      }
    }
    data.demolition = demolition.submission!.form;
  }

  return kase.run(async (): Promise<Outcome> => {
    // 资格审核: low-income group, only house, re-eligibility (item 22).
    kase.setStage('eligibility');
    const eligibility = await step<EligibilityForm>(S.eligibility, policy.steps.eligibility, {
      context: { ...data.facts },
      validate: (f) => {
        if (f.decision === 'ineligible') {
          return f.reasons?.trim() ? notFuture(f.checkedOn, '审核日期', 'the check date') : '认定不符合条件必须说明理由 (reasons are required when not eligible)';
        }
        return eligibilityRefusal(data.facts, policy) ?? notFuture(f.checkedOn, '审核日期', 'the check date');
      },
    });
    data.eligibility = eligibility;
    if (eligibility.decision === 'ineligible') {
      data.result = 'ineligible';
      return { status: 'rejected', result: '不符合危房改造条件 (not eligible)', reasons: eligibility.reasons };
    }

    // 房屋安全鉴定 by 区住房城乡建委.
    kase.setStage('appraisal');
    const appraisalStep = await kase.openStep<AppraisalForm>(S.appraisal, policy.steps.appraisal, {
      validate: (f) => notFuture(f.appraisedOn, '鉴定日期', 'the appraisal date'),
    });
    const appraisal = (await kase.completion(appraisalStep)).form;
    data.appraisal = appraisal;
    await acts.recordHousingAppraisal({
      id: `${processId}/${appraisalStep.instance.id}`,
      householdId: household.id,
      processId,
      grade: appraisal.grade,
      appraisedOn: appraisal.appraisedOn,
      appraiser: appraisal.appraiser,
      reportNo: appraisal.reportNo,
      findings: appraisal.findings,
    });
    if (appraisal.grade === 'A' || appraisal.grade === 'B') {
      data.result = 'safe';
      return { status: 'completed', result: `房屋安全（${APPRAISAL_GRADES[appraisal.grade].zh}），无需改造 (the house is safe)` };
    }
    const grade: UnsafeGrade = appraisal.grade;
    data.method = grade === 'C' ? 'reinforcement' : 'rebuild';
    kase.record('appraised', grade === 'C' ? 'C级危房，实施加固改造 (grade C: reinforce)' : 'D级危房，实施拆除重建 (grade D: demolish and rebuild)');

    // 改造方案 (town); for D the temporary housing may come with it.
    kase.setStage('plan');
    const plan = await step<PlanForm>(S.plan, policy.steps.plan, {
      context: { grade, method: data.method },
      validate: (f) => notFuture(f.temporaryHousing?.arrangedOn, '安置日期', 'the arrangement date'),
    });
    data.plan = plan;
    if (plan.temporaryHousing) data.temporaryHousing = plan.temporaryHousing;

    if (grade === 'D') {
      kase.setStage('demolition');
      await demolish();
    }

    kase.setStage('constructionStart');
    data.constructionStart = await step<ConstructionStartForm>(S.constructionStart, policy.steps.constructionStart, {
      validate: (f) => notFuture(f.startedOn, '开工日期', 'the start date'),
    });

    // Works, due by grade; a failed acceptance returns here with its defects (due by the rework rule).
    const works = grade === 'C' ? S.reinforcement : S.rebuilding;
    let rule = policy.construction[grade];
    let accepted: AcceptanceForm;
    for (;;) {
      kase.setStage('construction');
      await step<WorksFinishedForm>(works, rule, {
        context: data.openDefects ? { defects: data.openDefects } : undefined,
        validate: (f) => notFuture(f.finishedOn, '竣工日期', 'the completion date'),
      });
      kase.setStage('acceptance');
      const acceptance = await step<AcceptanceForm>(S.acceptance, policy.steps.acceptance, {
        context: data.openDefects ? { previousDefects: data.openDefects } : undefined,
        validate: (f) => {
          if (f.result === 'fail' && !f.defects?.some((d) => d.trim())) return '验收不合格须列明存在的问题 (a failed acceptance lists the defects)';
          return notFuture(f.inspectedOn, '验收日期', 'the inspection date');
        },
      });
      data.acceptances.push(acceptance);
      if (acceptance.result === 'pass') {
        accepted = acceptance;
        delete data.openDefects;
        break;
      }
      data.openDefects = acceptance.defects!.filter((d) => d.trim());
      kase.record('acceptance_failed', `验收不合格，退回整改：${data.openDefects.join('；')}`);
      rule = policy.rework;
    }

    // 补助资金发放: the standard for the grade, snapshotted at the start; a different amount (standards
    // vary by group and by the actual cost) is paid only with its reason.
    kase.setStage('payment');
    const amount = policy.subsidy[grade];
    const payment = await step<PaymentForm>(S.payment, policy.steps.payment, {
      context: { grade, amount },
      validate: (f) =>
        fen(f.amount) !== fen(amount) && !f.differenceReason?.trim()
          ? `补助金额与${grade}级危房补助标准（${formatYuan(amount)}）不同，须说明原因 (the amount differs from the grade ${grade} standard of ${amount} yuan: give the reason)`
          : notFuture(f.paidOn, '发放日期', 'the payment date'),
    });
    if (fen(payment.amount) !== fen(amount)) kase.record('subsidy_differs', `补助金额 ${formatYuan(payment.amount)}（补助标准 ${formatYuan(amount)}）：${payment.differenceReason}`);
    data.subsidy = payment;
    await acts.recordHousingRenovation({
      id: `${processId}/renovation`,
      householdId: household.id,
      processId,
      grade,
      method: data.method,
      completedOn: accepted.inspectedOn,
      subsidy: payment.amount,
      voucherNo: payment.voucherNo,
    });
    data.result = grade === 'C' ? 'reinforced' : 'rebuilt';
    return {
      status: 'completed',
      result: grade === 'C' ? '加固改造完成，住房安全有保障 (reinforced: the house is safe)' : '拆除重建完成，住房安全有保障 (rebuilt: the house is safe)',
    };
  });
}
