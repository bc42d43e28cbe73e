/**
 * BPMN for tests: a process body (flow nodes and sequence flows, `ff:` attributes) wrapped in the
 * definitions a modeler writes, and the compact model the server computes from it.
 */
import { parseDesigned } from '../../processes/designed/parse';
import type { DesignedInput, DesignedModel } from '../../processes/designed/contract';

export function bpmn(body: string, messages: string[] = []): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:ff="https://fangfan.example/bpmn" id="defs" targetNamespace="https://fangfan.example/test">
${messages.map((m) => `  <bpmn:message id="msg_${m}" name="${m}"/>`).join('\n')}
  <bpmn:process id="p" isExecutable="true">
${body}
  </bpmn:process>
</bpmn:definitions>`;
}

/** A sequence flow, with a FEEL condition if given. */
export function flow(id: string, source: string, target: string, condition?: string): string {
  const expr = condition ? `<bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">${condition.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}</bpmn:conditionExpression>` : '';
  return `<bpmn:sequenceFlow id="${id}" sourceRef="${source}" targetRef="${target}">${expr}</bpmn:sequenceFlow>`;
}

/** A chain of flows through the given element ids (f_<a>_<b>). */
export function chain(...ids: string[]): string {
  return ids.slice(1).map((id, i) => flow(`f_${ids[i]}_${id}`, ids[i], id)).join('\n');
}

export const task = (id: string, name: string, role: string, extra = '') => `<bpmn:userTask id="${id}" name="${name}" ff:role="${role}" ${extra}/>`;
export const timerDef = (duration: string) => `<bpmn:timerEventDefinition><bpmn:timeDuration>${duration}</bpmn:timeDuration></bpmn:timerEventDefinition>`;

export async function modelOf(xml: string, forms: string[] = []): Promise<DesignedModel> {
  const { model, problems } = await parseDesigned(xml, forms);
  if (!model) throw new Error(`the test BPMN has problems: ${JSON.stringify(problems)}`);
  return model;
}

/** The interpreter's input for a case of household H in 荣光村 (the demo data). */
export function designedInput(processId: string, model: DesignedModel, startForm: Record<string, unknown>, household = { id: 'H00000001', headName: '户主', town: '统景镇', village: '荣光村' }): DesignedInput {
  return {
    processId,
    key: 'testDesigned',
    version: 1,
    title: { zh: '测试流程', en: 'Test process' },
    model,
    startForm,
    household,
    place: { town: household.town, village: household.village },
    subject: household.id,
    startedBy: { id: 'admin', name: '管理员' },
    policyVersion: 'v1#test',
  };
}
