// Lint for the code that runs inside Temporal's deterministic workflow sandbox (workflows/, the
// contracts they import, and each process folder's contract, schemas and workflows): no Node
// built-ins, no I/O modules, no wall-clock or randomness beyond what the sandbox makes deterministic,
// and no floating promises. A process folder's index, policy, starter and activities are server code.
import tseslint from 'typescript-eslint';

const NODE_BUILTINS = ['fs', 'path', 'os', 'crypto', 'http', 'https', 'net', 'child_process', 'process', 'url', 'util', 'stream', 'events', 'worker_threads', 'dns', 'tls', 'zlib', 'timers', 'buffer', 'cluster', 'readline', 'vm'];

export default tseslint.config(
  { ignores: ['node_modules/**', 'admin/**', 'data/**', 'dist/**'] },
  {
    files: [
      'workflows/**/*.ts',
      'contracts/**/*.ts',
      'processes/*/contract.ts',
      'processes/*/schemas.ts',
      'processes/*/workflows.ts',
      'processes/*/workflows/**/*.ts',
      'tests/fixtures/lint-probe/*.ts',
    ],
    languageOptions: { parser: tseslint.parser, parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    plugins: { '@typescript-eslint': tseslint.plugin },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: NODE_BUILTINS.flatMap((m) => [
            { name: m, message: 'Node built-ins are not allowed in workflow code (non-deterministic / unavailable in the sandbox).' },
            { name: `node:${m}`, message: 'Node built-ins are not allowed in workflow code.' },
          ]),
          patterns: [
            { group: ['node:*'], message: 'Node built-ins are not allowed in workflow code.' },
            { group: ['@mikro-orm/*', 'fastify', '@temporalio/client', '@temporalio/worker', 'exceljs', 'yaml', 'chinese-days'], message: 'I/O libraries do not belong in workflow code: call an activity.' },
            { group: ['**/db', '**/db/*', '**/server/*', '**/policy', '**/policy/*'], allowTypeImports: true, message: 'Workflow code may import only types from here; do the work in an activity.' },
            // calendar/ too, but for dates.ts: pure date arithmetic, no imports, no clock (used through workflows/clock.ts).
            { regex: '(^|/)calendar(/(?!dates$)[^/]+)?$', allowTypeImports: true, message: 'Workflow code may import only types from here; do the work in an activity.' },
            { group: ['**/activities', '**/activities/*'], allowTypeImports: true, message: 'Workflows import activity types only (proxyActivities).' },
            {
              // '.', '..', './index', '../index': a process folder's module object; and the registry.
              regex: '^\\.{1,2}(/index)?$|/starter$|/processes(/index|/module)?$',
              allowTypeImports: true,
              message: "A process module (its index), the registry and the starters are server code: import the process's contract instead.",
            },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'process', message: 'No environment or process access in workflow code.' },
        { name: 'setTimeout', message: 'Use sleep() from @temporalio/workflow.' },
        { name: 'setInterval', message: 'Use sleep() in a loop from @temporalio/workflow.' },
        { name: 'fetch', message: 'No network I/O in workflow code: call an activity.' },
        { name: 'require', message: 'No dynamic requires in workflow code.' },
      ],
      '@typescript-eslint/no-floating-promises': 'error',
    },
  },
);
