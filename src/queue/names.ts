import { createHash } from 'node:crypto';
import type { Op } from '../model/plan.js';

/** One queue for run requests of every tenant; each worker takes them in turn. */
export const RECONCILE_QUEUE = 'dirsync-reconcile';

/**
 * One op queue per tenant: BullMQ's rate limiter works per queue, so each tenant is paced on its
 * own, and a tenant whose platform is slow or down cannot hold up another's ops.
 */
export function opsQueueName(tenant: string): string {
  return `dirsync-ops-${tenant}`;
}

/** Where in the BullMQ key space dirsync's queues live. */
export const QUEUE_PREFIX = 'dirsync-bull';

/**
 * Deterministic: the same op for the same object and desired state gets the same id, so
 * planning a change again while it is still pending adds no duplicate (see PendingOps).
 */
export function opId(op: Op): string {
  return `${op.kind}-${digest(canonicalJson(op))}`;
}

/**
 * JSON with object keys sorted: the worker's parsed copy of an op lists its keys in the schema's
 * order, not the planner's, and must still get the id the op was enqueued under. Written out by
 * hand because a sorting replacer rebuilds every object, and every planned op passes through here.
 */
function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const record = value as Record<string, unknown>;
  const members: string[] = [];
  for (const key of Object.keys(record).sort()) {
    const item = record[key];
    if (item !== undefined) members.push(`${JSON.stringify(key)}:${canonicalJson(item)}`);
  }
  return `{${members.join(',')}}`;
}

/** A batch's job id follows from its ops (and attempt): enqueueing the same batch twice adds one job. */
export function batchJobId(opIds: readonly string[], attempt: number): string {
  return `batch-${attempt}-${digest(opIds.join(','))}`;
}

function digest(text: string): string {
  return createHash('sha256').update(text).digest('base64url').slice(0, 22);
}
