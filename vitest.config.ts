import { defineConfig } from 'vitest/config';

// Two projects: unit tests (pure functions, milliseconds) and integration tests (a real Docker
// engine, qemu and loop devices, minutes). `npm test` runs both; CI sets KF_REQUIRE_INTEGRATION=1
// so a missing engine fails instead of skipping.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['test/integration/global-setup.ts'],
          fileParallelism: false,
          testTimeout: 15 * 60 * 1000,
          hookTimeout: 30 * 60 * 1000,
        },
      },
    ],
  },
});
