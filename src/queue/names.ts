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
 * planning a change again while its job is still pending adds no duplicate.
 */
export function opJobId(op: Op): string {
  const digest = createHash('sha256').update(JSON.stringify(op)).digest('base64url').slice(0, 22);
  return `${op.kind}-${digest}`;
}
