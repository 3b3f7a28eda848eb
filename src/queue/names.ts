/** One queue for run requests of every tenant; each worker takes them in turn. */
export const RECONCILE_QUEUE = 'dirsync-reconcile';

/**
 * One op queue per tenant, paced by its own budget (see OpPacer): a tenant whose platform is slow
 * or down cannot hold up another's ops.
 */
export function opsQueueName(tenant: string): string {
  return `dirsync-ops-${tenant}`;
}

/**
 * Where in the BullMQ key space a queue lives. BullMQ's Lua scripts touch several keys of a queue
 * at once, so on a Redis Cluster all of them must hash to one slot: the prefix carries a hash tag.
 */
export function queuePrefix(hashTag: string): string {
  return `dirsync-bull:{${hashTag}}`;
}

/** A tenant's op queue shares its tenant's hash tag: the tenant's ops and its keys live on one master. */
export function opsQueuePrefix(tenant: string): string {
  return queuePrefix(tenant);
}

export const RECONCILE_QUEUE_PREFIX = queuePrefix(RECONCILE_QUEUE);
