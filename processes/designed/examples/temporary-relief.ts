/**
 * Shipped example, as data (server/processes/designed-examples.ts loads it on a fresh demo start; an
 * administrator edits it like any draft): 临时救助 temporary assistance. A cadre applies for a household;
 * the village verifies; the town approves with an amount (after 5 working days the district supervisor
 * gets a 督办 step, the approval stays open); above ¥5,000 the district approves too; 区民政局 pays and
 * records the voucher.
 */
import { exampleBpmn, text, type Flow, type Layout } from './diagram';

const LAYOUT: Layout = {
  start: [160, 222, 'event'],
  verify: [240, 200, 'task'],
  townApproval: [400, 200, 'task'],
  remind: [432, 262, 'event'],
  supervise: [400, 340, 'task'],
  superviseEnd: [560, 362, 'event'],
  decision: [565, 215, 'gateway'],
  rejected: [572, 100, 'event'],
  districtApproval: [680, 100, 'task'],
  payment: [840, 200, 'task'],
  end: [1000, 222, 'event'],
};

const FLOWS: Flow[] = [
  ['f1', 'start', 'verify'],
  ['f2', 'verify', 'townApproval'],
  ['f3', 'townApproval', 'decision'],
  ['f4', 'decision', 'rejected', 'townApproval.decision = "reject"'],
  ['f5', 'decision', 'districtApproval', 'townApproval.amount &gt; 5000'],
  ['f6', 'decision', 'payment'],
  ['f7', 'districtApproval', 'payment'],
  ['f8', 'payment', 'end'],
  ['f9', 'remind', 'supervise'],
  ['f10', 'supervise', 'superviseEnd'],
];

const BPMN = exampleBpmn({ id: 'temporaryRelief', name: '临时救助' }, [
  '<bpmn:startEvent id="start" name="村干部申请"/>',
  '<bpmn:userTask id="verify" name="村级核实" ff:role="village_cadre" ff:due="workingDays:3" ff:form="verification"/>',
  '<bpmn:userTask id="townApproval" name="乡镇审批" ff:role="town_officer" ff:due="workingDays:5" ff:form="townApproval"/>',
  '<bpmn:boundaryEvent id="remind" name="5个工作日未审批" attachedToRef="townApproval" cancelActivity="false"><bpmn:timerEventDefinition><bpmn:timeDuration>workingDays:5</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>',
  '<bpmn:userTask id="supervise" name="督办乡镇审批" ff:role="district_supervisor" ff:due="workingDays:2"/>',
  '<bpmn:endEvent id="superviseEnd" name="督办完成"/>',
  '<bpmn:exclusiveGateway id="decision" name="审批结果与金额" default="f6"/>',
  '<bpmn:endEvent id="rejected" name="不予救助"/>',
  '<bpmn:userTask id="districtApproval" name="区级审批（5000元以上）" ff:role="district_supervisor" ff:due="workingDays:5" ff:form="districtApproval"/>',
  '<bpmn:userTask id="payment" name="区民政局发放" ff:role="department_officer" ff:department="区民政局" ff:due="workingDays:5" ff:form="payment"/>',
  '<bpmn:endEvent id="end" name="救助已发放"/>',
], LAYOUT, FLOWS);


export const TEMPORARY_RELIEF = {
  key: 'temporaryRelief',
  title: { zh: '临时救助', en: 'Temporary assistance' },
  bpmn: BPMN,
  startRoles: ['village_cadre', 'town_officer'],
  startForm: 'application',
  forms: {
    application: {
      type: 'object',
      title: '临时救助申请',
      required: ['householdId', 'reason', 'requested'],
      additionalProperties: false,
      properties: {
        householdId: { type: 'string', title: '农户编号', maxLength: 40 },
        reason: text('困难情况'),
        requested: { type: 'number', title: '申请金额（元）', minimum: 0, maximum: 1000000 },
      },
    },
    verification: {
      type: 'object',
      title: '村级核实',
      required: ['findings', 'confirmed'],
      additionalProperties: false,
      properties: { findings: text('核实情况'), confirmed: { type: 'boolean', title: '情况属实' } },
    },
    townApproval: {
      type: 'object',
      title: '乡镇审批',
      required: ['decision', 'amount'],
      additionalProperties: false,
      properties: {
        decision: { type: 'string', title: '审批意见', oneOf: [{ const: 'approve', title: '同意' }, { const: 'reject', title: '不同意' }] },
        amount: { type: 'number', title: '核定金额（元）', minimum: 0, maximum: 1000000 },
        reasons: text('理由', { minLength: 0 }),
      },
    },
    districtApproval: {
      type: 'object',
      title: '区级审批',
      required: ['opinion'],
      additionalProperties: false,
      properties: { opinion: text('审批意见') },
    },
    payment: {
      type: 'object',
      title: '救助金发放',
      required: ['voucherNo', 'paidOn'],
      additionalProperties: false,
      properties: { voucherNo: text('发放凭证号', { maxLength: 100 }), paidOn: { type: 'string', title: '发放日期', format: 'date' } },
    },
  },
};
