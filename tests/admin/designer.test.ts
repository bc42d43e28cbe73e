/**
 * The process designer's pure parts: the 办理期限 widget ↔ `ff:due`, the form designer → the JSON Schema
 * the console's form renderer draws, the `ff:` attributes and FEEL conditions read and written on real
 * moddle elements (bpmn-moddle with our descriptor, as bpmn-js uses it) and in the saved XML, and the
 * server's 422 split into problems on diagram elements.
 */
import { describe, expect, it } from 'vitest';
import ff from '../../contracts/bpmn/ff-moddle.json';
import { dueRuleProblem } from '../../contracts/bpmn/designed';
import { dueProblem, formatDueRule, parseDueRule, switchDueKind } from '../../admin/src/designer/dueRule';
import { formOfSchema, formProblems, formSchema, optionsText, parseOptions, type DesignedForm } from '../../admin/src/designer/formSchema';
import { calledElementUpdate, conditionOf, conditionUpdate, defaultBranchUpdate, elementKind, readCalledElement, readServiceAttributes, readTaskAttributes, serviceAttributeUpdate, taskAttributeUpdate, type BusinessObject } from '../../admin/src/designer/ffAttributes';
import { definitionProblems } from '../../admin/src/designer/problems';
import { emptyDiagram } from '../../admin/src/designer/emptyDiagram';
import { buildUiSchema } from '../../admin/src/lib/schemaUi';
import { formatValue } from '../../admin/src/forms/FormDataView';

/** bpmn-moddle ships no typings for its main entry: what this test uses of it (loaded by name, untyped). */
interface Moddle {
  fromXML(xml: string): Promise<{ rootElement: unknown; warnings: unknown[] }>;
  toXML(element: unknown): Promise<{ xml: string }>;
  create(type: string, attrs: Record<string, unknown>): unknown;
}
const BPMN_MODDLE: string = 'bpmn-moddle';
const { BpmnModdle } = (await import(BPMN_MODDLE)) as { BpmnModdle: new (extensions: Record<string, unknown>) => Moddle };

describe('the 办理期限 widget', () => {
  it('reads every kind of ff:due and writes it back unchanged', () => {
    expect(parseDueRule('workingDays:5')).toEqual({ kind: 'workingDays', days: 5 });
    expect(parseDueRule('calendarDays:15')).toEqual({ kind: 'calendarDays', days: 15 });
    expect(parseDueRule('endOfMonth')).toEqual({ kind: 'endOfMonth' });
    expect(parseDueRule('PT48H')).toEqual({ kind: 'duration', duration: 'PT48H' });
    expect(parseDueRule(undefined)).toBeUndefined();
    for (const text of ['workingDays:5', 'calendarDays:15', 'endOfMonth', 'P5D', 'PT48H']) {
      expect(formatDueRule(parseDueRule(text))).toBe(text);
      expect(dueRuleProblem(formatDueRule(parseDueRule(text)))).toBeUndefined();
    }
  });

  it('keeps the days when the kind changes and starts a duration from them', () => {
    expect(switchDueKind({ kind: 'workingDays', days: 5 }, 'calendarDays')).toEqual({ kind: 'calendarDays', days: 5 });
    expect(switchDueKind({ kind: 'workingDays', days: 7 }, 'duration')).toEqual({ kind: 'duration', duration: 'P7D' });
    expect(switchDueKind(undefined, 'workingDays')).toEqual({ kind: 'workingDays', days: 5 });
    expect(formatDueRule(switchDueKind({ kind: 'workingDays', days: 5 }, 'endOfMonth'))).toBe('endOfMonth');
  });

  it('says which part is wrong when the shared check refuses the rule', () => {
    expect(dueProblem({ kind: 'workingDays', days: 0 })).toBe('days');
    expect(dueProblem({ kind: 'calendarDays', days: NaN })).toBe('days');
    expect(dueProblem({ kind: 'duration', duration: '5 days' })).toBe('duration');
    expect(dueProblem({ kind: 'duration', duration: 'p5d' })).toBeUndefined(); // written as ISO wants it
    expect(formatDueRule({ kind: 'duration', duration: ' p5d ' })).toBe('P5D');
    expect(dueProblem({ kind: 'workingDays', days: 10 })).toBeUndefined();
  });
});

const review: DesignedForm = {
  key: 'townReview',
  title: '镇级审核',
  fields: [
    { key: 'householdId', title: '申请农户', type: 'household', required: true },
    { key: 'decision', title: '审核意见', type: 'choice', required: true, options: parseOptions('approve=同意\n退回\n\napprove=重复') },
    { key: 'amount', title: '救助金额', type: 'money', required: true },
    { key: 'people', title: '受助人数', type: 'number', required: false },
    { key: 'reviewedOn', title: '审核日期', type: 'date', required: true },
    { key: 'urgent', title: '是否紧急', type: 'boolean', required: false },
    { key: 'voucher', title: '凭证', type: 'file', required: false },
    { key: 'note', title: '说明', type: 'text', required: false },
  ],
};

describe('the form designer', () => {
  it('reads options one a line, with a value before = when it differs from the label', () => {
    expect(parseOptions('approve=同意\n退回\n\napprove=重复')).toEqual([
      { value: 'approve', label: '同意' },
      { value: '退回', label: '退回' },
    ]);
    expect(optionsText(parseOptions('approve=同意\n退回'))).toBe('approve=同意\n退回');
  });

  it('produces the JSON Schema the console renders with its own widgets', () => {
    const schema = formSchema(review);
    expect(schema).toMatchObject({ type: 'object', title: '镇级审核', required: ['householdId', 'decision', 'amount', 'reviewedOn'] });
    const p = schema.properties as Record<string, Record<string, unknown>>;
    expect(p.decision).toEqual({ type: 'string', title: '审核意见', oneOf: [{ const: 'approve', title: '同意' }, { const: '退回', title: '退回' }] });
    expect(p.amount).toMatchObject({ type: 'number', title: '救助金额（元）', minimum: 0 });
    expect(p.reviewedOn).toMatchObject({ type: 'string', format: 'date' });
    expect(p.voucher).toMatchObject({ type: 'string', format: 'file-id' });
    expect(p.urgent).toMatchObject({ type: 'boolean' });
    // the renderer's widgets: the household search, the file picker, radio buttons for two options
    const ui = buildUiSchema(schema);
    expect(ui.householdId).toEqual({ 'ui:widget': 'household' });
    expect(ui.voucher).toEqual({ 'ui:widget': 'fileIds' });
    expect(ui.decision).toMatchObject({ 'ui:widget': 'radio' });
    // and its read-only view shows the amount as money and the choice by its label
    expect(formatValue(p.amount as never, 80000, '、', 'amount')).toBe('¥80,000.00');
    expect(formatValue(p.decision as never, 'approve')).toBe('同意');
  });

  it('reads a saved form back into the same fields', () => {
    expect(formOfSchema('townReview', formSchema(review))).toEqual({ ...review, fields: review.fields.map((f) => (f.type === 'choice' ? { ...f, options: parseOptions('approve=同意\n退回') } : f)) });
  });

  it('names what keeps a form from being saved', () => {
    expect(formProblems(review)).toEqual([]);
    expect(formProblems(review, ['townReview'])).toEqual([{ problem: 'form_key_taken' }]);
    const bad: DesignedForm = {
      key: 'Bad key',
      title: ' ',
      fields: [
        { key: '1x', title: '甲', type: 'text', required: false },
        { key: 'a', title: '', type: 'choice', required: false, options: parseOptions('只有一个') },
        { key: 'a', title: '乙', type: 'number', required: false },
      ],
    };
    expect(formProblems(bad)).toEqual([
      { problem: 'form_key' },
      { problem: 'form_title' },
      { field: 0, problem: 'field_key' },
      { field: 1, problem: 'field_title' },
      { field: 1, problem: 'options' },
      { field: 2, problem: 'field_key_taken' },
    ]);
    expect(formProblems({ key: 'empty', title: '空表', fields: [] })).toEqual([{ problem: 'no_fields' }]);
  });
});

const XML = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:ff="https://fangfan.example/bpmn" id="D" targetNamespace="https://fangfan.example/bpmn">
  <bpmn:process id="P" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:userTask id="apply" name="申请" ff:role="department_officer" ff:department="区民政局" ff:due="workingDays:5" ff:form="applyForm" />
    <bpmn:exclusiveGateway id="gw" />
    <bpmn:sequenceFlow id="big" sourceRef="gw" targetRef="district" />
    <bpmn:sequenceFlow id="small" sourceRef="gw" targetRef="end" />
    <bpmn:sequenceFlow id="s1" sourceRef="start" targetRef="apply" />
    <bpmn:serviceTask id="notify" ff:action="notifyDepartment" ff:department="区民政局" />
    <bpmn:userTask id="district" />
    <bpmn:callActivity id="review" name="审核" />
    <bpmn:endEvent id="end" />
  </bpmn:process>
</bpmn:definitions>`;

async function load() {
  const moddle = new BpmnModdle({ ff });
  const { rootElement } = await moddle.fromXML(XML);
  const process = (rootElement as unknown as { rootElements: { flowElements: BusinessObject[] }[] }).rootElements[0];
  const el = (id: string) => process.flowElements.find((e) => e.id === id)! as BusinessObject & { set(k: string, v: unknown): void };
  /** What modeling.updateProperties does to the business object. */
  const apply = (bo: ReturnType<typeof el>, props: Record<string, unknown>) => {
    for (const [k, v] of Object.entries(props)) bo.set(k, v);
  };
  const xml = async () => (await moddle.toXML(rootElement)).xml;
  return { moddle, el, apply, xml };
}

describe('the ff: attributes on the diagram', () => {
  it('reads a user task’s role, department, deadline and form, and a service task’s action', async () => {
    const { el } = await load();
    expect(readTaskAttributes(el('apply'))).toEqual({ role: 'department_officer', department: '区民政局', due: 'workingDays:5', form: 'applyForm' });
    expect(readTaskAttributes(el('district'))).toEqual({});
    expect(readServiceAttributes(el('notify'))).toEqual({ action: 'notifyDepartment', department: '区民政局' });
    expect([el('apply'), el('notify'), el('big'), el('s1'), el('gw')].map(elementKind)).toEqual(['userTask', 'serviceTask', 'branch', 'other', 'other']);
  });

  it('writes them into the saved XML; another role or action drops the department', async () => {
    const { el, apply, xml } = await load();
    apply(el('district'), taskAttributeUpdate({ role: 'village_cadre', due: 'calendarDays:3', form: 'review' }));
    apply(el('apply'), taskAttributeUpdate({ role: 'town_officer' }));
    apply(el('notify'), serviceAttributeUpdate({ action: 'startIdentification' }));
    const out = await xml();
    expect(out).toContain('<bpmn:userTask id="district" ff:role="village_cadre" ff:due="calendarDays:3" ff:form="review" />');
    expect(out).toMatch(/<bpmn:userTask id="apply" name="申请" ff:role="town_officer" ff:due="workingDays:5" ff:form="applyForm" \/>/);
    expect(out).toContain('<bpmn:serviceTask id="notify" ff:action="startIdentification" />');
    apply(el('district'), taskAttributeUpdate({ form: '' }));
    expect(await xml()).toContain('<bpmn:userTask id="district" ff:role="village_cadre" ff:due="calendarDays:3" />');
  });

  it('writes a branch’s FEEL condition as bpmn:conditionExpression, and a default branch without one', async () => {
    const { moddle, el, apply, xml } = await load();
    apply(el('big'), conditionUpdate(moddle, ' apply.amount > 5000 '));
    expect(conditionOf(el('big'))).toBe('apply.amount > 5000');
    expect(await xml()).toMatch(/<bpmn:sequenceFlow id="big" sourceRef="gw" targetRef="district">\s*<bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">apply.amount &gt; 5000<\/bpmn:conditionExpression>/);
    const on = defaultBranchUpdate(el('small'), true);
    apply(el('gw'), on.gateway);
    apply(el('small'), on.flow!);
    expect(await xml()).toContain('<bpmn:exclusiveGateway id="gw" default="small" />');
    apply(el('big'), conditionUpdate(moddle, '  '));
    expect(conditionOf(el('big'))).toBe('');
    apply(el('gw'), defaultBranchUpdate(el('small'), false).gateway);
    expect(await xml()).toContain('<bpmn:exclusiveGateway id="gw" />');
  });

  it('a call activity calls the shared review procedure, and nothing else the panel offers', async () => {
    const { el, apply, xml } = await load();
    expect(elementKind(el('review'))).toBe('callActivity');
    expect(readCalledElement(el('review'))).toBeUndefined();
    apply(el('review'), calledElementUpdate('review'));
    expect(readCalledElement(el('review'))).toBe('review');
    expect(await xml()).toContain('<bpmn:callActivity id="review" name="审核" calledElement="review" />');
    apply(el('review'), { calledElement: 'other' });
    expect(readCalledElement(el('review'))).toBeUndefined();
    apply(el('review'), calledElementUpdate(''));
    expect(await xml()).toContain('<bpmn:callActivity id="review" name="审核" />');
  });

  it('starts a new design from a diagram with one start event', async () => {
    const moddle = new BpmnModdle({ ff });
    const { rootElement, warnings } = await moddle.fromXML(emptyDiagram('开始 & "申请"'));
    expect(warnings).toEqual([]);
    const process = (rootElement as unknown as { rootElements: { flowElements: BusinessObject[] }[] }).rootElements[0];
    expect(process.flowElements.map((e) => [e.$type, e.name])).toEqual([['bpmn:StartEvent', '开始 & "申请"']]);
  });
});

describe('the server’s refusal on the diagram', () => {
  it('outlines the elements it names and lists the rest', () => {
    const err = {
      status: 422,
      message: '流程定义无法运行',
      body: { error: { message: '流程定义无法运行', details: [{ field: 'Task_1', rule: 'unsupported', message: '脚本任务 不支持' }, { field: 'forms.x', rule: 'schema', message: '表单 x 无效' }] } },
    };
    expect(definitionProblems(err, (id) => id === 'Task_1')).toEqual({ refused: true, onElements: [{ elementId: 'Task_1', message: '脚本任务 不支持' }], others: ['表单 x 无效'] });
    expect(definitionProblems({ message: '网络错误' }, () => true)).toEqual({ refused: false, onElements: [], others: ['网络错误'] });
  });
});
