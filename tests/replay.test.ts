/**
 * Replay guard: histories recorded from real runs (tests/histories/, refreshed with
 * `RECORD_HISTORIES=1 npm test -- tests/workflows`) must replay on the current workflow code. A change
 * that would break running cases fails here; such a change needs `patched()` or a new workflow type.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { Worker } from '@temporalio/worker';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { workflowBundle } from '../server/worker';
import { CATALOGUE } from '../contracts/catalogue';

const DIR = fileURLToPath(new URL('./histories/', import.meta.url));
const files = readdirSync(DIR).filter((f) => f.endsWith('.json'));

describe('recorded histories replay on the current workflow code', () => {
  it('has recorded histories of every process type', () => {
    const types = new Set(files.map((f) => historyFromJSON(JSON.parse(readFileSync(join(DIR, f), 'utf8'))).events![0].workflowExecutionStartedEventAttributes!.workflowType!.name));
    for (const p of CATALOGUE) expect([...types]).toContain(p.workflowType);
  });

  it.each(files)('%s', async (file) => {
    const history = historyFromJSON(JSON.parse(readFileSync(join(DIR, file), 'utf8')));
    await Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, history, file);
  });
});
