// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'dist/',
      '.tools/',
      'coverage/',
      'test/egress-worker/',
      'test/agent-worker/',
      '.bench/',
      'src/spec/generated/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/explicit-module-boundary-types': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-console': 'error',
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'livekit-server-sdk',
              message: 'Only src/adapters/livekit may import livekit-server-sdk.',
            },
          ],
          patterns: [
            {
              group: ['@livekit/protocol'],
              message: 'Only src/adapters/livekit may import @livekit/protocol.',
            },
          ],
        },
      ],
    },
  },
  {
    // The adapter is the one place that talks to LiveKit's SDK.
    files: ['src/adapters/livekit/**'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    // The pure core imports nothing with side effects.
    files: ['src/core/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['node:*', '../adapters/*', '../../adapters/*'],
              message: 'src/core is pure.',
            },
          ],
        },
      ],
    },
  },
  {
    // Only the CLI prints; tests, benchmarks and scripts may too.
    files: ['src/cli/**', 'test/**', 'bench/**', 'scripts/**'],
    rules: { 'no-console': 'off' },
  },
  {
    // Tests and benchmarks drive the real server with the SDK directly, as a team's own code would.
    files: ['test/**', 'bench/**'],
    rules: {
      'no-restricted-imports': 'off',
      '@typescript-eslint/explicit-module-boundary-types': 'off',
    },
  },
  {
    files: ['**/*.js'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    // The dashboard's page script runs in the browser, as a classic script.
    files: ['assets/**/*.js'],
    languageOptions: {
      sourceType: 'script',
      globals: { document: 'readonly', EventSource: 'readonly' },
    },
  },
);
