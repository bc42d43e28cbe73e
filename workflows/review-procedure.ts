/**
 * The shared review sub-procedure (核实 → 评议 → 公示 → 乡镇审核 → 区级审定), written once and run by
 * identification (P1) and risk elimination (P2). Returns the decision; the caller applies it.
 */
import { setHandler } from '@temporalio/workflow';
import type { Case, OpenStep, StepOptions } from './case';
import { addDays, shanghaiDay, today } from './clock';
import { parseIsoDuration } from '../calendar/dates';
import type { FieldRefusal, StepDefinition } from '../contracts/steps';
import type { DueRule } from '../contracts/due';
import {
  DEFAULT_BACKDATE_DAYS,
  objectionSignal,
  type DistrictApprovalForm,
  type HomeVerificationForm,
  type ObjectionReviewForm,
  type PublicNoticeForm,
  type ReviewPolicy,
  type ReviewStepKey,
  type TownReviewForm,
  type VillageReviewForm,
} from '../contracts/review';

export interface Objection {
  id: string;
  at: string;
  raisedBy: string;
  content: string;
  status: 'new' | 'reviewing' | 'upheld' | 'dismissed';
  reasons?: string;
}

export type ReviewOutcome =
  | { decision: 'approved'; effectiveOn: string; verification: HomeVerificationForm }
  | { decision: 'rejected'; by: 'village' | 'town' | 'district'; reasons: string };

export interface ReviewProcedureOptions {
  kase: Case<any>;
  steps: Record<ReviewStepKey, StepDefinition>;
  policy: ReviewPolicy;
  /** Where objections are kept in the case's data (shown in the live state). */
  objections: Objection[];
}


export class ReviewProcedure {
  private noticeOpen = false;

  constructor(private readonly o: ReviewProcedureOptions) {
    setHandler(objectionSignal, (env) => {
      const payload = env.payload;
      if (!o.kase.firstDelivery(env.eventId, env.receivedAt)) return;
      if (!this.noticeOpen) {
        o.kase.record('objection_ignored', `公示期外收到的异议未受理：${payload.content}`, { actor: { id: env.actor.id, name: env.actor.name } });
        void o.kase.commit();
        return;
      }
      o.objections.push({ id: `objection-${o.objections.length + 1}`, at: env.receivedAt, raisedBy: payload.raisedBy, content: payload.content, status: 'new' });
      o.kase.record('objection', `收到公示异议（${payload.raisedBy}）：${payload.content}`, { actor: { id: env.actor.id, name: env.actor.name } });
      void o.kase.commit();
    });
  }

  /** Run the procedure to a decision. Returns to verification as often as town review or an objection asks. */
  async run(): Promise<ReviewOutcome> {
    const { kase, steps, policy } = this.o;
    // The day this procedure began (for identification, the case's start): no decision takes effect before it.
    const begunOn = kase.day();
    for (;;) {
      kase.setStage('homeVerification');
      const verification = await this.step<HomeVerificationForm>(steps.homeVerification, policy.steps.homeVerification, {
        validate: (form, actor) => {
          const co = form.coVerifier;
          if (!co) return `须由两名村干部共同入户核实，请填写同行核实人 (two village cadres verify together: name the co-verifier)`;
          if (co.id === actor.id) return `同行核实人不能是本人 (the co-verifier must be another cadre)`;
          if (!co.roles.includes('village_cadre') || co.village !== kase.state.village || co.town !== kase.state.town) {
            return `同行核实人须为本村村干部 (the co-verifier must be a village cadre of ${kase.state.village})`;
          }
          if (form.verifiedOn > today()) return `核实日期不能晚于今天 (the verification date cannot be in the future)`;
          return undefined;
        },
      });

      kase.setStage('villageReview');
      const review = await this.step<VillageReviewForm>(steps.villageReview, policy.steps.villageReview, {
        validate: (form) => (form.heldOn > today() ? `评议日期不能晚于今天 (the review date cannot be in the future)` : undefined),
      });
      if (review.result === 'fail') return { decision: 'rejected', by: 'village', reasons: review.minutes };

      kase.setStage('publicNotice');
      if ((await this.notice()) === 'returned') continue;

      kase.setStage('townReview');
      const town = await this.step<TownReviewForm>(steps.townReview, policy.steps.townReview, { validate: needsReasons });
      if (town.decision === 'return') continue;
      if (town.decision === 'reject') return { decision: 'rejected', by: 'town', reasons: town.reasons ?? '' };

      kase.setStage('districtApproval');
      const district = await this.step<DistrictApprovalForm>(steps.districtApproval, policy.steps.districtApproval, {
        validate: (form) => needsReasons(form) ?? effectiveOnRule(form.effectiveOn, begunOn, policy.backdateDays ?? DEFAULT_BACKDATE_DAYS),
      });
      if (district.decision === 'reject') return { decision: 'rejected', by: 'district', reasons: district.reasons ?? '' };
      return { decision: 'approved', effectiveOn: district.effectiveOn ?? kase.day(), verification };
    }
  }

  private async step<F>(def: StepDefinition, rule: DueRule, options: StepOptions<F> = {}): Promise<F> {
    const step = await this.o.kase.openStep<F>(def, rule, options);
    return (await this.o.kase.completion(step)).form;
  }

  /** The public notice: at least the policy minimum, objections reviewed by the town while it is up. */
  private async notice(): Promise<'passed' | 'returned'> {
    const { kase, steps, policy, objections } = this.o;
    const earliest = await kase.due({ duration: policy.noticeMinimum });
    const pending = () => objections.some((o) => o.status === 'new' || o.status === 'reviewing');
    const notice: OpenStep<PublicNoticeForm> = await kase.openStep<PublicNoticeForm>(steps.publicNotice, policy.steps.publicNotice, {
      context: { earliestCompletion: earliest.dueAt },
      validate: (form, _actor, step) => {
        if (Date.now() < Date.parse(earliest.dueAt)) {
          return `公示期不少于${policy.noticeMinimum.replace(/^P(\d+)D$/, '$1 天')}，${earliest.dueAt.slice(0, 16).replace('T', ' ')} 前不能结束公示 (the public notice lasts at least ${policy.noticeMinimum})`;
        }
        const dates = noticeDatesRule(form, shanghaiDay(Date.parse(step.openedAt)), policy.noticeMinimum);
        if (dates) return dates;
        if (pending()) return `公示期间有未处理的异议，须先处理异议 (an objection is still under review)`;
        return undefined;
      },
    });
    this.noticeOpen = true;
    try {
      for (;;) {
        await kase.waitFor(() => notice.isSubmitted || objections.some((o) => o.status === 'new'));
        if (notice.isSubmitted) return 'passed';
        const objection = objections.find((o) => o.status === 'new')!;
        objection.status = 'reviewing';
        const review = await this.step<ObjectionReviewForm>(steps.objectionReview, policy.steps.objectionReview, {
          context: { objectionId: objection.id, raisedBy: objection.raisedBy, content: objection.content },
        });
        objection.reasons = review.reasons;
        if (review.decision === 'uphold') {
          objection.status = 'upheld';
          // Other objections raised meanwhile are settled by the new verification.
          for (const o of objections) if (o.status === 'new') o.status = 'upheld';
          await kase.cancelStep(notice, `异议成立，退回入户核实 (objection upheld: back to verification)`);
          return 'returned';
        }
        objection.status = 'dismissed';
        kase.record('objection_dismissed', `异议不成立：${review.reasons}`);
        await kase.commit();
      }
    } finally {
      this.noticeOpen = false;
    }
  }
}

/**
 * The date the district's decision takes effect: not in the future, not before the procedure began, at
 * most `backdateDays` before the approval day (policy). Absent: the approval day.
 */
function effectiveOnRule(effectiveOn: string | undefined, begunOn: string, backdateDays: number): FieldRefusal | undefined {
  if (!effectiveOn) return undefined;
  const field = 'effectiveOn';
  if (effectiveOn > today()) return { field, rule: 'notFuture', message: `生效日期不能晚于审定当日 ${today()} (effectiveOn cannot be in the future)` };
  if (effectiveOn < begunOn) return { field, rule: 'notBeforeStart', message: `生效日期不能早于本次办理开始之日 ${begunOn} (effectiveOn cannot be before the case started)` };
  const earliest = addDays(today(), -backdateDays);
  if (effectiveOn < earliest) {
    return { field, rule: 'backdate', message: `生效日期最多早于审定当日 ${backdateDays} 天，不能早于 ${earliest} (effectiveOn at most ${backdateDays} days before the approval day)` };
  }
  return undefined;
}

/**
 * The period the notice records: posted no earlier than the day its step opened, ended not in the
 * future, and covering the policy minimum in calendar days, both ends counted (P5D: 5 days).
 */
function noticeDatesRule(form: PublicNoticeForm, openedOn: string, minimum: string): FieldRefusal | undefined {
  if (form.postedOn < openedOn) return { field: 'postedOn', rule: 'notBeforeOpened', message: `张贴日期不能早于公示环节开始之日 ${openedOn} (postedOn cannot be before the notice step opened)` };
  if (form.endedOn > today()) return { field: 'endedOn', rule: 'notFuture', message: `公示结束日期不能晚于今天 (endedOn cannot be in the future)` };
  const days = Math.max(1, Math.ceil(parseIsoDuration(minimum) / 86_400_000));
  const earliestEnd = addDays(form.postedOn, days - 1);
  if (form.endedOn < earliestEnd) {
    return { field: 'endedOn', rule: 'minimum', message: `公示期不少于 ${days} 天（张贴日和结束日都计入）：${form.postedOn} 张贴的公示最早 ${earliestEnd} 结束 (the posted period covers at least ${days} days, both ends counted)` };
  }
  return undefined;
}

function needsReasons(form: { decision: string; reasons?: string }): string | undefined {
  if (form.decision !== 'approve' && !form.reasons?.trim()) return `退回或不予通过必须说明理由 (reasons are required to return or reject)`;
  return undefined;
}

