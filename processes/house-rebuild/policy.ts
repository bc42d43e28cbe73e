/** Policy section `houseRebuild` (P4 农村危房改造). */
import { DEFAULT_RE_ELIGIBLE_CAUSES, FIXED_DUE_STEPS, HOUSE_REBUILD_GROUP_KEYS, UNSAFE_GRADES, type HouseRebuildPolicy } from './contract';
import { DANGER_CAUSES, type DangerCause } from '../../contracts/vocabulary';
import { choices, dueRule, dueRules, integer, mapping, required } from '../../policy/check';

export function houseRebuildSection(v: unknown, key = 'houseRebuild'): HouseRebuildPolicy {
  const o = mapping(v, key, ['steps', 'construction', 'rework', 'subsidy', 'eligibleGroups', 'reEligibleCauses']);
  return {
    steps: required(o, 'steps', key, (s, k) => dueRules(s, k, FIXED_DUE_STEPS)),
    construction: required(o, 'construction', key, (s, k) => dueRules(s, k, UNSAFE_GRADES)),
    rework: required(o, 'rework', key, dueRule),
    subsidy: required(o, 'subsidy', key, (s, k) => {
      const m = mapping(s, k, UNSAFE_GRADES);
      return { C: required(m, 'C', k, (x, kk) => integer(x, kk, 1, 1_000_000)), D: required(m, 'D', k, (x, kk) => integer(x, kk, 1, 1_000_000)) };
    }),
    // Items 20 and 22: who qualifies, and which causes let a house renovated before qualify again.
    eligibleGroups: o.eligibleGroups == null ? [...HOUSE_REBUILD_GROUP_KEYS] : choices(o.eligibleGroups, `${key}.eligibleGroups`, HOUSE_REBUILD_GROUP_KEYS),
    reEligibleCauses:
      o.reEligibleCauses == null ? [...DEFAULT_RE_ELIGIBLE_CAUSES] : choices(o.reEligibleCauses, `${key}.reEligibleCauses`, Object.keys(DANGER_CAUSES) as DangerCause[]),
  };
}
