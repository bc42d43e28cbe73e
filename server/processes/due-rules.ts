/**
 * The due rules the policy in force sets for the catalogue's steps: the catalogue shows them, and the
 * step lists use them to count what is left of a deadline in working days where the rule does.
 */
import { processType } from '../../processes';
import type { DueRule } from '../../contracts/due';

/** The value at a dotted path of the policy (`identification.steps.homeVerification`), if any. */
export function policyDueRule(policy: object, path: string): DueRule | undefined {
  const value = path.split('.').reduce<unknown>((o, k) => (o !== null && typeof o === 'object' && Object.hasOwn(o, k) ? (o as Record<string, unknown>)[k] : undefined), policy);
  return value !== null && typeof value === 'object' ? (value as DueRule) : undefined;
}

/** The rule the policy sets for a step of a process type (undefined for steps whose deadline a case sets itself). */
export function stepDueRule(policy: object, type: string, stepKey: string): DueRule | undefined {
  const step = processType(type)?.steps.find((s) => s.key === stepKey);
  return step?.duePolicyKey ? policyDueRule(policy, step.duePolicyKey) : undefined;
}
