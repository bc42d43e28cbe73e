/**
 * A problem's rectification (`rectification:<year>:<household>:<item>` from a visit, numbered ids for a
 * supervisor's finding): analysis, fix, re-check (a rejection records 问责), close-out.
 */
import { ActivityFailure, patched } from '@temporalio/workflow';
import { Case, acts, endOf, type CaseEnd } from '../../workflows/case';
import { CHECKLIST_ITEMS, DEFAULT_CATEGORY, PROBLEM_CATEGORIES, daysBetween, type ChecklistItem, type ProblemCategory } from '../campaign/contract';
import { today } from '../../workflows/clock';
import { lists } from '../../workflows/activity-options';
import { RECTIFICATION, RECTIFICATION_SOURCES, type Accountability, type AnalysisForm, type FixForm, type RecheckForm, type RectificationInput, type RectificationSource } from './contract';

interface RectificationData extends Record<string, unknown> {
  headName: string;
  year: number;
  item?: ChecklistItem;
  source?: RectificationSource;
  reference?: string;
  note: string;
  category: ProblemCategory;
  department?: string;
  measure?: string;
  deadline?: string;
  houseRebuildId?: string;
  /** Re-check rejections (false or perfunctory fixes, item 49), counted against the department. */
  reopened: number;
  /** 问责 recorded with each rejection (item 49), oldest first. */
  accountability?: (Accountability & { round: number; department?: string })[];
}

export async function rectification(input: RectificationInput): Promise<CaseEnd> {
  const { household, item, policy, finding } = input;
  // 问责 with each rejected re-check (item 49); runs started before recorded none.
  const accountabilityRequired = patched('rectification-accountability');
  const source: RectificationSource = finding?.source ?? 'campaign_visit';
  const kase = new Case<RectificationData>({
    processId: input.processId,
    type: RECTIFICATION.type,
    householdId: household.id,
    subject: item ? `${input.year}:${household.id}:${item}` : `${household.id}:${source}:${finding?.reference}`,
    town: household.town,
    village: household.village,
    stage: 'analysis',
    data: {
      headName: household.headName,
      year: input.year,
      ...(item ? { item } : { source, reference: finding?.reference }),
      note: input.note,
      category: item ? DEFAULT_CATEGORY[item] : (finding?.category ?? 'other'),
      ...(finding ? { department: finding.department } : {}),
      reopened: 0,
    },
  });
  const data = kase.state.data;
  return kase.run(async () => {
    if (item) kase.record('found', `走访发现问题（${CHECKLIST_ITEMS[item].zh}）：${input.note}`, { actor: input.foundBy });
    else kase.record('found', `${RECTIFICATION_SOURCES[source].zh}发现问题（${finding?.reference}），责任部门${finding?.department}：${input.note}`, { actor: input.foundBy });
    if (finding) kase.involve(finding.department);
    const analysis = await kase.openStep<AnalysisForm>(RECTIFICATION.steps.analysis, policy.analysis, {
      context: item ? { item, note: input.note, visit: input.visitId } : { source, reference: finding?.reference, note: input.note, department: finding?.department },
      validate: (f) => {
        if (f.deadline < today()) return '整改时限不能早于今天 (the deadline cannot be in the past)';
        if (f.houseRebuild && f.category !== 'housing') return '只有住房问题可纳入农村危房改造 (only a housing problem goes to house rebuilding)';
        if (f.houseRebuild && f.onlyHouse === undefined) return '纳入危房改造须说明是否唯一住房 (say whether it is the only house)';
        return undefined;
      },
    });
    const { form: a, actor } = await kase.completion(analysis);
    // The department a supervisor named for the finding, or the category's (policy `campaign.departments`).
    const department = finding?.department ?? policy.departments[a.category];
    Object.assign(data, { category: a.category, department, measure: a.measure, deadline: a.deadline });
    kase.involve(department);
    kase.record('analysed', `研判：${PROBLEM_CATEGORIES[a.category].zh}问题，由${department}于 ${a.deadline} 前整改：${a.measure}`);

    let fixNeeded = true;
    if (a.houseRebuild) {
      try {
        const started = await acts.startFollowUp({
          type: 'houseRebuild',
          input: { householdId: household.id, channel: 'campaign', description: `大排查发现住房问题：${input.note}；整改措施：${a.measure}`, onlyHouse: !!a.onlyHouse },
          startedBy: { id: actor.id, name: actor.name },
        });
        data.houseRebuildId = started.id;
        kase.setStage('houseRebuild');
        kase.record('house_rebuild', `纳入农村危房改造 ${started.id}${started.existing ? '（已在办理）' : ''}，改造办结后复核`);
        await kase.commit();
        // P4 does not know the problem: the problem looks at P4's status in the read model.
        while (['running', 'unknown'].includes(await lists.caseStatus({ processId: started.id }))) await kase.sleep(policy.housingPollHours * 3600_000);
        kase.record('house_rebuild_closed', `农村危房改造 ${started.id} 已办结`);
        fixNeeded = false;
      } catch (err) {
        if (!(err instanceof ActivityFailure)) throw err;
        kase.record('house_rebuild_refused', `未能纳入农村危房改造，由${department}整改：${err.cause?.message ?? err.message}`);
      }
    }
    for (;;) {
      if (fixNeeded) {
        kase.setStage('fix');
        const fix = await kase.openStep<FixForm>({ ...RECTIFICATION.steps.fix, department }, { calendarDays: daysBetween(kase.day(), data.deadline!) }, {
          context: { item, category: data.category, measure: data.measure, deadline: data.deadline, reopened: data.reopened },
          validate: (f) => (f.fixedOn > today() ? '整改日期不能晚于今天 (the date cannot be in the future)' : undefined),
        });
        await kase.completion(fix);
      }
      kase.setStage('recheck');
      const recheck = await kase.openStep<RecheckForm>(RECTIFICATION.steps.recheck, policy.recheck, {
        context: { item, category: data.category, department },
        validate: (f) => {
          if (f.decision !== 'reject') return undefined;
          if (!f.reason?.trim()) return '复核不通过须说明原因（虚假整改、敷衍整改）(a rejection needs the reason)';
          const a = f.accountability;
          if (accountabilityRequired && !(a?.who.trim() && a.measure.trim())) return '复核不通过须记录问责：问责对象、问责措施、问责日期 (a rejection records who is held accountable, the measure and the date)';
          if (a && a.decidedOn > today()) return '问责日期不能晚于今天 (the date cannot be in the future)';
          return undefined;
        },
      });
      const { form: r } = await kase.completion(recheck);
      if (r.decision === 'pass') break;
      data.reopened += 1;
      kase.record('reopened', `复核不通过，退回${department}重新整改（第 ${data.reopened} 次，计入部门）：${r.reason}`);
      if (r.accountability) {
        (data.accountability ??= []).push({ ...r.accountability, round: data.reopened, department });
        kase.record('accountability', `问责：${r.accountability.who}，${r.accountability.measure}（${r.accountability.decidedOn}）`);
      }
      fixNeeded = true;
    }
    kase.setStage('closed');
    return { status: 'completed', result: '已销号 (closed out)' };
  }).then(endOf);
}
