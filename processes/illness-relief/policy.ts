/** Policy section `illnessRelief` (P3): the threshold that starts a case and the step deadlines. */
import { ILLNESS_RELIEF_DUE_KEYS, type IllnessReliefPolicy } from './contract';
import { dueRules, fail, mapping, number, required } from '../../policy/check';

export function illnessReliefSection(v: unknown, key = 'illnessRelief'): IllnessReliefPolicy {
  const o = mapping(v, key, ['threshold', 'steps']);
  const threshold = required(o, 'threshold', key, (t, k) => {
    const m = mapping(t, k, ['fixedAmount', 'incomeShare', 'combine']);
    const combine = required(m, 'combine', k, (c, ck): 'lower' | 'higher' => (c === 'lower' || c === 'higher' ? c : fail(ck, 'must be lower or higher')));
    return {
      fixedAmount: required(m, 'fixedAmount', k, (n, nk) => number(n, nk, 0, 10_000_000)),
      ...(m.incomeShare === undefined || m.incomeShare === null ? {} : { incomeShare: number(m.incomeShare, `${k}.incomeShare`, 0.01, 10) }),
      combine,
    };
  });
  return { threshold, steps: required(o, 'steps', key, (s, k) => dueRules(s, k, ILLNESS_RELIEF_DUE_KEYS)) };
}
