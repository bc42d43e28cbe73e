/** Policy section `identification` (P1). */
import { REVIEW_STEP_KEYS } from '../../contracts/review';
import type { IdentificationPolicy } from './contract';
import { backdateDays, dueRule, dueRules, duration, mapping, required } from '../../policy/check';

export function identificationSection(v: unknown, key = 'identification'): IdentificationPolicy {
  const o = mapping(v, key, ['overallLimit', 'noticeMinimum', 'backdateDays', 'steps']);
  return {
    overallLimit: required(o, 'overallLimit', key, dueRule),
    noticeMinimum: required(o, 'noticeMinimum', key, duration),
    backdateDays: backdateDays(o, key),
    steps: required(o, 'steps', key, (s, k) => dueRules(s, k, REVIEW_STEP_KEYS)),
  };
}
