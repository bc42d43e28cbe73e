/**
 * The policy's `staffing` section: how many 信息员 (information officers) each level should have (plan
 * item 16: 区级 2 名、每镇 2 名、每村 1 名). Optional: a version stored before the section existed reads
 * as the plan's numbers. The staffing statistic (server/stats/information-officers.ts) reads the version in force.
 */
import { integer, mapping } from './check';

export interface StaffingPolicy {
  /** Information officers each level should have. */
  informationOfficers: { district: number; town: number; village: number };
}

export const DEFAULT_STAFFING_POLICY: StaffingPolicy = { informationOfficers: { district: 2, town: 2, village: 1 } };

/** The most officers a level may be asked for (a bound on typing mistakes, not a rule of the plan). */
export const MAX_OFFICERS_PER_UNIT = 50;

export function checkStaffingPolicy(v: unknown, key: string): StaffingPolicy {
  if (v === undefined || v === null) return structuredClone(DEFAULT_STAFFING_POLICY);
  const o = mapping(v, key, ['informationOfficers']);
  const d = DEFAULT_STAFFING_POLICY.informationOfficers;
  const given = o.informationOfficers === undefined ? {} : mapping(o.informationOfficers, `${key}.informationOfficers`, ['district', 'town', 'village']);
  const level = (k: 'district' | 'town' | 'village') => (given[k] === undefined ? d[k] : integer(given[k], `${key}.informationOfficers.${k}`, 0, MAX_OFFICERS_PER_UNIT));
  return { informationOfficers: { district: level('district'), town: level('town'), village: level('village') } };
}
