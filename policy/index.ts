/**
 * Loads and validates the policy file (`policy/policy.yaml`, or `POLICY_FILE`). Errors name the key.
 * The server snapshots the relevant part into each case's input.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createHash } from 'node:crypto';
import { parse } from 'yaml';
import { parseIsoDuration, validateDueRule } from '../calendar';
import { REVIEW_STEP_KEYS } from '../contracts/review';
import type { IdentificationPolicy } from '../contracts/processes/identification';

export interface Policy {
  version: string;
  /** Short hash of the file's content, recorded with each case. */
  digest: string;
  source: string;
  identification: IdentificationPolicy;
}

export const DEFAULT_POLICY_FILE = fileURLToPath(new URL('./policy.yaml', import.meta.url));

export class PolicyError extends Error {
  constructor(readonly key: string, rule: string, file: string) {
    super(`policy ${file}: ${key}: ${rule}`);
  }
}

export function loadPolicy(file = process.env.POLICY_FILE || DEFAULT_POLICY_FILE): Policy {
  const text = readFileSync(file, 'utf8');
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (err) {
    throw new PolicyError('(file)', `not valid YAML: ${(err as Error).message}`, file);
  }
  const fail = (key: string, rule: string): never => {
    throw new PolicyError(key, rule, file);
  };
  const obj = (v: unknown, key: string): Record<string, unknown> =>
    v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : fail(key, 'must be a mapping');
  const known = (o: Record<string, unknown>, key: string, keys: readonly string[]) => {
    for (const k of Object.keys(o)) if (!keys.includes(k)) fail(`${key}.${k}`, `unknown key (expected one of ${keys.join(', ')})`);
  };
  const due = (v: unknown, key: string) => {
    try {
      return validateDueRule(v, key);
    } catch (err) {
      return fail(key, (err as Error).message);
    }
  };

  const root = obj(raw, '(root)');
  known(root, '(root)', ['version', 'identification']);
  const version = root.version === undefined ? fail('version', 'is required') : String(root.version);

  const p1 = obj(root.identification, 'identification');
  known(p1, 'identification', ['overallLimit', 'noticeMinimum', 'steps']);
  const noticeMinimum = typeof p1.noticeMinimum === 'string' ? p1.noticeMinimum : fail('identification.noticeMinimum', 'must be an ISO 8601 duration such as P5D');
  try {
    if (parseIsoDuration(noticeMinimum) <= 0) fail('identification.noticeMinimum', 'must be longer than zero');
  } catch (err) {
    if (err instanceof PolicyError) throw err;
    fail('identification.noticeMinimum', (err as Error).message);
  }
  const steps = obj(p1.steps, 'identification.steps');
  known(steps, 'identification.steps', REVIEW_STEP_KEYS);
  const identification: IdentificationPolicy = {
    overallLimit: due(p1.overallLimit, 'identification.overallLimit'),
    noticeMinimum,
    steps: Object.fromEntries(
      REVIEW_STEP_KEYS.map((k) => [k, steps[k] === undefined ? fail(`identification.steps.${k}`, 'is required') : due(steps[k], `identification.steps.${k}`)]),
    ) as IdentificationPolicy['steps'],
  };
  const digest = createHash('sha256').update(text).digest('hex').slice(0, 12);
  return { version, digest, source: file, identification };
}
