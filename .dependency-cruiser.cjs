/**
 * The import rules of dirsync's layers (README, "Layers and import rules"), checked by `npm run lint`.
 * Lower layers never import higher ones:
 *   model ← engine ← runs ← queue, service ← api, cli
 * with util, http, config, observability and platform below runs, and connectors beside platform.
 * Type-only imports count: a cycle through types is still a cycle in the design.
 * The emulators, the demo, the development CA and the test helpers live under test/, which may import
 * production code; production code never imports them.
 */

module.exports = {
  forbidden: [
    {
      name: 'no-cycle',
      comment: 'Modules import each other in one direction only.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'model-is-plain-data',
      comment: 'src/model holds plain data and ports: it imports nothing outside itself.',
      severity: 'error',
      from: { path: '^src/model/' },
      to: { pathNot: '^src/model/' },
    },
    {
      name: 'util-is-pure',
      comment: 'src/util holds small pure helpers the engine may use: no I/O, no packages.',
      severity: 'error',
      from: { path: '^src/util/' },
      to: { pathNot: '^src/util/' },
    },
    {
      name: 'engine-is-pure',
      comment:
        'The engine decides from its inputs alone: no Redis, BullMQ, HTTP, SDKs, node: I/O, config loading or clock. ' +
        'It imports src/engine, src/model and src/util only (configuration reaches it as model types).',
      severity: 'error',
      from: { path: '^src/engine/' },
      to: { pathNot: '^src/(engine|model|util)/' },
    },
    {
      name: 'foundations-below-runs',
      comment: 'Clients, configuration and logging serve the runs: they never reach up into them.',
      severity: 'error',
      from: { path: '^src/(engine|util|http|platform|config|observability)/' },
      to: { path: ['^src/(runs|queue|service|api|cli)/', '^connectors/'] },
    },
    {
      name: 'runs-below-queue-and-service',
      comment:
        'A run hands its work to the RunQueues port (src/runs/runQueues.ts); src/queue implements it and its workers call runs.',
      severity: 'error',
      from: { path: '^src/runs/' },
      to: { path: '^src/(queue|service|api|cli)/' },
    },
    {
      name: 'runs-on-ports',
      comment:
        'The pipeline, provision on demand and the rest of src/runs work with the store ports (src/runs/ports.ts); ' +
        'only the Redis adapter folder src/runs/redis knows Redis, and nothing else in src/runs imports it.',
      severity: 'error',
      from: { path: '^src/runs/', pathNot: '^src/runs/redis/' },
      to: { path: ['^src/runs/redis/', 'node_modules/(ioredis|bullmq)/'] },
    },
    {
      name: 'queue-below-api',
      comment: 'Workers and queues are started by the service roles, never the other way round.',
      severity: 'error',
      from: { path: '^src/queue/' },
      to: { path: '^src/(service|api|cli)/' },
    },
    {
      name: 'service-below-api',
      comment:
        'The API is built on the service; the service is handed the API role (StartApiRole), it does not import it.',
      severity: 'error',
      from: { path: '^src/service/' },
      to: { path: '^src/(api|cli)/' },
    },
    {
      name: 'api-beside-cli',
      comment:
        'The admin API and the CLI are two front doors over the same layers: neither imports the other.',
      severity: 'error',
      from: { path: '^src/api/' },
      to: { path: '^src/cli/' },
    },
    {
      name: 'connectors-below-runs',
      comment: 'A connector reads its source; the queue, runs and service are none of its business.',
      severity: 'error',
      from: { path: '^connectors/' },
      to: { path: '^src/(runs|queue|service|api|cli)/' },
    },
    {
      name: 'console-client-stands-alone',
      comment:
        "The console's browser code (src/api/console/client) runs in the browser: it imports only itself, " +
        'and the server serves it compiled, never importing it.',
      severity: 'error',
      from: { path: '^src/api/console/client/' },
      to: { pathNot: '^src/api/console/client/' },
    },
    {
      name: 'server-not-importing-console-client',
      comment:
        'The server reads the compiled console scripts as files; importing them would run browser code on the server.',
      severity: 'error',
      from: { pathNot: '^src/api/console/client/' },
      to: { path: '^src/api/console/client/' },
    },
    {
      name: 'production-not-importing-tests',
      comment:
        'Production code (src/, connectors/) never imports test/: the emulators, the demo, the development CA ' +
        'and the test helpers stay out of `npm run build` and the image. `dirsync demo` finds the demo of a ' +
        "checkout's development build by a path computed at run time (src/cli/commands/demo.ts), so no edge exists.",
      severity: 'error',
      from: { path: '^(src|connectors)/' },
      to: { path: '^test/' },
    },
  ],
  options: {
    // The project's TypeScript (7) has no JavaScript API for dependency-cruiser; swc parses instead.
    parser: 'swc',
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
  },
};
