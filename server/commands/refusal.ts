/**
 * What a command answers when it will not act: a kind (the API turns it into a status, server/errors.ts),
 * a message for people and the fields at fault. Nothing here knows HTTP: the worker starts follow-up
 * cases through the same commands (server/processes/follow-up.ts).
 */
export interface ErrorDetail {
  field?: string;
  rule: string;
  message: string;
}

/** Also the `code` of the API's error body. */
export type RefusalKind = 'invalid_request' | 'forbidden' | 'not_found' | 'conflict' | 'rule_violation' | 'unavailable';

export class Refusal extends Error {
  constructor(
    readonly kind: RefusalKind,
    message: string,
    readonly details: ErrorDetail[] = [],
    /** Facts the caller acts on, e.g. the id of the case already open (`conflict`). */
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'Refusal';
  }

  /** Set on a "no such …" that stands for "not yours to see" (`unknown`): the audit log records it, the caller cannot tell. */
  outOfScope = false;
}

export const badRequest = (message: string, details: ErrorDetail[] = []) => new Refusal('invalid_request', message, details);
/** A field-level refusal in one line. */
export const invalidField = (field: string, rule: string, message: string) => badRequest(`${field}: ${message}`, [{ field, rule, message }]);
export const forbidden = (message: string) => new Refusal('forbidden', message);
/**
 * An alert (or a department-alert start or signal) in another department's name: that department
 * would be involved with the household and see it whole (contracts/authz.ts speaksFor).
 */
export function notOwnDepartment(field: string): Refusal {
  const message = '只能以本部门名义预警 (an alert names your own department, or for an API key one an admin bound it to with a department:<部门> scope)';
  return new Refusal('forbidden', `${field}: ${message}`, [{ field, rule: 'own', message }]);
}
export const notFound = (message: string) => new Refusal('not_found', message);

/**
 * The one answer for a case or household that does not exist and, in the same words, for one the
 * caller may not see (issue 15): a 404 that names nothing but the id the caller sent, so that no
 * answer tells which ids exist, where they are or what state they are in. `outOfScope` marks the
 * second kind for the audit log only (server/authorization.ts), never for the answer.
 */
export const unknown = {
  case: (id: string, outOfScope = false) => hidden(notFound(`流程 ${id} 不存在 (no such process)`), outOfScope),
  household: (id: string, outOfScope = false) => hidden(notFound(`农户 ${id} 不存在 (no such household)`), outOfScope),
};
function hidden(refusal: Refusal, outOfScope: boolean): Refusal {
  refusal.outOfScope = outOfScope;
  return refusal;
}
export const conflict = (message: string, extra: Record<string, unknown> = {}) => new Refusal('conflict', message, [], extra);
export const ruleViolation = (message: string, details: ErrorDetail[] = []) => new Refusal('rule_violation', message, details);
/** The workflow engine is out of reach: nothing was done, the same request may be sent again. */
export const unavailable = (message: string) => new Refusal('unavailable', message);
