/** Policy section `campaign` (P5: items 17, 48–51): step deadlines and the category → department map (item 50). */
import { CAMPAIGN_HOUSEHOLD_GROUP_KEYS, PROBLEM_CATEGORY_KEYS, type CampaignPolicy, type ProblemCategory } from './contract';
import { DEPARTMENTS, type Department } from '../../contracts/roles';
import { choices, dueRule, fail, integer, mapping, required } from '../../policy/check';

export function campaignSection(v: unknown, key = 'campaign'): CampaignPolicy {
  const o = mapping(v, key, ['formTeams', 'analysis', 'recheck', 'departments', 'housingPollHours', 'householdGroups', 'visitsPerRun', 'schedule']);
  const departments = required(o, 'departments', key, (d, k) => {
    const m = mapping(d, k, PROBLEM_CATEGORY_KEYS);
    return Object.fromEntries(
      PROBLEM_CATEGORY_KEYS.map((c) => [
        c,
        required(m, c, k, (x, ck): Department => ((DEPARTMENTS as readonly string[]).includes(x as string) ? (x as Department) : fail(ck, `must be one of ${DEPARTMENTS.join(', ')}`))),
      ]),
    ) as Record<ProblemCategory, Department>;
  });
  return {
    formTeams: required(o, 'formTeams', key, dueRule),
    analysis: required(o, 'analysis', key, dueRule),
    recheck: required(o, 'recheck', key, dueRule),
    departments,
    housingPollHours: required(o, 'housingPollHours', key, (x, k) => integer(x, k, 1, 24 * 30)),
    // Every household of the chosen towns unless the district names groups (item 51: 全面查找).
    householdGroups: o.householdGroups == null || o.householdGroups === 'all' ? 'all' : choices(o.householdGroups, `${key}.householdGroups`, CAMPAIGN_HOUSEHOLD_GROUP_KEYS),
    ...(o.visitsPerRun === undefined || o.visitsPerRun === null ? {} : { visitsPerRun: integer(o.visitsPerRun, `${key}.visitsPerRun`, 1, 1000) }),
    ...(o.schedule === undefined || o.schedule === null
      ? {}
      : {
          schedule: ((s, k) => {
            const m = mapping(s, k, ['month', 'dayOfMonth', 'hour', 'visitDays', 'rectifyDays']);
            const visitDays = required(m, 'visitDays', k, (x, xk) => integer(x, xk, 1, 365));
            return {
              month: required(m, 'month', k, (x, xk) => integer(x, xk, 1, 12)),
              dayOfMonth: required(m, 'dayOfMonth', k, (x, xk) => integer(x, xk, 1, 28)),
              hour: required(m, 'hour', k, (x, xk) => integer(x, xk, 0, 23)),
              visitDays,
              rectifyDays: required(m, 'rectifyDays', k, (x, xk) => integer(x, xk, visitDays, 730)),
            };
          })(o.schedule, `${key}.schedule`),
        }),
  };
}
