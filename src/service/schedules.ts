import { Queue } from 'bullmq';
import type { TenantConfig } from '../config/load.js';
import type { RunMode } from '../model/run.js';
import { queuePrefix } from '../queue/names.js';
import type { RedisConnection } from '../runs/redis/connection.js';

/** Cron ticks land here; the scheduler role turns each into a run (or a skipped trigger). */
export const SCHEDULE_QUEUE = 'dirsync-schedule';
export const SCHEDULE_QUEUE_PREFIX = queuePrefix(SCHEDULE_QUEUE);

export interface ScheduleTick {
  readonly tenant: string;
  readonly mode: RunMode;
}

export interface DesiredSchedule extends ScheduleTick {
  readonly id: string;
  readonly pattern: string;
}

export interface ScheduledRun {
  readonly pattern: string;
  readonly next?: string;
}

const MODES: readonly RunMode[] = ['incremental', 'full'];
/** Ticks are kept briefly for the dashboard; their outcome is in the run records. */
const TICK_JOB_OPTIONS = { removeOnComplete: { count: 200 }, removeOnFail: { count: 200 } } as const;

export function createScheduleQueue(connection: RedisConnection): Queue<ScheduleTick> {
  return new Queue<ScheduleTick>(SCHEDULE_QUEUE, { connection, prefix: SCHEDULE_QUEUE_PREFIX });
}

export function schedulerId(tenant: string, mode: RunMode): string {
  return `${tenant}-${mode}`;
}

/** Every cron schedule the configuration asks for (times are UTC). */
export function desiredSchedules(tenants: readonly TenantConfig[]): DesiredSchedule[] {
  return tenants.flatMap((tenant) =>
    MODES.flatMap((mode) => {
      const pattern = tenant.schedule[mode];
      return pattern ? [{ id: schedulerId(tenant.id, mode), tenant: tenant.id, mode, pattern }] : [];
    }),
  );
}

export interface ScheduleSync {
  readonly registered: readonly string[];
  readonly unchanged: readonly string[];
  readonly removed: readonly string[];
  readonly invalid: readonly { readonly id: string; readonly reason: string }[];
}

/**
 * Makes the queue's job schedulers what the configuration says. Idempotent, so every scheduler
 * replica may run it: a schedule already registered with the same pattern is left alone (its next
 * tick stays put), and schedules of tenants no longer configured are removed.
 */
export async function syncSchedules(
  queue: Queue<ScheduleTick>,
  tenants: readonly TenantConfig[],
): Promise<ScheduleSync> {
  const desired = desiredSchedules(tenants);
  const existing = new Map(
    (await queue.getJobSchedulers(0, -1)).map((scheduler) => [scheduler.key, scheduler]),
  );
  const result = {
    registered: [] as string[],
    unchanged: [] as string[],
    removed: [] as string[],
    invalid: [] as ScheduleSync['invalid'][number][],
  };
  for (const schedule of desired) {
    const current = existing.get(schedule.id);
    if (current?.pattern === schedule.pattern && current.tz === 'UTC') {
      result.unchanged.push(schedule.id);
      continue;
    }
    try {
      await queue.upsertJobScheduler(
        schedule.id,
        { pattern: schedule.pattern, tz: 'UTC' },
        {
          name: schedule.mode,
          data: { tenant: schedule.tenant, mode: schedule.mode },
          opts: TICK_JOB_OPTIONS,
        },
      );
      result.registered.push(schedule.id);
    } catch (error) {
      result.invalid.push({ id: schedule.id, reason: (error as Error).message });
    }
  }
  const wanted = new Set(desired.map((schedule) => schedule.id));
  for (const id of existing.keys()) {
    if (wanted.has(id)) continue;
    await queue.removeJobScheduler(id);
    result.removed.push(id);
  }
  return result;
}

/** The tenant's registered schedules with their next tick, as the scheduler replicas left them. */
export async function scheduledRuns(
  queue: Queue<ScheduleTick>,
  tenant: string,
): Promise<Partial<Record<RunMode, ScheduledRun>>> {
  const found: Partial<Record<RunMode, ScheduledRun>> = {};
  for (const mode of MODES) {
    const scheduler = await queue.getJobScheduler(schedulerId(tenant, mode));
    if (!scheduler?.pattern) continue;
    found[mode] = {
      pattern: scheduler.pattern,
      ...(scheduler.next ? { next: new Date(scheduler.next).toISOString() } : {}),
    };
  }
  return found;
}
