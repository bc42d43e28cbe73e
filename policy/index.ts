/**
 * Loads and validates the policy file (`policy/policy.yaml`, or `POLICY_FILE`); errors name the key.
 * Each process owns one section (its folder's policy.ts, listed by processes/index.ts); the server snapshots a process's section into
 * each case's input, so changing the file affects new cases only.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createHash } from 'node:crypto';
import { parse } from 'yaml';
import { PolicyError, mapping, required } from './check';
import { POLICY_SECTIONS, type PolicySections } from '../processes';

export { PolicyError };

export interface Policy extends PolicySections {
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
    const root = mapping(raw, '(root)', ['version', ...POLICY_SECTIONS.map((s) => s.key)]);
    const version = String(required(root, 'version', '', (v) => v)).trim();
    const sections = Object.fromEntries(POLICY_SECTIONS.map(({ key, check }) => [key, required(root, key, '', (v) => check(v, key))])) as PolicySections;
    const digest = createHash('sha256').update(text).digest('hex').slice(0, 12);
    return { version, digest, source: file, ...sections };
  } catch (err) {
    if (err instanceof PolicyError) throw new PolicyError(err.key, err.message.slice(err.key.length + 2), file);
    throw err;
  }
}
