import { z } from 'zod';
import { OP_KINDS, type Op } from '../model/plan.js';
import type { RunRequest } from '../model/run.js';

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

export const opJobSchema = z.strictObject({
  tenant: z.string().min(1),
  runId: z.string().min(1),
  /** The userName or displayName, for the provisioning log. */
  subject: z.string().optional(),
  op: opSchema.transform((value) => value as unknown as Op),
});

export type RunJobData = z.infer<typeof runJobSchema>;
export interface OpJobData {
  readonly tenant: string;
  readonly runId: string;
  readonly subject?: string;
  readonly op: Op;
}
