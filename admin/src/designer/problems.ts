/**
 * The server's refusal of a definition (API.md "Designed processes": a 422 whose `details` name each
 * offending BPMN element by its id in `field`) split into problems on diagram elements, outlined on the
 * canvas and listed beside it, and the others (the key, a form), listed only.
 */
export interface ElementProblem {
  elementId: string;
  message: string;
}

export interface DefinitionProblems {
  /** The engine refused the definition (422); otherwise the request failed (a network error, a 403…). */
  refused: boolean;
  onElements: ElementProblem[];
  others: string[];
}

interface ApiFailure {
  status?: number;
  message?: string;
  body?: { error?: { message?: string; details?: { field?: string; message?: string; rule?: string }[] } };
}

export function definitionProblems(err: unknown, isElement: (id: string) => boolean): DefinitionProblems {
  const e = (err ?? {}) as ApiFailure;
  const details = e.body?.error?.details ?? [];
  const out: DefinitionProblems = { refused: e.status === 422, onElements: [], others: [] };
  for (const d of details) {
    const message = d.message ?? d.rule ?? '';
    if (d.field && isElement(d.field)) out.onElements.push({ elementId: d.field, message });
    else out.others.push(message);
  }
  if (!details.length) out.others.push(e.body?.error?.message ?? e.message ?? '');
  out.others = out.others.filter(Boolean);
  return out;
}
