// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Only src/adapters/livekit talks to LiveKit's SDK. */
const SDK_PATHS = [
  {
    name: 'livekit-server-sdk',
    message: 'Only src/adapters/livekit may import livekit-server-sdk.',
  },
];
const SDK_PATTERNS = [
  {
    group: ['@livekit/protocol'],
    message: 'Only src/adapters/livekit may import @livekit/protocol.',
  },
];
/**
 * The pipeline (src/app, src/kinds, src/daemon) reads neither the environment nor files: the CLI
 * and the daemon's entry resolve them once and hand an env and a secret resolver down.
 */
const BOUNDARY_MESSAGE =
  'read once at the boundary (src/cli) and handed down: src/app, src/kinds and src/daemon read no environment and no files.';
const FS_PATHS = ['fs', 'node:fs', 'fs/promises', 'node:fs/promises'].map((name) => ({
  name,
  message: `Files are ${BOUNDARY_MESSAGE}`,
}));

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
      'no-restricted-imports': ['error', { paths: SDK_PATHS, patterns: SDK_PATTERNS }],
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
    files: ['src/app/**', 'src/kinds/**', 'src/daemon/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [...SDK_PATHS, ...FS_PATHS], patterns: SDK_PATTERNS },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: `The environment is ${BOUNDARY_MESSAGE}` },
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
