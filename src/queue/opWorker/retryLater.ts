import type { Queue } from 'bullmq';
import { batchJobId } from '../../runs/opIds.js';
import type { OpBatchJobData } from '../jobs.js';
import { OP_JOB_OPTIONS, OP_RETRY_BASE_MS } from '../queues.js';
import type { AppliedBatch } from './applyBatch.js';
import type { DecodedBatch } from './decodeBatch.js';

/**
 * Ops the platform refused for a while go on in a later batch, delayed by exponential backoff.
 * Enqueued before the outcomes are recorded: if recording fails, the batch runs again and adds
 * this same job (same id from the same ops), not a second one.
 */
export async function retryLater(
  retries: Queue<OpBatchJobData>,
  batch: DecodedBatch,
  applied: AppliedBatch,
): Promise<void> {
  const again = applied.outcomes.filter((outcome) => outcome.ended === 'retry');
  if (again.length === 0) return;
  const { tenant, runId, attempt } = batch;
  const againIds = again.map((outcome) => outcome.id);
  await retries.add(
    again[0]!.op.kind,
    { tenant, runId, attempt: attempt + 1, ops: again.map((outcome) => outcome.op), opIds: againIds },
    {
      ...OP_JOB_OPTIONS,
      jobId: batchJobId(againIds, attempt + 1),
      delay: OP_RETRY_BASE_MS * 2 ** attempt,
      ...(batch.priority ? { priority: batch.priority } : {}),
    },
  );
}
