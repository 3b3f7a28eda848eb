import type { Plan } from '../../model/plan.js';
import type { RunRecord } from '../../model/run.js';
import { describeError, recordedFailureOf } from '../errors.js';
import { clockOf, type RunContext } from './context.js';

/** Ops shown in a run record; the whole plan is kept beside it. */
const OPS_KEPT_IN_RECORD = 1000;

export interface RunOutcome {
  readonly error?: string;
  readonly failureClass?: RunRecord['failureClass'];
  readonly plan?: RunRecord['plan'];
  readonly heldReason?: string;
  readonly status?: 'expired';
}

/** Ends the run's record: its status, duration and API calls; returns the record as stored. */
export async function finishRun(run: RunContext, outcome: RunOutcome): Promise<RunRecord> {
  const { stores } = run.deps;
  const { tenant } = run;
  const { runId } = run.request;
  const finished = clockOf(run.deps)();
  const current = await stores.runs.get(tenant, runId);
  const { status: ended, ...details } = outcome;
  const status =
    ended ??
    (outcome.error ? 'failed' : (current?.failureCount ?? 0) > 0 ? 'completedWithFailures' : 'succeeded');
  await stores.runs.update(tenant, runId, {
    status,
    ...run.phases.enter('done'),
    finishedAt: finished.toISOString(),
    durationMs: finished.getTime() - run.started.getTime(),
    apiCalls: run.counter.calls,
    throttled: run.counter.throttles,
    ...details,
  });
  return (await stores.runs.get(tenant, runId))!;
}

/** Ends the run failed, the reason and its class kept as its failure. */
export async function failRun(run: RunContext, error: unknown): Promise<RunRecord> {
  const reason = describeError(error);
  const failureClass = recordedFailureOf(error);
  run.logger.error({ reason, failureClass }, 'run failed');
  await run.deps.stores.runs.addFailure(run.tenant, run.request.runId, {
    objectType: 'run',
    reason,
    failureClass,
  });
  return finishRun(run, { error: reason, failureClass });
}

/** Never apply a plan from memory of it: the directory may have moved on since it was held. */
export function expireRun(run: RunContext): Promise<RunRecord> {
  run.logger.warn('the held plan expired before it was applied; nothing was applied');
  return finishRun(run, {
    status: 'expired',
    error: `the held plan of run ${run.request.runId} expired before it was approved; nothing was applied`,
  });
}

export function summarise(plan: Plan): RunRecord['plan'] {
  return {
    ops: [...plan.userOps, ...plan.groupOps].slice(0, OPS_KEPT_IN_RECORD),
    problems: plan.problems.slice(0, OPS_KEPT_IN_RECORD),
  };
}
