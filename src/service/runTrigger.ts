import type { RunRecord } from '../model/run.js';
import { keys } from '../runs/keys.js';
import { type RunOrder, recordRun, requestOf, requestRun } from '../runs/requestRun.js';
import { findRunInFlight, type InFlightDependencies } from './inFlight.js';
import { withTenantMutex } from './tenantMutex.js';

export interface TriggeredRun {
  readonly run: RunRecord;
  /** True when the run waits for `behind` to end, as the tenant's one follow-up run. */
  readonly coalesced: boolean;
  readonly behind?: string;
}

/**
 * Asks for a run of the tenant. With no run in flight it is queued at once. Otherwise it becomes
 * the tenant's one follow-up run, recorded now and queued when the current run ends; later
 * triggers join that follow-up (a full request upgrades it), so none is lost and none doubles.
 * Dry runs change nothing and are queued as asked; the tenant lease still runs them one at a time.
 */
export async function triggerRun(deps: InFlightDependencies, order: RunOrder): Promise<TriggeredRun> {
  if (order.dryRun) return { run: await requestRun(deps.stores, deps.queues, order), coalesced: false };
  const { stores } = deps;
  return withTenantMutex(stores.redis, order.tenant, async () => {
    const waiting = await pendingFollowUp(deps, order.tenant);
    const behind = await findRunInFlight(deps, order.tenant, waiting?.id);
    if (waiting && behind) {
      const run =
        order.mode === 'full' && waiting.requestedMode !== 'full'
          ? await stores.runs.update(order.tenant, waiting.id, { requestedMode: 'full', mode: 'full' })
          : waiting;
      return { run, coalesced: true, behind };
    }
    if (waiting) {
      // The run it waited for is gone (finished, or its worker died): release it now.
      await release(deps, waiting);
      return { run: waiting, coalesced: false };
    }
    if (!behind) return { run: await requestRun(stores, deps.queues, order), coalesced: false };
    const run = await recordRun(stores, order);
    await stores.redis.set(keys.followUp(order.tenant), run.id);
    return { run, coalesced: true, behind };
  });
}

/**
 * Queues the tenant's follow-up run once nothing else of the tenant is in flight. Called when a
 * run ends and every few seconds as a sweep, so a follow-up survives the death of any process.
 */
export async function settleFollowUp(
  deps: InFlightDependencies,
  tenant: string,
): Promise<RunRecord | undefined> {
  if (!(await deps.stores.redis.exists(keys.followUp(tenant)))) return undefined;
  return withTenantMutex(deps.stores.redis, tenant, async () => {
    const waiting = await pendingFollowUp(deps, tenant);
    if (!waiting || (await findRunInFlight(deps, tenant, waiting.id))) return undefined;
    await release(deps, waiting);
    return waiting;
  });
}

async function pendingFollowUp(deps: InFlightDependencies, tenant: string): Promise<RunRecord | undefined> {
  const runId = await deps.stores.redis.get(keys.followUp(tenant));
  if (!runId) return undefined;
  const record = await deps.stores.runs.get(tenant, runId);
  if (record?.status === 'queued') return record;
  await deps.stores.redis.del(keys.followUp(tenant));
  return undefined;
}

async function release(deps: InFlightDependencies, run: RunRecord): Promise<void> {
  await deps.queues.enqueueRun(requestOf(run));
  await deps.stores.redis.del(keys.followUp(run.tenant));
}
