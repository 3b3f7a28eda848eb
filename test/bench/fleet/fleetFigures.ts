import type { Figure } from '../figure.js';
import { commandRates } from './clusterStats.js';
import type { FleetResult } from './fleetRun.js';
import { WORKERS } from './fleetRun.js';
import { percentile } from './slotAccounting.js';

/**
 * A scheduled run should start within this much of its slot, even across the killed worker: a run
 * caught on it waits out BullMQ's stalled-job check (30 s lock, checked every 30 s) and the tenant's
 * 60 s run lease before another worker takes it up.
 */
export const MAX_START_LAG_MS = 150_000;
const SAMPLE = 5;

/** The fleet bench's JSON figures, each with its target and verdict. */
export function fleetFigures(result: FleetResult): Figure[] {
  const { slots, redis } = result;
  const windowMinutes = (Date.parse(result.windowEnd) - Date.parse(result.windowStart)) / 60_000;
  const tenants = result.tenants.length;
  const runsPerMinute = round(slots.executed / windowMinutes, 1);
  const startedP99 = percentile(slots.startedLagMs, 99);
  const windowSeconds = windowMinutes * 60;
  const commandsPerSecond = round(
    (redis.atEnd.commandsProcessed - redis.atWindowStart.commandsProcessed) / windowSeconds,
    0,
  );
  const { idle } = result;
  const idleCommandsPerSecond = round(
    (idle.after.commandsProcessed - idle.before.commandsProcessed) / Math.max(1, idle.seconds),
    0,
  );
  const idleCpuPerSecond = idle.seconds > 0 ? idle.workerCpuSeconds / idle.seconds : 0;
  const busyCpuSeconds = result.workerCpuSeconds - idleCpuPerSecond * windowSeconds;
  return [
    {
      bench: 'fleet-slots',
      tenants,
      graphTenants: result.tenants.filter((tenant) => tenant.kind === 'graph').length,
      window: [result.windowStart, result.windowEnd],
      workerKilledAt: result.killedAt,
      slotsExpected: slots.expected,
      runsExecuted: slots.executed + slots.doubled.reduce((sum, slot) => sum + slot.runs - 1, 0),
      missed: slots.missed.length,
      doubled: slots.doubled.length,
      missedSample: slots.missed.slice(0, SAMPLE),
      doubledSample: slots.doubled.slice(0, SAMPLE),
      notSucceeded: result.unsuccessful,
      unsettledAfterDrain: result.unsettledAfterDrain,
      target: { missed: 0, doubled: 0 },
      ok: slots.missed.length === 0 && slots.doubled.length === 0 && result.unsettledAfterDrain === 0,
    },
    {
      bench: 'fleet-lag',
      createdLagMs: lagFigures(slots.createdLagMs),
      startedLagMs: lagFigures(slots.startedLagMs),
      target: { startedLagMsP99: MAX_START_LAG_MS },
      ok: startedP99 <= MAX_START_LAG_MS,
    },
    {
      bench: 'fleet-throughput',
      runsPerMinute,
      workers: WORKERS,
      runsPerMinutePerWorker: round(runsPerMinute / WORKERS, 1),
      workerCpuSeconds: round(result.workerCpuSeconds, 1),
      workerCpuMsPerRun: round((result.workerCpuSeconds * 1000) / Math.max(1, slots.executed), 1),
      workerCpuMsPerRunAboveIdle: round((busyCpuSeconds * 1000) / Math.max(1, slots.executed), 1),
      idleWorkerCpuPercent: round(idleCpuPerSecond * 100, 1),
      redisCommandsPerSecond: commandsPerSecond,
      redisCommandsPerTenantPerSecond: round(commandsPerSecond / tenants, 2),
      idleRedisCommandsPerSecond: idleCommandsPerSecond,
      busiestCommandsPerSecond: commandRates(redis.atWindowStart, redis.atEnd, windowSeconds, 6),
      idleBusiestCommandsPerSecond: commandRates(idle.before, idle.after, Math.max(1, idle.seconds), 6),
      initialSyncMs: result.initialSyncMs,
      initialSyncUnsettled: result.initialSyncUnsettled,
      target: { runsPerMinute: round((tenants * 60) / 300, 1) },
      ok: slots.expected === 0 || slots.executed === slots.expected,
    },
    {
      bench: 'fleet-redis',
      usedMemoryBytes: {
        empty: redis.empty.usedMemoryBytes,
        afterInitialSync: redis.afterInitialSync.usedMemoryBytes,
        atEnd: redis.atEnd.usedMemoryBytes,
      },
      bytesPerTenant: {
        afterInitialSync: perTenant(
          redis.afterInitialSync.usedMemoryBytes - redis.empty.usedMemoryBytes,
          tenants,
        ),
        atEnd: perTenant(redis.atEnd.usedMemoryBytes - redis.empty.usedMemoryBytes, tenants),
      },
      datasetBytesPerTenant: {
        afterInitialSync: perTenant(redis.afterInitialSync.datasetBytes - redis.empty.datasetBytes, tenants),
        atEnd: perTenant(redis.atEnd.datasetBytes - redis.empty.datasetBytes, tenants),
      },
      clientBuffersBytes: redis.atEnd.clientsBytes,
      connectedClients: redis.atEnd.connectedClients,
      bytesPerTenantByKey: Object.fromEntries(
        result.keysAtEnd
          .slice(0, 12)
          .map((kind) => [
            kind.kind,
            { keys: round(kind.keys / tenants, 1), bytes: perTenant(kind.bytes, tenants) },
          ]),
      ),
      keysPerTenant: {
        afterInitialSync: round(redis.afterInitialSync.keys / tenants, 1),
        atEnd: round(redis.atEnd.keys / tenants, 1),
      },
      target: {},
      ok: true,
    },
    {
      bench: 'fleet-writes',
      sourceChanges: result.sourceChanges,
      platformWrites: result.platformWrites,
      tenantsOffSource: result.tenantsOffSource.length,
      tenantsOffSourceSample: result.tenantsOffSource.slice(0, SAMPLE),
      target: { platformWrites: result.sourceChanges, tenantsOffSource: 0 },
      ok: result.platformWrites === result.sourceChanges && result.tenantsOffSource.length === 0,
    },
  ];
}

function lagFigures(values: readonly number[]): Record<string, number> {
  return {
    p50: round(percentile(values, 50), 0),
    p99: round(percentile(values, 99), 0),
    max: round(percentile(values, 100), 0),
  };
}

function perTenant(bytes: number, tenants: number): number {
  return Math.round(bytes / Math.max(1, tenants));
}

function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
