/**
 * The few bpmn-js services the designer uses, typed by what it calls (bpmn-js's own typings describe
 * them through diagram-js's generic `get<T>`).
 */
import type { BusinessObject, ModdleFactory } from './ffAttributes';

export interface DiagramElement {
  id: string;
  type: string;
  businessObject: BusinessObject;
}

export interface ModelerServices {
  modeling: {
    updateProperties(element: DiagramElement, properties: Record<string, unknown>): void;
    updateLabel(element: DiagramElement, text: string): void;
  };
  moddle: ModdleFactory;
  canvas: { addMarker(id: string, marker: string): void; removeMarker(id: string, marker: string): void; zoom(level: number | 'fit-viewport', center?: 'auto'): number };
  elementRegistry: { get(id: string): DiagramElement | undefined; getAll(): DiagramElement[] };
  eventBus: { on(event: string, cb: (e: Record<string, unknown>) => void): void; off(event: string, cb: (e: Record<string, unknown>) => void): void };
  selection: { select(element: DiagramElement | null): void };
  bpmnReplace: { replaceElement(element: DiagramElement, target: { type: string }): DiagramElement };
  saveXML(): Promise<string>;
}

/** The marker class outlining an element the server refused (designer.css). */
export const PROBLEM_MARKER = 'ff-problem';
