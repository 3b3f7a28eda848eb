import type { Queue } from 'bullmq';
import { CronExpressionParser } from 'cron-parser';
import type { TenantConfig } from '../config/load.js';
import type { RunMode, RunRecord } from '../model/run.js';
import { keys } from '../runs/keys.js';
import type { RedisStores } from '../runs/redis/stores.js';
import type { InFlightDependencies } from './inFlight.js';
import { findRunInFlight } from './inFlight.js';
import type { QuarantineState } from './quarantine.js';
import { readQuarantine, readSkippedTriggers, type SkippedTriggers } from './quarantineStatus.js';
import { type ScheduledRun, type ScheduleTick, scheduledRuns } from './schedules.js';

export interface TenantStatus {
  readonly id: string;
  readonly source: TenantConfig['source']['type'];
  readonly state: 'idle' | 'running' | 'quarantined';
  readonly lastRun: RunRecord | null;
  readonly runInFlight: string | null;
  readonly followUpRun: string | null;
  readonly schedules: Partial<Record<RunMode, ScheduledRun>>;
  /** The next scheduled run that will not be skipped. */
  readonly nextRunAt: string | null;
  readonly quarantine: QuarantineState & { readonly skippedTriggers: SkippedTriggers };
  readonly cursor: { readonly committedAt: string; readonly ageSeconds: number } | null;
}

export interface StatusDependencies extends InFlightDependencies {
  readonly scheduleQueue: Queue<ScheduleTick>;
}

/** A tenant as an operator asks after it: last run, next run, quarantine, cursor age. */
export async function tenantStatus(
  deps: StatusDependencies,
  tenant: TenantConfig,
  now: Date = new Date(),
): Promise<TenantStatus> {
  const stores: RedisStores = deps.stores;
  const [lastRuns, inFlight, followUp, schedules, quarantine, skipped, committedAt] = await Promise.all([
    stores.runs.list(tenant.id, 1),
    findRunInFlight(deps, tenant.id),
    stores.redis.get(keys.followUp(tenant.id)),
    scheduledRuns(deps.scheduleQueue, tenant.id),
    readQuarantine(stores, tenant.id),
    readSkippedTriggers(stores, tenant.id),
    stores.state.cursorCommittedAt(tenant.id),
  ]);
  return {
    id: tenant.id,
    source: tenant.source.type,
    state: quarantine.quarantined ? 'quarantined' : inFlight ? 'running' : 'idle',
    lastRun: lastRuns[0] ?? null,
    runInFlight: inFlight ?? null,
    followUpRun: followUp,
    schedules,
    nextRunAt: nextRunAt(schedules, quarantine),
    quarantine: { ...quarantine, skippedTriggers: skipped },
    cursor: committedAt
      ? { committedAt, ageSeconds: Math.max(0, Math.round((now.getTime() - Date.parse(committedAt)) / 1000)) }
      : null,
  };
}

/** The earliest scheduled tick; while quarantined, the earliest one at or after the backoff ends. */
export function nextRunAt(
  schedules: Partial<Record<RunMode, ScheduledRun>>,
  quarantine: QuarantineState,
): string | null {
  const allowedFrom = quarantine.quarantined ? Date.parse(quarantine.nextAllowedAt) : undefined;
  const candidates = Object.values(schedules).flatMap((schedule) => {
    if (!schedule.next) return [];
    if (allowedFrom === undefined || Date.parse(schedule.next) >= allowedFrom)
      return [Date.parse(schedule.next)];
    const expression = CronExpressionParser.parse(schedule.pattern, {
      tz: 'UTC',
      currentDate: new Date(allowedFrom - 1),
    });
    return [expression.next().getTime()];
  });
  return candidates.length > 0 ? new Date(Math.min(...candidates)).toISOString() : null;
}
