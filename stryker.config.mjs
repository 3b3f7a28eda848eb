// @ts-check
/**
 * Mutation testing of the engine and of the PATCH bodies sent to the platform: `npm run mutate`.
 * Incremental, so a run after a small change re-tests only the mutants that change touched; the
 * report goes to .tmp/mutation/ (git-ignored).
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
export default {
  packageManager: 'npm',
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.ts' },
  mutate: ['src/engine/**/*.ts', 'src/platform/patchOperations.ts', 'src/platform/typedElement.ts'],
  // Sandboxes are copies of the repository: leave out what no test reads.
  ignorePatterns: ['/.tmp', '/dist', '/coverage'],
  coverageAnalysis: 'perTest',
  incremental: true,
  incrementalFile: '.tmp/mutation/incremental.json',
  reporters: ['clear-text', 'progress-append-only', 'html', 'json'],
  htmlReporter: { fileName: '.tmp/mutation/engine.html' },
  jsonReporter: { fileName: '.tmp/mutation/engine.json' },
  tempDirName: '.tmp/stryker',
  cleanTempDir: 'always',
  concurrency: 2,
  thresholds: { high: 95, low: 90, break: 90 },
  // Stryker rewrites the tsconfig it is pointed at with the TypeScript compiler API, which the
  // repository's TypeScript 7 does not have; vitest compiles the tests without it, so it is
  // pointed at a file that does not exist. For the same reason there is no type checker plugin.
  tsconfigFile: '.tmp/no-tsconfig-for-mutation.json',
};
