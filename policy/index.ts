/**
 * Loads and validates the policy file (`policy/policy.yaml`, or `POLICY_FILE`); errors name the key.
 * Each process owns one section (policy/sections/); the server snapshots a process's section into
 * each case's input, so changing the file affects new cases only.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createHash } from 'node:crypto';
import { parse } from 'yaml';
import { PolicyError, mapping, required } from './check';
import { identificationSection } from '../processes/identification/policy';
import { helperAssignmentSection } from '../processes/helper-assignment/policy';
import { outOfPovertyVisitsSection } from '../processes/poverty-visit/policy';
import { houseRebuildSection } from '../processes/house-rebuild/policy';
import { illnessReliefSection } from '../processes/illness-relief/policy';
import { campaignSection } from '../processes/campaign/policy';

export { PolicyError };

/** Section name → its checker. A new process adds its section here. */
const SECTIONS = {
  identification: identificationSection,
  helperAssignment: helperAssignmentSection,
  outOfPovertyVisits: outOfPovertyVisitsSection,
  houseRebuild: houseRebuildSection,
  illnessRelief: illnessReliefSection,
  campaign: campaignSection,
};

type Sections = { [K in keyof typeof SECTIONS]: ReturnType<(typeof SECTIONS)[K]> };

export interface Policy extends Sections {
  version: string;
  /** Short hash of the file's content, recorded with each case. */
  digest: string;
  source: string;
}

export const DEFAULT_POLICY_FILE = fileURLToPath(new URL('./policy.yaml', import.meta.url));

export function loadPolicy(file = process.env.POLICY_FILE || DEFAULT_POLICY_FILE): Policy {
  const text = readFileSync(file, 'utf8');
  try {
    let raw: unknown;
    try {
      raw = parse(text);
    } catch (err) {
      throw new PolicyError('(file)', `not valid YAML: ${(err as Error).message}`);
    }
    const root = mapping(raw, '(root)', ['version', ...Object.keys(SECTIONS)]);
    const version = String(required(root, 'version', '', (v) => v)).trim();
    const sections = Object.fromEntries(Object.entries(SECTIONS).map(([name, check]) => [name, required(root, name, '', (v) => check(v, name))])) as Sections;
    const digest = createHash('sha256').update(text).digest('hex').slice(0, 12);
    return { version, digest, source: file, ...sections };
  } catch (err) {
    if (err instanceof PolicyError) throw new PolicyError(err.key, err.message.slice(err.key.length + 2), file);
    throw err;
  }
}
