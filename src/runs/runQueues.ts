import type { Op } from '../model/plan.js';
import type { RunRequest } from '../model/run.js';

/** A batch of one run's ops of one phase; each op is applied and accounted for on its own. */
export interface OpBatch {
  readonly tenant: string;
  readonly runId: string;
  /** How many times these ops were tried before (a retry batch carries the ops that failed transiently). */
  readonly attempt: number;
  readonly ops: readonly Op[];
  /** Each op's id (see `opId`), in the order of `ops`. */
  readonly opIds: readonly string[];
}

/**
 * Where runs hand their work: run requests to whichever reconcile worker is free, op batches to
 * their tenant's op queue. Runs know only this; `QueueSet` (src/queue) is it over BullMQ.
 */
export interface RunQueues {
  /** Adds one job per `jobId` (the run id by default): enqueueing the same run twice adds one job. */
  enqueueRun(request: RunRequest, jobId?: string): Promise<void>;
  /**
   * Adds batches of one tenant's ops, each under an id that follows from its ops and attempt.
   * Priority 0 is none: such batches go before every prioritised one.
   */
  enqueueOpBatches(tenant: string, batches: readonly OpBatch[], priority: number): Promise<void>;
}

/** Ops per batch job at most: BullMQ's own cost per job would otherwise outweigh a platform call. */
const MAX_OPS_PER_JOB = 100;

/**
 * A batch never holds more ops than the tenant may send in a second: the pacer's budget holds one
 * second of requests, and a batch takes its share of it at once (see OpPacer).
 */
export function opsPerJob(maxRequestsPerSecond: number): number {
  return Math.max(1, Math.min(MAX_OPS_PER_JOB, Math.floor(maxRequestsPerSecond)));
}
