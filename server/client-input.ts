/**
 * What no value a client sends may be, whatever the route: a string with a NUL character (PostgreSQL
 * cannot store one, and SQLite reads it as the end of a statement: MikroORM 6 writes the values into
 * the statement text it runs), or a JSON value nested deeper than anything of ours (hashing or
 * comparing it would exhaust the stack). Checked without recursion, so a hostile depth costs a loop,
 * and refused as a 400 naming the field before anything reads the value.
 */
import { invalidField } from './errors';

/** Deeper than every body, form and filter of the API (a process input is a few levels). */
export const MAX_DEPTH = 32;

interface Pending {
  value: unknown;
  path: string;
  depth: number;
}

const child = (path: string, key: string | number) => (typeof key === 'number' ? `${path}[${key}]` : path ? `${path}.${key}` : key);

/**
 * Throws the 400 for the first unsafe value in `value`, named from `root` (`''` for a body: its
 * fields are named as they are, `input.description`; `filter` for a list's filter: `filter.id[0]`).
 */
export function refuseUnsafeValues(value: unknown, root: string): void {
  const stack: Pending[] = [{ value, path: root, depth: 0 }];
  while (stack.length) {
    const { value: v, path, depth } = stack.pop()!;
    if (typeof v === 'string') {
      if (v.includes('\u0000')) throw invalidField(path || 'body', 'pattern', 'must not contain NUL characters');
      continue;
    }
    if (typeof v !== 'object' || v === null) continue;
    // Named by the field the client sent it in: the path down to the limit would be the message's bulk.
    if (depth >= MAX_DEPTH) throw invalidField(path.split(/[.[]/)[0] || 'body', 'maxDepth', `must not nest deeper than ${MAX_DEPTH} levels`);
    const entries: [string | number, unknown][] = Array.isArray(v) ? v.map((x, i) => [i, x]) : Object.entries(v);
    for (const [key, x] of entries) {
      const at = child(path, key);
      if (typeof key === 'string' && key.includes('\u0000')) throw invalidField(at, 'pattern', 'field names must not contain NUL characters');
      stack.push({ value: x, path: at, depth: depth + 1 });
    }
  }
}
