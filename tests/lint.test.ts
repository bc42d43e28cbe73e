/**
 * Workflow code must stay deterministic: the lint rules (eslint.config.js) ban Node built-ins, I/O
 * libraries, timers and floating promises in workflows/, contracts/ and the sandbox files of processes/. This runs them as a test.
 */
import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

describe('workflow determinism lint', () => {
  it('workflows/, contracts/ and the process folders have no lint errors', async () => {
    const eslint = new ESLint({ cwd: root });
    const results = await eslint.lintFiles(['workflows', 'contracts', 'processes']);
    expect(results.some((r) => r.filePath.endsWith('processes/campaign/workflows/campaign-town.ts'))).toBe(true);
    expect(results.some((r) => r.filePath.endsWith('processes/campaign/starter.ts'))).toBe(false);
    const errors = results.flatMap((r) => r.messages.filter((m) => m.severity === 2).map((m) => `${r.filePath}:${m.line} ${m.message}`));
    expect(results.length).toBeGreaterThan(5);
    expect(errors).toEqual([]);
  });

  it('catches a Node built-in and a floating promise in workflow code', async () => {
    const eslint = new ESLint({ cwd: root });
    const [result] = await eslint.lintFiles(['tests/fixtures/lint-probe/nondeterministic-workflow.ts']);
    const rules = result.messages.map((m) => m.ruleId);
    expect(rules).toContain('no-restricted-imports');
    expect(rules).toContain('@typescript-eslint/no-floating-promises');
  });
});
