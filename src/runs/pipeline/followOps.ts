import { opTotals } from '../../model/run.js';
import { nextStep, type PipelineDependencies } from './context.js';
import type { EnqueuedOps } from './enqueueOps.js';

/**
 * How often a run looks at its ops' progress when no local worker tells it sooner (see
 * OpProgress): a counter read, so cheap enough to keep phases close.
 */
const DEFAULT_POLL_MS = 100;
/** Op ids looked up per poll while following the ops this run added. */
const FOLLOW_WINDOW = 1000;

/**
 * Waits until every op this run enqueued so far reached an end (succeeded, or failed for good),
 * and every op it found pending from an earlier run has ended too.
 */
export async function awaitOps(
  deps: PipelineDependencies,
  runId: string,
  enqueued: EnqueuedOps,
): Promise<void> {
  const tenant = deps.runtime.config.id;
  const record = await deps.stores.runs.get(tenant, runId);
  const { planned } = opTotals(record?.counts ?? {});
  let elsewhere = [...enqueued.pendingElsewhere];
  let added = [...enqueued.added];
  let finishedBefore = -1;
  for (;;) {
    nextStep(deps);
    if (elsewhere.length > 0) elsewhere = [...(await deps.stores.pendingOps.pending(tenant, elsewhere))];
    if (elsewhere.length === 0) {
      const finished = await deps.stores.runs.finishedOps(tenant, runId);
      if (finished >= planned) return;
      // Another run (or on-demand provisioning) may have added the same op between our look and our
      // add: its outcome counts to that run, so ours ends when none of its ops is pending any more.
      // Only worth looking up once our own count stops moving.
      if (finished === finishedBefore) {
        added = await stillPending(deps, added);
        if (added.length === 0) return;
      }
      finishedBefore = finished;
    }
    await deps.stores.progress.next(tenant, deps.pollMs ?? DEFAULT_POLL_MS);
  }
}

/** Drops the ops that ended from the first window of `opIds`; the rest wait their turn. */
async function stillPending(deps: PipelineDependencies, opIds: readonly string[]): Promise<string[]> {
  const window = opIds.slice(0, FOLLOW_WINDOW);
  const pending = await deps.stores.pendingOps.pending(deps.runtime.config.id, window);
  return [...window.filter((id) => pending.has(id)), ...opIds.slice(FOLLOW_WINDOW)];
}
