/**
 * The BPMN file of a shipped example (./temporary-relief.ts, ./project-library.ts): the process's flow
 * nodes and sequence flows, and the diagram the modeler draws them with (shapes at the given corners,
 * each flow a straight line between centres), so an administrator opens the example as if drawn by hand.
 */
import { FF_NAMESPACE } from '../../../contracts/bpmn/designed';

/** Where an element sits (x, y of its top-left corner) and what it is drawn as: tasks 100×80, events 36, gateways 50. */
export type Layout = Record<string, [number, number, 'task' | 'event' | 'gateway']>;
/** A sequence flow: id, source, target, and a FEEL condition (XML-escaped) if it leaves an exclusive gateway. */
export type Flow = [string, string, string, string?];

const SIZE = { task: [100, 80], event: [36, 36], gateway: [50, 50] } as const;

export function exampleBpmn(process: { id: string; name: string }, nodes: string[], layout: Layout, flows: Flow[]): string {
  const centre = (id: string): [number, number] => {
    const [x, y, kind] = layout[id];
    return [x + SIZE[kind][0] / 2, y + SIZE[kind][1] / 2];
  };
  const shapes = Object.entries(layout).map(
    ([id, [x, y, kind]]) => `<bpmndi:BPMNShape id="${id}_di" bpmnElement="${id}"><dc:Bounds x="${x}" y="${y}" width="${SIZE[kind][0]}" height="${SIZE[kind][1]}"/></bpmndi:BPMNShape>`,
  );
  const edges = flows.map(([id, from, to]) => {
    const [a, b] = [centre(from), centre(to)];
    return `<bpmndi:BPMNEdge id="${id}_di" bpmnElement="${id}"><di:waypoint x="${a[0]}" y="${a[1]}"/><di:waypoint x="${b[0]}" y="${b[1]}"/></bpmndi:BPMNEdge>`;
  });
  const sequenceFlows = flows.map(([id, from, to, condition]) =>
    condition
      ? `<bpmn:sequenceFlow id="${id}" sourceRef="${from}" targetRef="${to}"><bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">${condition}</bpmn:conditionExpression></bpmn:sequenceFlow>`
      : `<bpmn:sequenceFlow id="${id}" sourceRef="${from}" targetRef="${to}"/>`,
  );
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:di="http://www.omg.org/spec/DD/20100524/DI" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:ff="${FF_NAMESPACE}" id="${process.id}_defs" targetNamespace="${FF_NAMESPACE}/examples">
  <bpmn:process id="${process.id}" name="${process.name}" isExecutable="true">
    ${[...nodes, ...sequenceFlows].join('\n    ')}
  </bpmn:process>
  <bpmndi:BPMNDiagram id="${process.id}_diagram">
    <bpmndi:BPMNPlane id="${process.id}_plane" bpmnElement="${process.id}">
      ${[...shapes, ...edges].join('\n      ')}
    </bpmndi:BPMNPlane>
  </bpmndi:BPMNDiagram>
</bpmn:definitions>
`;
}

/** A text field of an example's form. */
export const text = (title: string, extra: object = {}) => ({ type: 'string', title, minLength: 1, maxLength: 2000, ...extra });
