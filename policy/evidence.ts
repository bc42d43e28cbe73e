/**
 * The policy's `evidence` section (issue 22): how many files each evidence step needs (the steps and
 * their fields are contracts/evidence.ts), how large one step's files may be together, and when a photo
 * is flagged to the reviewer (taken long before the step opened, or far from the village; flagged, never
 * refused). Every key is optional: a version stored before the section existed reads as these defaults.
 */
import { EVIDENCE_FIELDS } from '../contracts/evidence';
import { integer, mapping, number } from './check';

export interface EvidencePolicy {
  /** `<process type>` → `<step key>` → the files it needs at least (0: none). */
  required: Record<string, Record<string, number>>;
  /** All files of one step together, in MB. */
  stepMegabytes: number;
  /** A photo taken more than this many days before its step opened is flagged. */
  photoMaxAgeDays: number;
  /** A photo taken farther than this from its village (km) is flagged. */
  photoMaxDistanceKm: number;
}

export const DEFAULT_EVIDENCE_POLICY: EvidencePolicy = {
  required: Object.fromEntries(Object.entries(EVIDENCE_FIELDS).map(([type, steps]) => [type, Object.fromEntries(Object.keys(steps).map((k) => [k, 1]))])),
  stepMegabytes: 50,
  photoMaxAgeDays: 7,
  photoMaxDistanceKm: 5,
};

export const MAX_REQUIRED_FILES = 20;

export function checkEvidencePolicy(v: unknown, key: string): EvidencePolicy {
  if (v === undefined || v === null) return structuredClone(DEFAULT_EVIDENCE_POLICY);
  const o = mapping(v, key, ['required', 'stepMegabytes', 'photoMaxAgeDays', 'photoMaxDistanceKm']);
  const d = DEFAULT_EVIDENCE_POLICY;
  const req = o.required === undefined ? {} : mapping(o.required, `${key}.required`, Object.keys(EVIDENCE_FIELDS));
  const required = Object.fromEntries(
    Object.entries(EVIDENCE_FIELDS).map(([type, steps]) => {
      const given = req[type] === undefined ? {} : mapping(req[type], `${key}.required.${type}`, Object.keys(steps));
      return [type, Object.fromEntries(Object.keys(steps).map((k) => [k, given[k] === undefined ? d.required[type]![k]! : integer(given[k], `${key}.required.${type}.${k}`, 0, MAX_REQUIRED_FILES)]))];
    }),
  );
  return {
    required,
    stepMegabytes: o.stepMegabytes === undefined ? d.stepMegabytes : integer(o.stepMegabytes, `${key}.stepMegabytes`, 1, 1000),
    photoMaxAgeDays: o.photoMaxAgeDays === undefined ? d.photoMaxAgeDays : integer(o.photoMaxAgeDays, `${key}.photoMaxAgeDays`, 1, 3650),
    photoMaxDistanceKm: o.photoMaxDistanceKm === undefined ? d.photoMaxDistanceKm : number(o.photoMaxDistanceKm, `${key}.photoMaxDistanceKm`, 0.1, 1000),
  };
}
