// Lint: typescript-eslint's recommended rules, plus the rule that keeps the domain pure.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const domainForbidden = {
  patterns: [
    { group: ['@nestjs/*', 'pg', '@electric-sql/*', '@eventstore/*', 'fastify', 'jose', 'pino'], message: 'libs/domain is pure: no framework, no driver.' },
    { group: ['fs', 'node:*', 'net', 'http', 'https', 'child_process', 'crypto', 'os', 'path', 'worker_threads', 'dgram', 'dns', 'tls'], message: 'libs/domain is pure: no I/O, no clock, no randomness.' },
    { group: ['@atlauja/*'], message: 'libs/domain depends on no other library of ours.' },
  ],
};

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'data/', 'coverage/', '**/*.js', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  {
    files: ['libs/domain/src/**/*.ts'],
    ignores: ['libs/domain/src/**/*.spec.ts'],
    rules: {
      'no-restricted-imports': ['error', domainForbidden],
      'no-restricted-globals': ['error',
        { name: 'Date', message: 'Time comes in with the command.' },
        { name: 'setTimeout', message: 'No timers in the domain.' },
        { name: 'process', message: 'No environment in the domain.' }],
      'no-restricted-properties': ['error', { object: 'Math', property: 'random', message: 'No randomness in the domain.' }],
    },
  },
);
