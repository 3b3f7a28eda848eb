import { callsByKind, countBy, writeCount } from './callSummary.js';
import { startEmulatorHost } from './emulatorHost.js';
import type { ServedCalls } from './emulatorProtocol.js';
import { emitFigure, megabytes, progress, runCase } from './figure.js';
import { startGraphTenant, timedRun } from './graphTenant.js';
import { startRssSampler } from './rssSampler.js';

/**
 * The bounds for a 100,000-user tenant; smaller tenants are measured beside it, for the
 * ratio, and held to nothing.
 */
const BIG_TARGET = {
  fullMs: 300_000,
  fullPeakRssMb: 1_536,
  zeroChangeMs: 90_000,
  incrementalSourceCalls: 10,
} as const;
const TARGETED_USERS = 100_000;
const CHANGES = 10;
const SEED = 16;

/**
 * Child process: `node bigCase.js USERS GROUPS MEMBERSHIPS`. A generated Entra tenant of that size
 * (nested groups, `all` scope) served from a process of its own, synced by the real pipeline and
 * op worker in this one, whose peak RSS is the figure: a first full sync to an empty platform, a
 * full run with nothing changed, then ten changes carried by an incremental run. One figure per
 * phase on stdout.
 */
async function main(): Promise<void> {
  const [users, groups, memberships] = process.argv.slice(2).map(Number);
  if (users === undefined || groups === undefined || memberships === undefined)
    throw new Error('usage: bigCase USERS GROUPS MEMBERSHIPS');
  const targeted = users >= TARGETED_USERS;
  const spec = {
    users,
    groups,
    nestedDepth: 2,
    seed: SEED,
    membersPerGroup: Math.round(memberships / groups),
  };
  progress(`big: starting the emulators with ${users} users and ${groups} groups`);
  const emulators = await startEmulatorHost(spec, 'process');
  const harness = await startGraphTenant(emulators);
  // A long-running worker has loaded the Graph SDK long before a run; a fresh process pays it once.
  await import('../../connectors/graph/source.js');
  try {
    const directory = await emulators.directoryCounts();
    const size = { users: directory.users, groups: directory.groups, memberships: directory.memberships };

    progress('big: first full sync to an empty platform');
    const sampler = await startRssSampler();
    const first = await timedRun(harness, 'full');
    const peakRssMb = megabytes(await sampler.stop());
    const firstServed = await servedSince(emulators);
    emitFigure({
      bench: 'big-full',
      ...size,
      ms: first.ms,
      runPhaseMs: first.run.phaseMs,
      peakRssMb,
      usersCreated: first.run.counts.createUser?.succeeded ?? 0,
      groupsCreated: first.run.counts.createGroup?.succeeded ?? 0,
      ...sourceFigures(firstServed),
      ...targetFigures(firstServed),
      target: targeted ? { ms: BIG_TARGET.fullMs, peakRssMb: BIG_TARGET.fullPeakRssMb } : {},
      ok: !targeted || (first.ms <= BIG_TARGET.fullMs && peakRssMb <= BIG_TARGET.fullPeakRssMb),
    });

    progress('big: full run with nothing changed');
    const again = await timedRun(harness, 'full');
    const againServed = await servedSince(emulators);
    const againWrites = writeCount(againServed.scim);
    emitFigure({
      bench: 'big-zero-change',
      ...size,
      ms: again.ms,
      runPhaseMs: again.run.phaseMs,
      ...sourceFigures(againServed),
      ...targetFigures(againServed),
      target: targeted ? { ms: BIG_TARGET.zeroChangeMs, targetWrites: 0 } : { targetWrites: 0 },
      ok: againWrites === 0 && (!targeted || again.ms <= BIG_TARGET.zeroChangeMs),
    });

    const applied = await emulators.change(CHANGES);
    await emulators.resetCalls();
    progress(`big: incremental run after ${CHANGES} changes`);
    const incremental = await timedRun(harness, 'incremental');
    const incrementalServed = await servedSince(emulators);
    const source = sourceFigures(incrementalServed);
    emitFigure({
      bench: 'big-incremental',
      ...size,
      changes: CHANGES,
      changeKinds: countBy(applied.map((change) => change.kind)),
      mode: incremental.run.mode,
      ms: incremental.ms,
      ...source,
      ...targetFigures(incrementalServed),
      target: { sourceCalls: BIG_TARGET.incrementalSourceCalls, targetWrites: CHANGES },
      ok:
        incremental.run.mode === 'incremental' &&
        source.sourceCalls <= BIG_TARGET.incrementalSourceCalls &&
        writeCount(incrementalServed.scim) <= CHANGES,
    });
  } finally {
    harness.runtime.close();
    await harness.close();
    await emulators.close();
  }
}

/** The calls served since the last reset, and a fresh log for the next phase. */
async function servedSince(emulators: Awaited<ReturnType<typeof startEmulatorHost>>): Promise<ServedCalls> {
  const served = await emulators.calls();
  await emulators.resetCalls();
  return served;
}

/** Graph calls (sign-ins apart); a `$batch` is one call, the requests inside it are counted beside. */
function sourceFigures(served: ServedCalls) {
  const graphCalls = served.graph.filter((call) => call.path.startsWith('/v1.0/'));
  return {
    sourceCalls: graphCalls.length,
    signIns: served.graph.length - graphCalls.length,
    sourceCallsByKind: callsByKind(graphCalls),
    requestsInBatches: served.graphBatched.length,
  };
}

function targetFigures(served: ServedCalls) {
  return {
    targetCalls: served.scim.length,
    targetWrites: writeCount(served.scim),
    targetCallsByKind: callsByKind(served.scim),
  };
}

runCase(main);
