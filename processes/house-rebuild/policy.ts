/** Policy section `houseRebuild` (P4 农村危房改造). */
import { FIXED_DUE_STEPS, UNSAFE_GRADES, type HouseRebuildPolicy } from './contract';
import { dueRule, dueRules, integer, mapping, required } from '../../policy/check';

export function houseRebuildSection(v: unknown, key = 'houseRebuild'): HouseRebuildPolicy {
  const o = mapping(v, key, ['steps', 'construction', 'rework', 'subsidy']);
  return {
    steps: required(o, 'steps', key, (s, k) => dueRules(s, k, FIXED_DUE_STEPS)),
    construction: required(o, 'construction', key, (s, k) => dueRules(s, k, UNSAFE_GRADES)),
    rework: required(o, 'rework', key, dueRule),
    subsidy: required(o, 'subsidy', key, (s, k) => {
      const m = mapping(s, k, UNSAFE_GRADES);
      return { C: required(m, 'C', k, (x, kk) => integer(x, kk, 1, 1_000_000)), D: required(m, 'D', k, (x, kk) => integer(x, kk, 1, 1_000_000)) };
    }),
  };
}
