import type { RunRequest } from '../../model/run.js';
import type { Logger } from '../../observability/logger.js';
import { RunCallCounter } from '../callCounter.js';
import { PhaseTimer } from '../phaseTimer.js';
import type { Stores } from '../ports.js';
import type { RunQueues } from '../runQueues.js';
import type { TenantRuntime } from '../runtime.js';

export interface PipelineDependencies {
  readonly stores: Stores;
  readonly queues: RunQueues;
  readonly runtime: TenantRuntime;
  readonly logger: Logger;
  readonly now?: () => Date;
  /** How often the run looks at its ops' progress. */
  readonly pollMs?: number;
  /** Aborted when the run's tenant lease is lost (see TenantLock): the run stops at its next step. */
  readonly leaseLost?: AbortSignal;
}

/** One run under way: what each phase reads and adds to its record. */
export interface RunContext {
  readonly request: RunRequest;
  readonly deps: PipelineDependencies;
  readonly tenant: string;
  readonly started: Date;
  readonly counter: RunCallCounter;
  readonly phases: PhaseTimer;
  readonly logger: Logger;
}

export function clockOf(deps: PipelineDependencies): () => Date {
  return deps.now ?? (() => new Date());
}

/** Marks the recorded run as running, in its import phase. */
export async function startRun(request: RunRequest, deps: PipelineDependencies): Promise<RunContext> {
  const now = clockOf(deps);
  const run: RunContext = {
    request,
    deps,
    tenant: request.tenant,
    started: now(),
    counter: new RunCallCounter(),
    phases: new PhaseTimer(() => now().getTime()),
    logger: deps.logger.child({ tenant: request.tenant, runId: request.runId }),
  };
  await deps.stores.runs.update(run.tenant, request.runId, {
    status: 'running',
    startedAt: run.started.toISOString(),
    ...run.phases.enter('import'),
  });
  return run;
}

/**
 * Between steps a run makes sure it still holds its tenant's lease: once lost, another run may be
 * under way, so this one stops (its record says why) and commits no checkpoint.
 */
export function nextStep(deps: PipelineDependencies): void {
  deps.leaseLost?.throwIfAborted();
}
