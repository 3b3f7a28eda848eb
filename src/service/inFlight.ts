import type { RunRecord } from '../model/run.js';
import type { QueueSet } from '../queue/queues.js';
import { keys } from '../runs/keys.js';
import type { RedisStores } from '../runs/redis/stores.js';
import { approvalJobId } from './approval.js';

/** Recent runs looked at: a tenant never has more than a couple in flight. */
const RECENT_RUNS = 20;
const LIVE_JOB_STATES = new Set(['waiting', 'delayed', 'active', 'prioritized', 'waiting-children']);
const UNFINISHED = new Set(['queued', 'running', 'applying']);

export interface InFlightDependencies {
  readonly stores: RedisStores;
  readonly queues: QueueSet;
}

/**
 * The run of the tenant that is executing or waiting in the queue, if any. A record alone is not
 * trusted: a run counts only while it holds the tenant's lease or has a live reconcile job, so a
 * record left behind by a crash never blocks the tenant.
 */
export async function findRunInFlight(
  deps: InFlightDependencies,
  tenant: string,
  except?: string,
): Promise<string | undefined> {
  const holder = await deps.stores.lock.holder(tenant);
  if (holder && holder !== except) return holder;
  const ids = await deps.stores.redis.zrevrange(keys.runIndex(tenant), 0, RECENT_RUNS - 1);
  if (ids.length === 0) return undefined;
  const texts = await deps.stores.redis.mget(ids.map((id) => keys.run(tenant, id)));
  for (const text of texts) {
    if (!text) continue;
    const record = JSON.parse(text) as RunRecord;
    if (record.id === except || !UNFINISHED.has(record.status)) continue;
    if (await hasLiveJob(deps.queues, record.id)) return record.id;
  }
  return undefined;
}

async function hasLiveJob(queues: QueueSet, runId: string): Promise<boolean> {
  const states = await Promise.all([
    queues.reconcile.getJobState(runId),
    queues.reconcile.getJobState(approvalJobId(runId)),
  ]);
  return states.some((state) => LIVE_JOB_STATES.has(state));
}
