/** A problem's rectification (`rectification:<year>:<household>:<item>`): analysis, fix, re-check, close-out. */
import { ActivityFailure } from '@temporalio/workflow';
import { Case, acts, endOf, type CaseEnd } from '../../workflows/case';
import { CHECKLIST_ITEMS, DEFAULT_CATEGORY, PROBLEM_CATEGORIES, daysBetween, type ChecklistItem, type ProblemCategory } from '../campaign/contract';
import { today } from '../../workflows/clock';
import { lists } from '../../workflows/activity-options';
import { RECTIFICATION, type AnalysisForm, type FixForm, type RecheckForm, type RectificationInput } from './contract';

interface RectificationData extends Record<string, unknown> {
  headName: string;
  year: number;
  item: ChecklistItem;
  note: string;
  category: ProblemCategory;
  department?: string;
  measure?: string;
  deadline?: string;
  houseRebuildId?: string;
  /** Re-check rejections (false or perfunctory fixes, item 49), counted against the department. */
  reopened: number;
}

export async function rectification(input: RectificationInput): Promise<CaseEnd> {
  const { household, item, policy } = input;
  const kase = new Case<RectificationData>({
    processId: input.processId,
    type: RECTIFICATION.type,
    householdId: household.id,
    subject: `${input.year}:${household.id}:${item}`,
    town: household.town,
    village: household.village,
    stage: 'analysis',
    data: { headName: household.headName, year: input.year, item, note: input.note, category: DEFAULT_CATEGORY[item], reopened: 0 },
  });
  const data = kase.state.data;
  return kase.run(async () => {
    kase.record('found', `走访发现问题（${CHECKLIST_ITEMS[item].zh}）：${input.note}`, { actor: input.foundBy });
    const analysis = await kase.openStep<AnalysisForm>(RECTIFICATION.steps.analysis, policy.analysis, {
      context: { item, note: input.note, visit: input.visitId },
      validate: (f) => {
        if (f.deadline < today()) return '整改时限不能早于今天 (the deadline cannot be in the past)';
        if (f.houseRebuild && f.category !== 'housing') return '只有住房问题可纳入农村危房改造 (only a housing problem goes to house rebuilding)';
        if (f.houseRebuild && f.onlyHouse === undefined) return '纳入危房改造须说明是否唯一住房 (say whether it is the only house)';
        return undefined;
      },
    });
    const { form: a, actor } = await kase.completion(analysis);
    const department = policy.departments[a.category];
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
        validate: (f) => (f.decision === 'reject' && !f.reason?.trim() ? '复核不通过须说明原因（虚假整改、敷衍整改）(a rejection needs the reason)' : undefined),
      });
      const { form: r } = await kase.completion(recheck);
      if (r.decision === 'pass') break;
      data.reopened += 1;
      kase.record('reopened', `复核不通过，退回${department}重新整改（第 ${data.reopened} 次，计入部门）：${r.reason}`);
      fixNeeded = true;
    }
    kase.setStage('closed');
    return { status: 'completed', result: '已销号 (closed out)' };
  }).then(endOf);
}
