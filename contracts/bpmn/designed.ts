/**
 * Designed processes (BPMN, API.md "Designed processes"): the vocabulary shared by the console's modeler and
 * the server's validator and interpreter. The `ff:` extension attributes are described for bpmn-moddle in
 * ./ff-moddle.json (namespace https://fangfan.example/bpmn).
 */
import type { Role } from '../roles';

export const FF_NAMESPACE = 'https://fangfan.example/bpmn';

/** Roles a designed user task may name (`ff:role`). */
export const TASK_ROLES = ['village_cadre', 'town_officer', 'department_officer', 'district_supervisor'] as const satisfies readonly Role[];
export type TaskRole = (typeof TASK_ROLES)[number];

/** Built-in actions a service task may run (`ff:action`); anything else is refused on save. */
export const SERVICE_ACTIONS = ['startIdentification', 'addHelperMeasure', 'setHouseholdFlag', 'notifyDepartment'] as const;
export type ServiceAction = (typeof SERVICE_ACTIONS)[number];

/**
 * `ff:due`: `calendarDays:N`, `workingDays:N`, `endOfMonth`, or an ISO 8601 duration (`P5D`, `PT48H`).
 * Returns a reason (Chinese) when the text is not one of these.
 */
export function dueRuleProblem(text: string): string | undefined {
  if (/^(calendarDays|workingDays):[1-9]\d{0,3}$/.test(text)) return undefined;
  if (text === 'endOfMonth') return undefined;
  if (/^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?$/.test(text)) return undefined;
  return '期限规则应为 calendarDays:N、workingDays:N、endOfMonth 或 ISO 8601 时长(如 P5D)';
}

/** A designed type's key: `[a-z][a-zA-Z0-9]{2,40}`, never a built-in type's. */
export const DESIGNED_KEY_PATTERN = /^[a-z][a-zA-Z0-9]{2,40}$/;

/**
 * What a call activity may call (`calledElement`): only the shared review procedure (workflows/review-procedure.ts:
 * 核实 → 村评议 → 公示 → 乡镇审核 → 区级审定), written once and never re-modeled.
 */
export const CALLABLE_ELEMENTS = ['review'] as const;
export type CallableElement = (typeof CALLABLE_ELEMENTS)[number];
