import type { RunRequest } from '../model/run.js';
import type { QueueSet } from '../queue/queues.js';

/** How a run job is retried when its worker dies or Redis blips (the pipeline records its own failures). */
export const RUN_JOB_OPTIONS = { attempts: 3, backoff: { type: 'exponential', delay: 5000 } } as const;

/**
 * Hands an already recorded run to whichever reconcile worker is free. The job id defaults to the
 * run id, so enqueueing the same run twice adds one job.
 */
export async function enqueueRun(
  queues: QueueSet,
  request: RunRequest,
  jobId = request.runId,
): Promise<void> {
  await queues.reconcile.add('run', request, { ...RUN_JOB_OPTIONS, jobId });
}
