/**
 * The policy's values and their checks. Each process owns one section (its folder's policy.ts, listed by
 * processes/index.ts). The values in force live in the database as versions (server/policy-versions.ts):
 * the policy file (`policy/policy.yaml`, or `POLICY_FILE`) is loaded here only to seed version 1 when
 * there is none. The server snapshots a process's section into each case's input, so a new version
 * affects new cases only.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createHash } from 'node:crypto';
import { parse } from 'yaml';
import { PolicyError, mapping, required } from './check';
import { POLICY_SECTIONS, type PolicySections } from '../processes';

export { PolicyError };

export interface Policy extends PolicySections {
  /** The version's name: the file's `version` for a file, `v<n>` for a version from the database. */
  version: string;
  /** Short hash of the values, recorded with each case (`<version>#<digest>`). */
  digest: string;
  source: string;
}

export const DEFAULT_POLICY_FILE = fileURLToPath(new URL('./policy.yaml', import.meta.url));

/** Every section of `raw`, each checked by its process (a PolicyError names the first key at fault). */
export function checkPolicyValues(raw: unknown, extraKeys: readonly string[] = []): PolicySections {
  const root = mapping(raw, '(root)', [...extraKeys, ...POLICY_SECTIONS.map((s) => s.key)]);
  return Object.fromEntries(POLICY_SECTIONS.map(({ key, check, optional }) => [key, optional && root[key] == null ? check(undefined, key) : required(root, key, '', (v) => check(v, key))])) as PolicySections;
}

/** The values of a policy, without its name (what a version stores). */
export function policyValues(policy: Policy): PolicySections {
  return Object.fromEntries(POLICY_SECTIONS.map(({ key }) => [key, policy[key as keyof PolicySections]])) as PolicySections;
}

/** JSON with the keys of every object sorted: equal values, equal text. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v)
      .sort()
      .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

export const valuesDigest = (values: PolicySections): string => createHash('sha256').update(canonicalJson(values)).digest('hex').slice(0, 12);

export function loadPolicy(file = process.env.POLICY_FILE || DEFAULT_POLICY_FILE): Policy {
  const text = readFileSync(file, 'utf8');
  try {
    let raw: unknown;
    try {
      raw = parse(text);
    } catch (err) {
      throw new PolicyError('(file)', `not valid YAML: ${(err as Error).message}`);
    }
    const root = mapping(raw, '(root)');
    const version = String(required(root, 'version', '', (v) => v)).trim();
    const sections = checkPolicyValues(raw, ['version']);
    return { version, digest: valuesDigest(sections), source: file, ...sections };
  } catch (err) {
    if (err instanceof PolicyError) throw new PolicyError(err.key, err.message.slice(err.key.length + 2), file);
    throw err;
  }
}
