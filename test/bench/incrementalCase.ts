import { callsByKind, countBy, writeCount } from './callSummary.js';
import { startEmulatorHost } from './emulatorHost.js';
import { emitFigure, progress, runCase } from './figure.js';
import { startGraphTenant, timedRun } from './graphTenant.js';

const DIRECTORY = { users: 20_000, groups: 1_000, nestedDepth: 2, seed: 11 } as const;
const CHANGES = 10;
/** An incremental run costs O(changes): a handful of change-feed reads, one write per change. */
const MAX_SOURCE_CALLS = 10;

/** Child process: sync a 20,000-user tenant, change 10 objects in Entra, measure the incremental run. */
async function main(): Promise<void> {
  const emulators = await startEmulatorHost(DIRECTORY);
  const harness = await startGraphTenant(emulators);
  try {
    progress(`incremental: initial sync of ${DIRECTORY.users} users and ${DIRECTORY.groups} groups`);
    await timedRun(harness, 'full');
    const applied = await emulators.change(CHANGES);
    await emulators.resetCalls();

    progress(`incremental: run after ${CHANGES} changes`);
    const { run, ms } = await timedRun(harness, 'incremental');
    const served = await emulators.calls();
    const graphCalls = served.graph.filter((call) => call.path.startsWith('/v1.0/'));
    const targetWrites = writeCount(served.scim);
    emitFigure({
      bench: 'incremental',
      directoryUsers: DIRECTORY.users,
      changes: CHANGES,
      changeKinds: countBy(applied.map((change) => change.kind)),
      mode: run.mode,
      ms,
      runDurationMs: run.durationMs,
      sourceCalls: graphCalls.length,
      signIns: served.graph.length - graphCalls.length,
      sourceCallsByKind: callsByKind(graphCalls),
      targetCalls: served.scim.length,
      targetWrites,
      targetCallsByKind: callsByKind(served.scim),
      runApiCalls: run.apiCalls,
      target: { sourceCalls: MAX_SOURCE_CALLS, targetWrites: CHANGES },
      ok: run.mode === 'incremental' && graphCalls.length <= MAX_SOURCE_CALLS && targetWrites <= CHANGES,
    });
  } finally {
    harness.runtime.close();
    await harness.close();
    await emulators.close();
  }
}

runCase(main);
