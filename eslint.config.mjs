// @ts-check
import tseslint from 'typescript-eslint';

const nodeBuiltins = ['fs', 'path', 'crypto', 'http', 'https', 'net', 'child_process', 'os', 'stream', 'zlib', 'worker_threads', 'readline', 'events', 'url', 'util', 'timers', 'dns', 'tls'];

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'data/**', 'out/**', 'coverage/**', 'bin/**', 'jest.config.js', 'eslint.config.mjs'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-empty': ['error', { allowEmptyCatch: false }],
    },
  },
  {
    // Workflows are replayed: no I/O, no Node built-ins, no adapters, activities by type only.
    files: ['src/workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            ...nodeBuiltins.flatMap((m) => [
              { name: m, message: 'workflows must be deterministic: do I/O in an activity' },
              { name: `node:${m}`, message: 'workflows must be deterministic: do I/O in an activity' },
            ]),
            { name: 'ioredis', message: 'workflows do no I/O: use an activity' },
            { name: 'telegram', message: 'workflows do no I/O: use an activity' },
            { name: 'openai', message: 'workflows do no I/O: use an activity' },
            { name: '@temporalio/client', message: 'use @temporalio/workflow inside workflows' },
            { name: '@temporalio/activity', message: 'use @temporalio/workflow inside workflows' },
          ],
          patterns: [
            { group: ['../activities', '../activities/*'], allowTypeImports: true, message: 'import activities by type only (import type) and call them through proxyActivities' },
            { group: ['../telegram', '../telegram/*', '../limiter', '../limiter/*', '../store', '../store/*', '../llm', '../llm/*', '../export', '../export/*'], message: 'workflows do no I/O: adapters belong to activities' },
          ],
        },
      ],
      'no-restricted-globals': ['error', { name: 'setTimeout', message: 'use sleep() from @temporalio/workflow' }, { name: 'setInterval', message: 'use sleep() in a loop' }],
    },
  },
);
