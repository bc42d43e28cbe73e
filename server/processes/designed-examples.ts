/**
 * The shipped designed processes (processes/designed/examples/), drafted and published on a fresh demo
 * start like the demo data: an administrator then edits them as any definition (a new draft, a new version).
 * A key that already has a definition is left alone.
 */
import { ProcessDefinition } from '../../db';
import type { Actor } from '../../contracts/roles';
import { DESIGNED_EXAMPLES } from '../../processes/designed/examples';
import type { Services } from '../services';
import { draftDefinition, publishDefinition } from './definitions';

const SYSTEM: Actor = { kind: 'user', id: 'system', name: '示例流程 (shipped example)', roles: ['admin'] };

export async function loadDesignedExamples(services: Services): Promise<string[]> {
  const loaded: string[] = [];
  for (const example of DESIGNED_EXAMPLES) {
    if (await services.db.em().count(ProcessDefinition, { key: example.key })) continue;
    const row = await draftDefinition(services, SYSTEM, example);
    await publishDefinition(services, SYSTEM, row.id);
    loaded.push(example.key);
  }
  return loaded;
}
