import { z } from 'zod';
import { OP_KINDS, type Op } from '../model/plan.js';
import type { RunRequest } from '../model/run.js';
import { opId } from '../runs/opIds.js';
import type { OpBatch } from '../runs/runQueues.js';

/**
 * Job payloads as stored in Redis: names and desired states, never credentials. Workers parse
 * them with these schemas, so a job written by an older or foreign producer fails clearly.
 */
export const runJobSchema = z.strictObject({
  runId: z.string().min(1),
  tenant: z.string().min(1),
  mode: z.enum(['full', 'incremental']),
  dryRun: z.boolean(),
  trigger: z.enum(['cli', 'api', 'schedule', 'approve', 'provision']),
}) satisfies z.ZodType<RunRequest>;

const change = z.strictObject({
  path: z.string(),
  from: z.union([z.string(), z.boolean()]).optional(),
  to: z.union([z.string(), z.boolean()]).optional(),
});

/** Ops are produced by the engine; the schema checks the shape every op kind shares. */
const opSchema = z.looseObject({
  kind: z.enum(OP_KINDS),
  externalId: z.string().min(1),
  targetId: z.string().optional(),
  changes: z.array(change).optional(),
});

/** A batch of one run's ops of one phase; each op is applied and accounted for on its own. */
export const opBatchJobSchema = z
  .strictObject({
    tenant: z.string().min(1),
    runId: z.string().min(1),
    /** How many times these ops were tried before (a retry batch carries the ops that failed transiently). */
    attempt: z.int().min(0),
    ops: z.array(opSchema.transform((value) => value as unknown as Op)).min(1),
    /**
     * Each op's id (see `opId`), in the order of `ops`: hashed once when planned, not again per
     * attempt. Jobs enqueued before ids travelled with them have none, and get them here.
     */
    opIds: z.array(z.string().min(1)).optional(),
  })
  .refine((data) => data.opIds === undefined || data.opIds.length === data.ops.length, {
    message: 'opIds must name each op once, in order',
    path: ['opIds'],
  })
  .transform((data) => ({ ...data, opIds: data.opIds ?? data.ops.map(opId) }));

export type RunJobData = z.infer<typeof runJobSchema>;
export type OpBatchJobData = OpBatch;
