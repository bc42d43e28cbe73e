/** Policy section `helperAssignment` (P2). */
import { REVIEW_STEP_KEYS } from '../../contracts/review';
import { HELPER_LEVEL_KEYS, type HelperAssignmentPolicy } from './contract';
import { backdateDays, choices, dueRule, dueRules, duration, integer, mapping, required } from '../../policy/check';

export function helperAssignmentSection(v: unknown, key = 'helperAssignment'): HelperAssignmentPolicy {
  const o = mapping(v, key, ['assignmentLimit', 'visitDue', 'eliminationMinimumMonths', 'eliminationRevertWindow', 'historyEventLimit', 'elimination', 'helperLevels']);
  return {
    assignmentLimit: required(o, 'assignmentLimit', key, dueRule),
    visitDue: required(o, 'visitDue', key, dueRule),
    eliminationMinimumMonths: required(o, 'eliminationMinimumMonths', key, (x, k) => integer(x, k, 0, 120)),
    eliminationRevertWindow: required(o, 'eliminationRevertWindow', key, dueRule),
    historyEventLimit: required(o, 'historyEventLimit', key, (x, k) => integer(x, k, 200, 40_000)),
    elimination: required(o, 'elimination', key, (e, k) => {
      const m = mapping(e, k, ['noticeMinimum', 'backdateDays', 'steps']);
      return { noticeMinimum: required(m, 'noticeMinimum', k, duration), backdateDays: backdateDays(m, k), steps: required(m, 'steps', k, (s, kk) => dueRules(s, kk, REVIEW_STEP_KEYS)) };
    }),
    // 区镇村三级: every level unless the district narrows it.
    helperLevels: o.helperLevels == null ? [...HELPER_LEVEL_KEYS] : choices(o.helperLevels, `${key}.helperLevels`, HELPER_LEVEL_KEYS),
  };
}
