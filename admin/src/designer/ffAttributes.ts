/**
 * Reading and writing our BPMN extension on the modeler's business objects (moddle elements): the `ff:`
 * attributes of user and service tasks (contracts/bpmn/ff-moddle.json), what a call activity calls, and the FEEL condition and default
 * flag of a branch out of an exclusive gateway. The write helpers return the properties for bpmn-js's
 * `modeling.updateProperties`, so every change is one undoable command and lands in the saved XML.
 */
import { CALLABLE_ELEMENTS, type CallableElement, type TaskRole } from '../../../contracts/bpmn/designed';

/** The part of a moddle element these helpers use. */
export interface BusinessObject {
  $type: string;
  id: string;
  name?: string;
  get(name: string): unknown;
  sourceRef?: BusinessObject;
  default?: BusinessObject;
  conditionExpression?: { body?: string };
}

/** What creates a FEEL expression element (bpmn-js's `moddle`). */
export interface ModdleFactory {
  create(type: string, attrs: Record<string, unknown>): unknown;
}

export interface TaskAttributes {
  role?: string;
  department?: string;
  due?: string;
  form?: string;
}

export interface ServiceAttributes {
  action?: string;
  department?: string;
}

const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);

export function readTaskAttributes(bo: BusinessObject): TaskAttributes {
  return { role: str(bo.get('ff:role')), department: str(bo.get('ff:department')), due: str(bo.get('ff:due')), form: str(bo.get('ff:form')) };
}

export function readServiceAttributes(bo: BusinessObject): ServiceAttributes {
  return { action: str(bo.get('ff:action')), department: str(bo.get('ff:department')) };
}

/** What a call activity calls (`calledElement`), when it is one the engine runs. */
export function readCalledElement(bo: BusinessObject): CallableElement | undefined {
  const called = str(bo.get('calledElement'));
  return (CALLABLE_ELEMENTS as readonly string[]).includes(called ?? '') ? (called as CallableElement) : undefined;
}

/** A call activity's `calledElement` (an emptied choice removes it). */
export const calledElementUpdate = (called: string): { calledElement: string | undefined } => ({ calledElement: str(called) });

/** Only a department officer's task names a department: another role clears it. */
const DEPARTMENT_ROLE: TaskRole = 'department_officer';

/** `ff:` properties of a user task change (an emptied value removes its attribute). */
export function taskAttributeUpdate(patch: TaskAttributes): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(patch)) out[`ff:${k}`] = str(v);
  if ('role' in patch && patch.role !== DEPARTMENT_ROLE) out['ff:department'] = undefined;
  return out;
}

/** Only notifying a department names one. */
export function serviceAttributeUpdate(patch: ServiceAttributes): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(patch)) out[`ff:${k}`] = str(v);
  if ('action' in patch && patch.action !== 'notifyDepartment') out['ff:department'] = undefined;
  return out;
}

/** A sequence flow out of an exclusive gateway: it carries a condition, or is the gateway's default. */
export const isGatewayBranch = (bo: BusinessObject) => bo.$type === 'bpmn:SequenceFlow' && bo.sourceRef?.$type === 'bpmn:ExclusiveGateway';

export const isDefaultBranch = (bo: BusinessObject) => !!bo.sourceRef && bo.sourceRef.default === bo;

export const conditionOf = (bo: BusinessObject) => bo.conditionExpression?.body ?? '';

/** The flow's `bpmn:conditionExpression` (a FEEL `bpmn:FormalExpression`), or none for an empty text. */
export function conditionUpdate(moddle: ModdleFactory, text: string): { conditionExpression: unknown } {
  const body = text.trim();
  return { conditionExpression: body ? moddle.create('bpmn:FormalExpression', { body }) : undefined };
}

/** The gateway's properties making the flow its default (or no longer); a default flow has no condition. */
export function defaultBranchUpdate(flow: BusinessObject, on: boolean): { gateway: { default: BusinessObject | undefined }; flow?: { conditionExpression: undefined } } {
  return on ? { gateway: { default: flow }, flow: { conditionExpression: undefined } } : { gateway: { default: undefined } };
}

/** What the properties panel edits on an element. */
export type ElementKind = 'userTask' | 'serviceTask' | 'callActivity' | 'branch' | 'other';

export function elementKind(bo: BusinessObject): ElementKind {
  if (bo.$type === 'bpmn:UserTask') return 'userTask';
  if (bo.$type === 'bpmn:ServiceTask') return 'serviceTask';
  if (bo.$type === 'bpmn:CallActivity') return 'callActivity';
  if (isGatewayBranch(bo)) return 'branch';
  return 'other';
}
