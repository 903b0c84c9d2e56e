import { defineConfig } from 'vitest/config';

// Unit test files that replace modules (vi.mock of k6's modules) need a module graph of their own.
const MOCKING = ['test/unit/k6/shopper-runtime.test.ts', 'test/unit/k6/scripts-init.test.ts'];

export default defineConfig({
  test: {
    // Servers and child processes in tests are real; give them room on a 2-core machine.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Two files at a time. Vitest's default in run mode is one worker fewer than the cores — a
    // single worker on this 2-core machine, so the suite ran serially: most of its time is spent
    // waiting (scenario runs of fixed seconds, child processes starting, timeouts), not computing.
    maxWorkers: 2,
    reporters: ['default'],
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          exclude: MOCKING,
          // Unit test files share one module graph per worker: evaluating every import afresh for
          // each of ~190 files cost more than the tests themselves (one run: import 483 s against
          // tests 262 s; shared, 25 s). No unit test keeps process-wide state between files.
          isolate: false,
        },
      },
      {
        extends: true,
        // Integration and end-to-end files start servers, child processes and telemetry SDKs:
        // each keeps its own module graph, so no state leaks from one file into the next.
        test: { name: 'isolated', include: ['test/integration/**/*.test.ts', 'test/e2e/**/*.test.ts', ...MOCKING] },
      },
    ],
  },
});
