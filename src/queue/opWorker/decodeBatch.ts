import type { Job } from 'bullmq';
import type { Op } from '../../model/plan.js';
import { keys } from '../../runs/keys.js';
import { type OpBatchJobData, opBatchJobSchema } from '../jobs.js';

/** One batch job's ops, as the worker applies and records them. */
export interface DecodedBatch {
  readonly tenant: string;
  readonly runId: string;
  readonly attempt: number;
  readonly ops: readonly Op[];
  readonly opIds: readonly string[];
  /** On a retry the platform may have moved since the plan: re-read and converge. */
  readonly reread: boolean;
  /** Set once this job's outcomes are recorded. */
  readonly recordedKey: string;
  /** The job's priority, kept by the batch of its ops retried later. */
  readonly priority: number | undefined;
}

export function decodeBatch(tenant: string, job: Job<OpBatchJobData>): DecodedBatch {
  const { runId, attempt, ops, opIds } = opBatchJobSchema.parse(job.data);
  return {
    tenant,
    runId,
    attempt,
    ops,
    opIds,
    reread: attempt > 0 || job.attemptsMade > 0,
    // Per job instance, not per id: the same ops planned again later (a drifted user deactivated
    // anew, say) make a new job under the same id, which must run, not pass as recorded.
    recordedKey: keys.batchRecorded(tenant, `${job.id ?? ''}@${job.timestamp}`),
    priority: job.opts.priority,
  };
}
