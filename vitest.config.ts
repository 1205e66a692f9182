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
          // A few unit tests run xz, zstd or sfdisk on small files: well under a second alone, but
          // past vitest's 5 s default when the unit files run side by side on two busy cores.
          testTimeout: 30_000,
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
