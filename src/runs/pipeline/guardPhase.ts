import { guardPlan } from '../../engine/index.js';
import type { GuardVerdict, Plan } from '../../model/plan.js';
import { clockOf, type RunContext } from './context.js';
import type { ImportedSource } from './importPhase.js';

const PROBLEMS_PER_WRITE = 1000;

/**
 * Records the plan's problems (each a failure of its object, planned again by the next
 * incremental run) and asks the safety guards whether the plan may be applied.
 */
export async function guardPhase(
  run: RunContext,
  imported: ImportedSource,
  plan: Plan,
): Promise<GuardVerdict> {
  await recordProblems(run, plan);
  return guardPlan(plan, run.deps.runtime.config.safety, {
    sourceUserCount: imported.snapshot.users.length,
    ...(imported.previous ? { previousSourceUserCount: imported.previous.snapshot.users.length } : {}),
  });
}

async function recordProblems(run: RunContext, plan: Plan): Promise<void> {
  const { stores } = run.deps;
  const { tenant } = run;
  const runId = run.request.runId;
  const at = clockOf(run.deps)().toISOString();
  // One MULTI per slice, as the op worker records a batch's outcomes.
  for (let start = 0; start < plan.problems.length; start += PROBLEMS_PER_WRITE) {
    const problems = plan.problems.slice(start, start + PROBLEMS_PER_WRITE);
    const batch = stores.batch();
    for (const problem of problems) {
      // A conflict may clear when another object changes: the next incremental run looks again.
      await stores.state.markForRetry(tenant, problem.objectType, problem.externalId, batch);
      await stores.runs.addFailure(tenant, runId, problem, batch);
    }
    const events = problems.map((problem) => ({
      runId,
      at,
      objectType: problem.objectType,
      externalId: problem.externalId,
      outcome: 'failure' as const,
      reason: problem.reason,
    }));
    await stores.events.appendAll(tenant, events, batch);
    await batch.exec();
  }
}
