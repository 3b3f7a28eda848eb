import { join } from 'node:path';
import { FINISHED_STATUSES, type RunRecord } from '../../../src/model/run.js';
import { openBackend } from '../../../src/service/compositionRoot.js';
import type { DevCertificates } from '../../support/devCertificates.js';
import { type ClusterStats, clusterStats } from './clusterStats.js';
import { fleetProcesses } from './fleetProcesses.js';
import {
  CYCLE_SECONDS,
  type FleetOptions,
  type FleetTenant,
  fleetTenants,
  TENANT_ID_PATTERN,
} from './fleetSpec.js';
import { FLEET_ADMIN_TOKEN, type FleetWorld, startFleetWorld } from './fleetWorld.js';
import { type KeyKind, keyMemory } from './keyMemory.js';
import { tenantsOffSource } from './platformCheck.js';
import { accountSlots, type SlotAccount } from './slotAccounting.js';
import { changeSources } from './sourceChanges.js';

export const WORKERS = 4;
export const SCHEDULERS = 2;
/** How long the killed worker stays down before it is started again. */
const DOWN_MS = 5_000;
/** After the window, how long the runs of its last slots may take to finish. */
const DRAIN_MS = 180_000;
const POLL_MS = 5_000;
const INITIAL_SYNC_MS = 25 * 60_000;
/** Initial syncs requested at once from the API. */
const REQUESTS_IN_FLIGHT = 16;

/** What a fleet run measured, for the bench to print and the test to assert. */
export interface FleetResult {
  readonly tenants: readonly FleetTenant[];
  readonly windowStart: string;
  readonly windowEnd: string;
  readonly slots: SlotAccount;
  /** Runs of the window's slots that did not end `succeeded`, by status. */
  readonly unsuccessful: Readonly<Record<string, number>>;
  /** Tenants with a run of the window still queued or running when the drain gave up. */
  readonly unsettledAfterDrain: number;
  readonly initialSyncMs: number;
  /** Tenants whose first full sync had not finished when the window began (it waits 25 minutes). */
  readonly initialSyncUnsettled: number;
  /** A quiet spell after the first syncs: what the configured tenants cost with no run at all. */
  readonly idle: {
    readonly seconds: number;
    readonly workerCpuSeconds: number;
    readonly before: ClusterStats;
    readonly after: ClusterStats;
  };
  readonly redis: {
    readonly empty: ClusterStats;
    readonly afterInitialSync: ClusterStats;
    readonly atWindowStart: ClusterStats;
    readonly atEnd: ClusterStats;
  };
  /** CPU seconds the worker processes spent in the window (the killed one included). */
  readonly workerCpuSeconds: number;
  /** What the cluster holds at the end of the window, by kind of key. */
  readonly keysAtEnd: readonly KeyKind[];
  readonly sourceChanges: number;
  readonly platformWrites: number;
  /** Tenants whose platform does not hold exactly what their source says, after the window. */
  readonly tenantsOffSource: readonly string[];
  readonly killedAt: string;
}

export interface FleetRunOptions extends FleetOptions {
  readonly certificates: Pick<DevCertificates, 'certPem' | 'keyPem'>;
  readonly folder: string;
  readonly progress: (message: string) => void;
}

/**
 * The fleet as an operator runs it: `dirsync start` processes (4 workers, 2 schedulers, an api) on a
 * Redis Cluster, every tenant's incremental schedule ticking at its own second of a five-minute
 * cycle; a first full sync of every tenant through the API, then the measured window with source
 * edits and one worker SIGKILLed and restarted part way.
 */
export async function runFleet(options: FleetRunOptions): Promise<FleetResult> {
  const { progress } = options;
  const tenants = fleetTenants(options);
  progress(
    `fleet: ${tenants.length} tenants (${options.graphTenants} Graph), preparing sources and the cluster`,
  );
  const world = await startFleetWorld(tenants, options.certificates, join(options.folder, 'world'));
  const processes = fleetProcesses(world.configFile, world.env);
  const backend = await openBackend({ cluster: { nodes: world.cluster.nodes } });
  try {
    const empty = await clusterStats(world.cluster.nodes);
    progress('fleet: starting the api and the workers');
    await Promise.all([
      processes.start('api', 'api'),
      ...Array.from({ length: WORKERS }, (_unused, index) =>
        processes.start('worker', `worker-${index + 1}`),
      ),
    ]);

    progress('fleet: first full sync of every tenant, requested through the API');
    const initialStarted = Date.now();
    await requestFullSyncs(world, tenants);
    // Tenants still syncing after this are reported, not waited for: the window shows what they cost.
    const initialSyncUnsettled = await untilSettled(
      backend,
      tenants,
      () => true,
      'the first full syncs',
      INITIAL_SYNC_MS,
      progress,
    );
    const initialSyncMs = Date.now() - initialStarted;
    const afterInitialSync = await clusterStats(world.cluster.nodes);

    progress(`fleet: ${options.idleMs / 1000} s with nothing to do, to see what idle workers cost`);
    const idleCpuBefore = processes.workerCpuSeconds();
    await new Promise((wake) => setTimeout(wake, options.idleMs));
    const idle = {
      seconds: options.idleMs / 1000,
      workerCpuSeconds: processes.workerCpuSeconds() - idleCpuBefore,
      before: afterInitialSync,
      after: await clusterStats(world.cluster.nodes),
    };

    // The first edits land before the schedulers start, so every tenant's first slot sees them.
    const writesBefore = world.platform.server.calls.length;
    const tenantsPerRound = Math.max(2, Math.round(tenants.length / 100));
    let sourceChanges = changeSources(world, 0, tenantsPerRound);

    progress('fleet: starting the schedulers');
    await Promise.all(
      Array.from({ length: SCHEDULERS }, (_unused, index) =>
        processes.start('scheduler', `scheduler-${index + 1}`),
      ),
    );
    const windowStart = Math.ceil((Date.now() + 1000) / 1000) * 1000;
    const windowEnd = windowStart + options.durationMs;
    await sleepUntil(windowStart);
    const atWindowStart = await clusterStats(world.cluster.nodes);
    const cpuAtStart = processes.workerCpuSeconds();
    progress(`fleet: window ${new Date(windowStart).toISOString()} → ${new Date(windowEnd).toISOString()}`);

    // Edits stop a cycle before the end, so every one reaches its tenant's platform in the window.
    const lastEditAt = windowEnd - CYCLE_SECONDS * 1000 - 30_000;
    let round = 1;
    const killAt = windowStart + options.durationMs * options.killAt;
    let killedAt = '';
    for (let now = Date.now(); now < windowEnd; now = Date.now()) {
      if (!killedAt && now >= killAt) {
        killedAt = new Date().toISOString();
        progress('fleet: SIGKILL worker-1');
        await processes.kill('worker-1');
        await new Promise((wake) => setTimeout(wake, DOWN_MS));
        await processes.start('worker', 'worker-1-restarted');
        progress('fleet: worker-1 restarted');
      } else if (now >= windowStart + round * 60_000 && now < lastEditAt) {
        sourceChanges += changeSources(world, round, tenantsPerRound);
        round++;
      }
      await new Promise((wake) => setTimeout(wake, Math.min(1000, Math.max(1, windowEnd - Date.now()))));
    }
    const workerCpuSeconds = processes.workerCpuSeconds() - cpuAtStart;
    const atEnd = await clusterStats(world.cluster.nodes);
    const keysAtEnd = await keyMemory(world.cluster.nodes, TENANT_ID_PATTERN);

    progress('fleet: window over; waiting for the runs of its last slots');
    const inWindow = (run: RunRecord) =>
      run.trigger === 'schedule' &&
      Date.parse(run.createdAt) >= windowStart &&
      Date.parse(run.createdAt) < windowEnd;
    const unsettledAfterDrain = await untilSettled(
      backend,
      tenants,
      inWindow,
      'the runs of the window',
      DRAIN_MS,
      progress,
    );
    await processes.stop('scheduler');
    const platformWrites = world.platform.server.calls
      .slice(writesBefore)
      .filter((call) => call.method !== 'GET').length;

    const schedules = [];
    const unsuccessful: Record<string, number> = {};
    for (const tenant of tenants) {
      const runs = (await backend.stores.runs.list(tenant.id, 200)).filter(
        (run) => run.trigger === 'schedule',
      );
      schedules.push({ id: tenant.id, pattern: tenant.pattern, runs });
      for (const run of runs.filter(inWindow))
        if (run.status !== 'succeeded') unsuccessful[run.status] = (unsuccessful[run.status] ?? 0) + 1;
    }
    return {
      tenants,
      windowStart: new Date(windowStart).toISOString(),
      windowEnd: new Date(windowEnd).toISOString(),
      slots: accountSlots(schedules, windowStart, windowEnd),
      unsuccessful,
      unsettledAfterDrain,
      initialSyncMs,
      initialSyncUnsettled,
      idle,
      redis: { empty, afterInitialSync, atWindowStart, atEnd },
      workerCpuSeconds,
      keysAtEnd,
      sourceChanges,
      platformWrites,
      tenantsOffSource: tenantsOffSource(world),
      killedAt,
    };
  } catch (error) {
    for (const name of ['api', 'worker-1', 'worker-2', 'scheduler-1'])
      progress(`${name} output (last 2,000 characters): ${processes.output(name).slice(-2000)}`);
    throw error;
  } finally {
    await processes.stop('scheduler');
    await Promise.all([processes.stop('api'), processes.stop('worker')]);
    processes.killAll();
    await backend.close();
    await world.close();
  }
}

async function requestFullSyncs(world: FleetWorld, tenants: readonly FleetTenant[]): Promise<void> {
  const pending = [...tenants];
  const request = async () => {
    for (let tenant = pending.shift(); tenant; tenant = pending.shift()) {
      const response = await fetch(`${world.api}/v1/tenants/${tenant.id}/runs`, {
        method: 'POST',
        headers: { authorization: `Bearer ${FLEET_ADMIN_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ mode: 'full' }),
      });
      if (response.status !== 202)
        throw new Error(
          `POST /v1/tenants/${tenant.id}/runs answered ${response.status}: ${await response.text()}`,
        );
    }
  };
  await Promise.all(Array.from({ length: REQUESTS_IN_FLIGHT }, request));
}

/** Waits until no run that `counts` is queued or in flight; resolves with the tenants that still have one. */
async function untilSettled(
  backend: Awaited<ReturnType<typeof openBackend>>,
  tenants: readonly FleetTenant[],
  counts: (run: RunRecord) => boolean,
  what: string,
  timeoutMs: number,
  progress: (message: string) => void,
): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let reported = 0;
  for (;;) {
    let open = 0;
    for (const tenant of tenants) {
      // The newest two: a tenant runs once per cycle, so an unfinished run of interest is among them.
      const runs = (await backend.stores.runs.list(tenant.id, 2)).filter(counts);
      if (runs.some((run) => !FINISHED_STATUSES.includes(run.status))) open++;
    }
    if (open === 0 || Date.now() > deadline) return open;
    if (Date.now() - reported > 30_000) {
      progress(`fleet: ${what}: ${open} of ${tenants.length} tenants still running`);
      reported = Date.now();
    }
    await new Promise((wake) => setTimeout(wake, POLL_MS));
  }
}

function sleepUntil(at: number): Promise<void> {
  return new Promise((wake) => setTimeout(wake, Math.max(0, at - Date.now())));
}
