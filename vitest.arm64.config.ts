import { defineConfig } from 'vitest/config';

// The whole arm64 build under qemu-user emulation: about 15 minutes on two cores, so it is not part
// of `npm test` (CI's budget); run it with `npm run test:arm64`. It fails, never skips: running it
// says the machine is meant to have Docker and qemu-user-static.
export default defineConfig({
  test: {
    name: 'arm64',
    include: ['test/arm64/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60 * 60 * 1000,
    hookTimeout: 30 * 60 * 1000,
  },
});
