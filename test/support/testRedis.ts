import type { RedisTarget } from '../../src/service/redis.js';
import { startEmbeddedCluster } from './embeddedCluster.js';

/** The two kinds of Redis a deployment can have; suites that prove both run once on each. */
export const REDIS_KINDS = ['one Redis', 'a Redis Cluster'] as const;
export type RedisKind = (typeof REDIS_KINDS)[number];

/**
 * The cases of a suite over `kinds` (of platform, say): every kind on one Redis, and the first on a
 * Redis Cluster as well, which proves the cluster at the cost of one more case.
 */
export function onEachRedis<Kind>(kinds: readonly Kind[]): { kind: Kind; redis: RedisKind }[] {
  return [
    ...kinds.map((kind) => ({ kind, redis: REDIS_KINDS[0] })),
    { kind: kinds[0]!, redis: REDIS_KINDS[1] },
  ];
}

/** A Redis for one suite: the suite's shared server, or a private cluster of its own. */
export interface TestRedis {
  readonly target: RedisTarget;
  /** The `redis:` entry of a configuration file that points at it. */
  readonly configLine: string;
  stop(): Promise<void>;
}

export async function openTestRedis(kind: RedisKind): Promise<TestRedis> {
  if (kind === 'one Redis') {
    const url = process.env.REDIS_URL!;
    return { target: { url }, configLine: `redis: { url: "${url}" }`, stop: async () => {} };
  }
  const cluster = await startEmbeddedCluster();
  return {
    target: { cluster: { nodes: cluster.nodes } },
    configLine: `redis: { cluster: { nodes: [${cluster.nodes.map((node) => `"${node}"`).join(', ')}] } }`,
    stop: () => cluster.stop(),
  };
}
