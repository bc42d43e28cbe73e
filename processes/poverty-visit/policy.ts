/** Policy section `outOfPovertyVisits` (item 5: 脱贫户 visited in March, August and November). */
import type { OutOfPovertyVisitPolicy } from './contract';
import { dueRule, fail, integer, mapping, required } from '../../policy/check';

export function outOfPovertyVisitsSection(v: unknown, key = 'outOfPovertyVisits'): OutOfPovertyVisitPolicy {
  const o = mapping(v, key, ['months', 'dayOfMonth', 'hour', 'due']);
  const months = required(o, 'months', key, (m, k) => {
    if (!Array.isArray(m) || m.length === 0) return fail(k, 'must be a list of months 1–12');
    return m.map((x, i) => integer(x, `${k}[${i}]`, 1, 12));
  });
  return {
    months,
    dayOfMonth: required(o, 'dayOfMonth', key, (x, k) => integer(x, k, 1, 28)),
    hour: required(o, 'hour', key, (x, k) => integer(x, k, 0, 23)),
    due: required(o, 'due', key, dueRule),
  };
}
