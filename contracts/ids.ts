/** Workflow ids and the task queue. A case's id is its workflow id: `<type>:<subject>:<n>`. */
export const DEFAULT_TASK_QUEUE = 'fangfan';

export function processIdOf(type: string, subject: string, n: number | string): string {
  return `${type}:${subject}:${n}`;
}

/** The inverse of processIdOf, for ids found in the wild (null when the id is not ours). */
export function parseProcessId(id: string): { type: string; subject: string; n: string } | null {
  const m = /^([a-zA-Z]+):(.+):([0-9A-Za-z]+)$/.exec(id);
  return m ? { type: m[1], subject: m[2], n: m[3] } : null;
}
