/**
 * Shipped example, as data (loaded on a fresh demo start like ./temporary-relief.ts; an administrator
 * edits it like any draft): the five-level project library of item 19 — 村级申报 → 镇级审核 → 行业部门评审
 * → 区级审定 → 市级备案. A village cadre declares a project (the start form); each level above either
 * passes it on or returns it one level down with its reasons (an exclusive gateway on the level's
 * `decision`; passing is the default flow): the town returns it to the village, which revises and
 * declares again; the department to the town; the district to the department; the city filing to the
 * district. The industry department is 区水利局 here (an administrator sets the district's own).
 */
import { exampleBpmn, text, type Flow, type Layout } from './diagram';

/** The five levels above the village, each with its review task and its return gateway. */
const LEVELS = [
  { task: 'townReview', name: '镇级审核', role: 'town_officer', returnsTo: 'villageRevision' },
  { task: 'departmentReview', name: '行业部门评审', role: 'department_officer" ff:department="区水利局', returnsTo: 'townReview' },
  { task: 'districtApproval', name: '区级审定', role: 'district_supervisor', returnsTo: 'departmentReview' },
  { task: 'cityFiling', name: '市级备案', role: 'district_supervisor', returnsTo: 'districtApproval' },
] as const;

const LAYOUT: Layout = {
  start: [160, 222, 'event'],
  villageRevision: [220, 60, 'task'],
  end: [1260, 222, 'event'],
};
const FLOWS: Flow[] = [
  ['f_start', 'start', 'townReview'],
  ['f_revised', 'villageRevision', 'townReview'],
];
LEVELS.forEach((level, i) => {
  const x = 240 + i * 250;
  const next = LEVELS[i + 1]?.task ?? 'end';
  LAYOUT[level.task] = [x, 200, 'task'];
  LAYOUT[`${level.task}Decision`] = [x + 140, 215, 'gateway'];
  FLOWS.push(
    [`f_${level.task}`, level.task, `${level.task}Decision`],
    [`f_${level.task}_return`, `${level.task}Decision`, level.returnsTo, `${level.task}.decision = "return"`],
    [`f_${level.task}_pass`, `${level.task}Decision`, next],
  );
});

const BPMN = exampleBpmn(
  { id: 'projectLibrary', name: '项目库五级申报' },
  [
    '<bpmn:startEvent id="start" name="村级申报"/>',
    '<bpmn:userTask id="villageRevision" name="村级修改申报" ff:role="village_cadre" ff:due="workingDays:5" ff:form="revision"/>',
    ...LEVELS.flatMap((level) => [
      `<bpmn:userTask id="${level.task}" name="${level.name}" ff:role="${level.role}" ff:due="workingDays:10" ff:form="review"/>`,
      `<bpmn:exclusiveGateway id="${level.task}Decision" name="${level.name}结果" default="f_${level.task}_pass"/>`,
    ]),
    '<bpmn:endEvent id="end" name="项目已入库"/>',
  ],
  LAYOUT,
  FLOWS,
);

const project = {
  projectName: text('项目名称', { maxLength: 200 }),
  category: { type: 'string', title: '项目类别', oneOf: ['产业发展', '就业帮扶', '乡村建设', '易地搬迁后续扶持', '其他'].map((c) => ({ const: c, title: c })) },
  budget: { type: 'number', title: '投资估算（元）', minimum: 0, maximum: 1000000000 },
  beneficiaries: { type: 'integer', title: '受益户数', minimum: 0, maximum: 100000 },
  description: text('建设内容'),
};

export const PROJECT_LIBRARY = {
  key: 'projectLibrary',
  title: { zh: '项目库五级申报', en: 'Project library (five levels)' },
  bpmn: BPMN,
  startRoles: ['village_cadre'],
  startForm: 'declaration',
  forms: {
    declaration: {
      type: 'object',
      title: '村级申报',
      required: ['projectName', 'category', 'budget', 'description'],
      additionalProperties: false,
      properties: project,
    },
    revision: {
      type: 'object',
      title: '村级修改申报',
      required: ['changes'],
      additionalProperties: false,
      properties: { changes: text('修改说明'), budget: project.budget, description: text('修改后的建设内容', { minLength: 0 }) },
    },
    review: {
      type: 'object',
      title: '审核意见',
      required: ['decision'],
      additionalProperties: false,
      properties: {
        decision: { type: 'string', title: '审核结果', oneOf: [{ const: 'pass', title: '通过，报上一级' }, { const: 'return', title: '退回下一级' }] },
        reasons: text('意见或退回理由', { minLength: 0 }),
      },
      // Returning needs its reasons.
      if: { properties: { decision: { const: 'return' } }, required: ['decision'] },
      then: { required: ['reasons'], properties: { reasons: { minLength: 1 } } },
    },
  },
};
