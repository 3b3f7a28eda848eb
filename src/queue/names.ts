/** One queue for run requests of every tenant; each worker takes them in turn. */
export const RECONCILE_QUEUE = 'dirsync-reconcile';

/**
 * One op queue per tenant, paced by its own budget (see OpPacer): a tenant whose platform is slow
 * or down cannot hold up another's ops.
 */
export function opsQueueName(tenant: string): string {
  return `dirsync-ops-${tenant}`;
}

/** Where in the BullMQ key space dirsync's queues live. */
export const QUEUE_PREFIX = 'dirsync-bull';
