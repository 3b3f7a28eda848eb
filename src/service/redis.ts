import { Cluster, Redis } from 'ioredis';
import type { RedisConnection } from '../runs/redis/connection.js';

/** Where the deployment's Redis is: one server by URL, or the seed nodes of a Redis Cluster. */
export type RedisTarget =
  | { readonly url: string }
  | { readonly cluster: { readonly nodes: readonly string[] } };

/**
 * While a replica takes over a dead master (a few node timeouts), commands to its slots fail:
 * the cluster client asks again every RETRY_ON_FAILOVER_MS, up to MAX_REDIRECTIONS times, well
 * beyond the time a failover takes.
 */
const RETRY_ON_FAILOVER_MS = 200;
const MAX_REDIRECTIONS = 100;
/**
 * How long a node may take to answer CLUSTER SLOTS. The client's default, 1 s, is short on a busy
 * host, where a worker connects a blocking connection per tenant: a refresh that times out makes
 * the client start its connection over.
 */
const SLOTS_REFRESH_TIMEOUT_MS = 5000;

/** BullMQ workers block on Redis; they need connections that never give up on a command. */
export function connectRedis(target: RedisTarget): RedisConnection {
  if ('url' in target) return new Redis(target.url, { maxRetriesPerRequest: null, enableReadyCheck: true });
  return new Cluster(target.cluster.nodes.map(parseNode), {
    redisOptions: { maxRetriesPerRequest: null, enableReadyCheck: true },
    enableOfflineQueue: true,
    retryDelayOnFailover: RETRY_ON_FAILOVER_MS,
    retryDelayOnClusterDown: RETRY_ON_FAILOVER_MS,
    retryDelayOnTryAgain: RETRY_ON_FAILOVER_MS,
    maxRedirections: MAX_REDIRECTIONS,
    slotsRefreshTimeout: SLOTS_REFRESH_TIMEOUT_MS,
  });
}

function parseNode(node: string): { host: string; port: number } {
  const separator = node.lastIndexOf(':');
  return { host: node.slice(0, separator), port: Number(node.slice(separator + 1)) };
}
