import type { Logger } from '../observability/logger.js';
import { keys } from '../runs/keys.js';
import type { InFlightDependencies } from './inFlight.js';
import { scheduleAllowed } from './quarantine.js';
import { readQuarantine, recordSkippedTrigger } from './quarantineStatus.js';
import { type TriggeredRun, triggerRun } from './runTrigger.js';
import type { ScheduleTick } from './schedules.js';

/** How long a tick id is remembered: longer than any delivery delay of the same tick. */
const TICK_MEMORY_SECONDS = 86_400;

export type TickOutcome =
  | { readonly kind: 'run'; readonly triggered: TriggeredRun }
  | { readonly kind: 'skipped'; readonly reason: string }
  | { readonly kind: 'duplicate' }
  | { readonly kind: 'unknownTenant' };

export interface TickDependencies extends InFlightDependencies {
  readonly tenants: ReadonlySet<string>;
  readonly logger: Logger;
}

/**
 * One cron tick of one tenant: a run with trigger `schedule`, unless the tenant is quarantined
 * (recorded as a skipped trigger) or this tick was handled already.
 */
export async function handleScheduleTick(
  deps: TickDependencies,
  tick: ScheduleTick,
  tickId: string,
  now: Date = new Date(),
): Promise<TickOutcome> {
  const logger = deps.logger.child({ tenant: tick.tenant, mode: tick.mode });
  if (!deps.tenants.has(tick.tenant)) {
    logger.warn('schedule tick of a tenant that is not configured here; ignored');
    return { kind: 'unknownTenant' };
  }
  const first = await deps.stores.redis.set(
    keys.tick(tick.tenant, tickId),
    '1',
    'EX',
    TICK_MEMORY_SECONDS,
    'NX',
  );
  if (first !== 'OK') return { kind: 'duplicate' };
  const quarantine = await readQuarantine(deps.stores, tick.tenant);
  if (quarantine.quarantined && !scheduleAllowed(quarantine, now)) {
    await recordSkippedTrigger(deps.stores, tick.tenant, tick.mode, now);
    logger.warn(
      { reason: quarantine.reason, nextAllowedAt: quarantine.nextAllowedAt },
      'tenant quarantined: scheduled run skipped',
    );
    return { kind: 'skipped', reason: quarantine.reason };
  }
  const triggered = await triggerRun(deps, { tenant: tick.tenant, mode: tick.mode, trigger: 'schedule' });
  logger.info(
    {
      runId: triggered.run.id,
      coalesced: triggered.coalesced,
      ...(triggered.behind ? { behind: triggered.behind } : {}),
    },
    triggered.coalesced ? 'scheduled run coalesced into the follow-up run' : 'scheduled run queued',
  );
  return { kind: 'run', triggered };
}
