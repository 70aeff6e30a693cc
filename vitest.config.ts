import { defineConfig } from 'vitest/config';

// The tests spawn the CLI with this Node, which must run TypeScript sources (Node >= 22.12 with
// type stripping; the project develops on 24). ./scripts/test.sh provides it.
const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  throw new Error(
    `Node ${process.version} is too old for the tests: run ./scripts/test.sh (it installs Node 24)`,
  );
}

// Two projects: fast unit tests with no server, and integration/e2e tests against a real
// livekit-server + Redis that the global setup starts on loopback (never skipped).
export default defineConfig({
  test: {
    reporters: ['default', './test/harness/summary-reporter.ts'],
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          testTimeout: 10_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts', 'test/e2e/**/*.test.ts'],
          globalSetup: ['test/harness/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
