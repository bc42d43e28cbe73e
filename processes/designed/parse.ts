/**
 * A designed process's BPMN, read on the server with bpmn-moddle and the `ff:` descriptor into the
 * compact model the interpreter runs (./contract.ts), and checked against the subset it supports. Each
 * problem names the BPMN element (its id) and says why, in Chinese: the modeler outlines that element.
 */
import { BpmnModdle } from 'bpmn-moddle';
import { parseExpression } from 'feelin';
import ff from '../../contracts/bpmn/ff-moddle.json' with { type: 'json' };
import { CALLABLE_ELEMENTS, SERVICE_ACTIONS, TASK_ROLES, dueRuleProblem, type CallableElement, type ServiceAction, type TaskRole } from '../../contracts/bpmn/designed';
import { objectionSignal } from '../../contracts/review';
import { DEPARTMENTS, ROLE_TITLES } from '../../contracts/roles';
import { CALLED_REVIEW_STEPS, dueRuleOf, type DesignedModel, type ElementKind, type ModelElement, type ModelFlow } from './contract';

export interface ModelProblem {
  field: string;
  message: string;
  /** The BPMN attribute broken, for API clients (`ff:role`); `supported` when none is. */
  rule?: string;
}

type Node = Record<string, any> & { $type: string; id: string };

/** What an unnamed element is called in a problem (its id is the problem's `field`, not words for people). */
const SUPPORTED_NAMES: Record<string, string> = {
  'bpmn:StartEvent': '开始事件',
  'bpmn:EndEvent': '结束事件',
  'bpmn:UserTask': '用户任务',
  'bpmn:ServiceTask': '服务任务',
  'bpmn:ExclusiveGateway': '排他网关',
  'bpmn:ParallelGateway': '并行网关',
  'bpmn:IntermediateCatchEvent': '中间事件',
  'bpmn:BoundaryEvent': '边界事件',
};

const KIND_NAMES: Record<string, string> = {
  'bpmn:Task': '任务',
  'bpmn:ScriptTask': '脚本任务',
  'bpmn:SendTask': '发送任务',
  'bpmn:ReceiveTask': '接收任务',
  'bpmn:ManualTask': '手工任务',
  'bpmn:BusinessRuleTask': '业务规则任务',
  'bpmn:SubProcess': '子流程',
  'bpmn:InclusiveGateway': '包容网关',
  'bpmn:EventBasedGateway': '事件网关',
  'bpmn:ComplexGateway': '复杂网关',
  'bpmn:IntermediateThrowEvent': '中间抛出事件',
  'bpmn:DataObjectReference': '数据对象',
  'bpmn:DataStoreReference': '数据存储',
};

/** A FEEL expression's syntax problem, if any (feelin's parser recovers from errors: look for error nodes). */
export function feelProblem(expression: string): string | undefined {
  let broken = false;
  try {
    parseExpression(expression, {}, undefined).iterate({
      enter: (node) => {
        if (node.type.isError) broken = true;
      },
    });
  } catch {
    broken = true;
  }
  return broken ? `条件「${expression}」不是有效的 FEEL 表达式` : undefined;
}

/** Parse and check; the model when there are no problems. */
export async function parseDesigned(xml: string, formKeys: string[]): Promise<{ model?: DesignedModel; problems: ModelProblem[] }> {
  let root: Node;
  try {
    root = (await new BpmnModdle({ ff }).fromXML(xml)).rootElement as unknown as Node;
  } catch (err) {
    return { problems: [{ field: 'bpmn', message: `BPMN 无法解析：${(err as Error).message.split('\n')[0]}` }] };
  }
  const processes = ((root.rootElements ?? []) as Node[]).filter((e) => e.$type === 'bpmn:Process');
  if (processes.length !== 1) return { problems: [{ field: 'bpmn', message: `应有且仅有一个流程（bpmn:process），现有 ${processes.length} 个` }] };
  const nodes = (processes[0].flowElements ?? []) as Node[];
  const problems: ModelProblem[] = [];
  const problem = (id: string, message: string, rule?: string) => problems.push({ field: id, message, ...(rule ? { rule } : {}) });
  const elements: Record<string, ModelElement> = {};
  const flows: Record<string, ModelFlow> = {};
  const labels: Record<string, string> = {};
  /** Elements refused on their own: still connected, so their neighbours' flows are not reported missing too. */
  const refused: Record<string, Pick<ModelElement, 'incoming' | 'outgoing'>> = {};

  for (const n of nodes) {
    if (n.$type === 'bpmn:SequenceFlow') {
      const condition = typeof n.conditionExpression?.body === 'string' ? n.conditionExpression.body.trim() : undefined;
      flows[n.id] = { id: n.id, source: n.sourceRef?.id, target: n.targetRef?.id, ...(condition ? { condition } : {}) };
      continue;
    }
    labels[n.id] = labelOf(n);
    const el = element(n, problem, formKeys);
    if (el) elements[n.id] = el;
    else refused[n.id] = { incoming: [], outgoing: [] };
  }
  for (const f of Object.values(flows)) {
    const source = elements[f.source] ?? refused[f.source];
    const target = elements[f.target] ?? refused[f.target];
    if (!source || !target) continue;
    source.outgoing.push(f.id);
    target.incoming.push(f.id);
    if (f.condition) {
      if (f.source in elements && elements[f.source].kind !== 'exclusive') problem(f.id, `只有排他网关的出线可以带条件（${labels[f.source]}不是排他网关）`);
      const p = feelProblem(f.condition);
      if (p) problem(f.id, p);
    }
  }
  const starts = Object.values(elements).filter((e) => e.kind === 'start');
  if (starts.length !== 1) problem(processes[0].id ?? 'bpmn', `应有且仅有一个开始事件，现有 ${starts.length} 个`);
  for (const el of Object.values(elements)) connections(el, labels[el.id], elements, flows, problem);
  calls(Object.values(elements), problem);
  if (problems.length) return { problems };
  const messages = [...new Set(Object.values(elements).flatMap((e) => (e.message ? [e.message] : [])))];
  return { model: { elements, flows, start: starts[0].id, messages }, problems };
}

/** An element as a problem names it: 「its name」, or 「what it is」 when it has none. */
function labelOf(n: Node): string {
  return `「${(n.name as string | undefined)?.trim() || SUPPORTED_NAMES[n.$type] || KIND_NAMES[n.$type] || n.id}」`;
}

type Problem = (id: string, message: string, rule?: string) => void;

function element(n: Node, problem: Problem, formKeys: string[]): ModelElement | undefined {
  const base = (kind: ElementKind): ModelElement => ({ id: n.id, kind, name: (n.name as string | undefined)?.trim() || n.id, incoming: [], outgoing: [] });
  const defs = (n.eventDefinitions ?? []) as Node[];
  const def = defs[0]?.$type;
  const label = labelOf(n);
  if (defs.length > 1) return void problem(n.id, `${label}不支持多个事件定义`);
  switch (n.$type) {
    case 'bpmn:StartEvent':
      if (def) return void problem(n.id, `${label}开始事件不支持事件定义（只支持空开始事件）`);
      return base('start');
    case 'bpmn:EndEvent':
      if (!def) return base('end');
      if (def === 'bpmn:TerminateEventDefinition') return base('terminateEnd');
      return void problem(n.id, `${label}结束事件不支持该事件定义（只支持空结束与终止结束）`);
    case 'bpmn:UserTask':
      return userTask(base('userTask'), n, label, problem, formKeys);
    case 'bpmn:ServiceTask': {
      const action = n.action as string | undefined;
      if (!action || !(SERVICE_ACTIONS as readonly string[]).includes(action)) {
        return void problem(n.id, `${label}服务任务不支持动作「${action ?? '（未填写）'}」，可选：${SERVICE_ACTIONS.join('、')}`);
      }
      const department = n.department as string | undefined;
      if (action === 'notifyDepartment' && !(DEPARTMENTS as readonly string[]).includes(department ?? '')) {
        return void problem(n.id, `${label}通知部门须选择一个区级部门`, 'ff:department');
      }
      return { ...base('serviceTask'), action: action as ServiceAction, ...(department ? { department } : {}) };
    }
    case 'bpmn:ExclusiveGateway':
      return { ...base('exclusive'), ...(n.default?.id ? { defaultFlow: n.default.id } : {}) };
    case 'bpmn:ParallelGateway':
      return base('parallel');
    case 'bpmn:CallActivity': {
      const called = (n.calledElement as string | undefined)?.trim();
      if (!called || !(CALLABLE_ELEMENTS as readonly string[]).includes(called)) {
        return void problem(n.id, `${label}调用活动不支持调用「${called || '（未填写）'}」，只能调用审核程序（calledElement="review"）`);
      }
      return { ...base('callActivity'), called: called as CallableElement };
    }
    case 'bpmn:IntermediateCatchEvent':
      if (def === 'bpmn:TimerEventDefinition') {
        const timer = timerRule(defs[0], label, n.id, problem);
        return timer ? { ...base('timer'), timer } : undefined;
      }
      if (def === 'bpmn:MessageEventDefinition') {
        const message = defs[0].messageRef?.name as string | undefined;
        if (!message || !/^[a-zA-Z][a-zA-Z0-9_]{0,40}$/.test(message)) return void problem(n.id, `${label}消息须引用一个有名称的消息（字母开头，字母数字）`);
        return { ...base('message'), message };
      }
      return void problem(n.id, `${label}中间捕获事件只支持定时器与消息`);
    case 'bpmn:BoundaryEvent': {
      if (def !== 'bpmn:TimerEventDefinition') return void problem(n.id, `${label}边界事件只支持定时器`);
      const attachedTo = n.attachedToRef?.id as string | undefined;
      if (n.attachedToRef?.$type !== 'bpmn:UserTask') return void problem(n.id, `${label}定时边界事件只能附在用户任务上`);
      const timer = timerRule(defs[0], label, n.id, problem);
      return timer ? { ...base('boundaryTimer'), timer, attachedTo, interrupting: n.cancelActivity !== false } : undefined;
    }
    default:
      return void problem(n.id, `${label}${KIND_NAMES[n.$type] ?? `元素（${n.$type.replace('bpmn:', '')}）`}不支持`);
  }
}

function userTask(el: ModelElement, n: Node, label: string, problem: Problem, formKeys: string[]): ModelElement | undefined {
  const role = n.role as string | undefined;
  const before = el;
  let ok = true;
  const fail = (message: string, rule: string) => {
    ok = false;
    problem(n.id, `${label}${message}`, rule);
  };
  if (!role || !(TASK_ROLES as readonly string[]).includes(role)) fail(`须指定办理角色（${TASK_ROLES.map((r) => ROLE_TITLES[r].zh).join('、')}之一）`, 'ff:role');
  const department = n.department as string | undefined;
  if (role === 'department_officer' && !(DEPARTMENTS as readonly string[]).includes(department ?? '')) fail('由区级部门办理，须选择一个区级部门', 'ff:department');
  const due = n.due as string | undefined;
  const dueProblem = due === undefined ? undefined : dueRuleProblem(due);
  if (dueProblem) fail(dueProblem, 'ff:due');
  const form = n.form as string | undefined;
  if (form !== undefined && !formKeys.includes(form)) fail(`所用的表单「${form}」不存在`, 'ff:form');
  if (!ok) return undefined;
  return {
    ...before,
    role: role as TaskRole,
    ...(role === 'department_officer' ? { department } : {}),
    ...(due ? { due: dueRuleOf(due) } : {}),
    ...(form ? { form } : {}),
  };
}

function timerRule(def: Node, label: string, id: string, problem: Problem) {
  const text = (def.timeDuration?.body as string | undefined)?.trim();
  if (!text) return void problem(id, `${label}定时器只支持时长（timeDuration），如 P5D 或 workingDays:5`);
  const p = dueRuleProblem(text);
  if (p) return void problem(id, `${label}${p}`);
  return dueRuleOf(text);
}

function connections(el: ModelElement, label: string, elements: Record<string, ModelElement>, flows: Record<string, ModelFlow>, problem: Problem): void {
  if (el.kind === 'boundaryTimer') {
    const task = el.attachedTo ? elements[el.attachedTo] : undefined;
    if (task) (task.boundaries ??= []).push(el.id);
    if (el.outgoing.length !== 1) problem(el.id, `${label}边界事件须有且仅有一条出线`);
    return;
  }
  if (el.kind !== 'start' && el.incoming.length === 0) problem(el.id, `${label}没有进入的连线`);
  if (el.kind === 'start' && el.incoming.length) problem(el.id, `${label}开始事件不能有进入的连线`);
  const ends = el.kind === 'end' || el.kind === 'terminateEnd';
  if (ends && el.outgoing.length) problem(el.id, `${label}结束事件不能有出线`);
  if (!ends && el.outgoing.length === 0) problem(el.id, `${label}没有出线`);
  const gateway = el.kind === 'exclusive' || el.kind === 'parallel';
  if (!gateway && !ends && el.outgoing.length > 1) problem(el.id, `${label}有多条出线：请用网关分支`);
  if (el.kind === 'exclusive' && el.outgoing.length > 1) {
    for (const id of el.outgoing) {
      if (id !== el.defaultFlow && !flows[id].condition) problem(id, `排他网关${label}的出线须有条件（或设为默认连线）`);
    }
  }
  if (el.defaultFlow && !el.outgoing.includes(el.defaultFlow)) problem(el.id, `${label}默认连线不是它的出线`);
}

/**
 * The review runs at most once at a time in a case: one call activity (a loop may pass it again), and no
 * task or message named like one of its steps or its objection signal.
 */
function calls(elements: ModelElement[], problem: (id: string, message: string) => void): void {
  const called = elements.filter((e) => e.kind === 'callActivity');
  if (!called.length) return;
  for (const e of called.slice(1)) problem(e.id, `「${e.name}」一个流程只能有一个调用审核程序的调用活动`);
  const reserved = new Set(Object.keys(CALLED_REVIEW_STEPS));
  for (const e of elements) {
    if (e.kind === 'userTask' && reserved.has(e.id)) problem(e.id, `「${e.name}」的编号 ${e.id} 与审核程序的环节重名，请换一个编号`);
    if (e.message === objectionSignal.name) problem(e.id, `「${e.name}」的消息名 ${e.message} 是审核程序公示异议的名称，请换一个`);
  }
}
