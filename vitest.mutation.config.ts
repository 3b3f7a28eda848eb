import { defineConfig } from 'vitest/config';

/**
 * The tests of the mutated code alone (see stryker.config.mjs): they are pure (no Redis, no
 * emulator servers, no certificates), so they need none of the main configuration's global
 * setup and run in seconds. The scale test is left out: it checks cost, not decisions.
 */
export default defineConfig({
  test: {
    include: ['test/engine/**/*.test.ts', 'test/platform/patchOperations.test.ts'],
    exclude: ['test/engine/scale.test.ts'],
    pool: 'forks',
    // The tests share no state, so one module graph serves them all: each mutant's run is faster.
    isolate: false,
    testTimeout: 60_000,
  },
});
