import type { Redis } from 'ioredis';
import type { RunRecord, RunRequest } from '../model/run.js';
import type { Logger } from '../observability/logger.js';
import { startOpWorker } from '../queue/opWorker.js';
import type { QueueSet } from '../queue/queues.js';
import { executeIfUnlocked } from '../runs/lockedRun.js';
import type { Stores, TenantRuntime } from '../runs/runtime.js';

const LOCKED_RETRY_MS = 1000;

export interface HereDependencies {
  readonly stores: Stores;
  readonly queues: QueueSet;
  readonly runtime: TenantRuntime;
  readonly logger: Logger;
  /** A connection of its own for the op worker, which blocks on Redis. */
  readonly workerConnection: Redis;
}

/**
 * Executes a recorded run in this process, with the tenant's op worker here too, waiting its turn
 * while another run of the tenant holds the lease.
 */
export async function executeHere(request: RunRequest, deps: HereDependencies): Promise<RunRecord> {
  const worker = startOpWorker({
    connection: deps.workerConnection,
    stores: deps.stores,
    runtime: deps.runtime,
    logger: deps.logger,
  });
  await worker.waitUntilReady();
  try {
    for (;;) {
      const finished = await executeIfUnlocked(request, deps);
      if (finished) return finished;
      await new Promise((wake) => setTimeout(wake, LOCKED_RETRY_MS));
    }
  } finally {
    await worker.close();
  }
}
