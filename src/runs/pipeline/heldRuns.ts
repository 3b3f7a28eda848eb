import type { RunRecord } from '../../model/run.js';
import type { HeldRun } from '../ports.js';
import type { RunContext } from './context.js';
import { summarise } from './finishRun.js';

/** Stores the plan a safety guard held and ends the run `held`, to be approved or left to expire. */
export async function holdRun(run: RunContext, held: HeldRun, reason: string): Promise<RunRecord> {
  const { stores, runtime } = run.deps;
  const expiresInSeconds = Math.round(runtime.config.safety.heldRunExpiryHours * 3600);
  await stores.heldPlans.store(run.tenant, run.request.runId, held, expiresInSeconds);
  run.logger.warn({ reason }, 'run held by a safety guard; approve it to apply');
  return stores.runs.update(run.tenant, run.request.runId, {
    status: 'held',
    heldReason: reason,
    plan: summarise(held.plan),
    apiCalls: run.counter.calls,
    throttled: run.counter.throttles,
    ...run.phases.enter('done'),
  });
}

/** The held plan, or undefined once it has expired (or was never stored). */
export function loadHeldRun(run: RunContext): Promise<HeldRun | undefined> {
  return run.deps.stores.heldPlans.load(run.tenant, run.request.runId);
}
