import type { RunRecord, RunRequest } from '../model/run.js';
import type { PipelineDependencies } from './pipeline/context.js';
import { executeRun } from './pipeline.js';

/**
 * Executes a run while holding its tenant's lease, or answers `undefined` at once when another
 * run of the tenant holds it: at most one run per tenant at a time, across every process. A run
 * that loses the lease while it goes on stops at its next step, failed with "lease lost".
 */
export async function executeIfUnlocked(
  request: RunRequest,
  deps: PipelineDependencies,
): Promise<RunRecord | undefined> {
  const lease = await deps.stores.lock.acquire(request.tenant, request.runId);
  if (!lease) return undefined;
  try {
    return await executeRun(request, { ...deps, leaseLost: lease.lost });
  } finally {
    await lease.release();
  }
}
