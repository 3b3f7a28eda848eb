import { Cluster, type ClusterOptions, Redis, type RedisOptions } from 'ioredis';
import { ConfigError } from '../config/errors.js';
import type { RedisClusterConfig } from '../config/load.js';
import type { RedisConnection } from '../runs/redis/connection.js';

/** Where the deployment's Redis is: one server by URL, or the seed nodes of a Redis Cluster. */
export type RedisTarget = { readonly url: string } | { readonly cluster: RedisClusterConfig };

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
  const { nodes, tls } = target.cluster;
  const redisOptions: RedisOptions = {
    maxRetriesPerRequest: null,
    enableReadyCheck: true,
    ...nodeOptions(target.cluster),
  };
  const options: ClusterOptions = {
    redisOptions,
    enableOfflineQueue: true,
    retryDelayOnFailover: RETRY_ON_FAILOVER_MS,
    retryDelayOnClusterDown: RETRY_ON_FAILOVER_MS,
    retryDelayOnTryAgain: RETRY_ON_FAILOVER_MS,
    maxRedirections: MAX_REDIRECTIONS,
    slotsRefreshTimeout: SLOTS_REFRESH_TIMEOUT_MS,
    // A certificate names the host an operator configured, not the address it resolves to: the
    // seed nodes are reached by their names, as a managed cluster's certificates expect.
    ...(tls === undefined ? {} : { dnsLookup: (address, callback) => callback(null, address) }),
  };
  return new Cluster(nodes.map(parseNode), options);
}

/** What every node of the cluster asks of a connection: its user, password and TLS. */
function nodeOptions(cluster: RedisClusterConfig): RedisOptions {
  const { username, password, tls } = cluster;
  return {
    ...(username === undefined ? {} : { username }),
    ...(password === undefined ? {} : { password: password.reveal() }),
    ...(tls === undefined
      ? {}
      : {
          tls: {
            ...(tls.ca === undefined ? {} : { ca: tls.ca }),
            ...(tls.servername === undefined ? {} : { servername: tls.servername }),
            rejectUnauthorized: tls.rejectUnauthorized,
          },
        }),
  };
}

/**
 * Resolves once Redis answers. Credentials it refuses, or a certificate that cannot be trusted,
 * fail at once naming the setting to fix: the client would otherwise try again for ever, and
 * start-up would hang without a word. Other failures (Redis still starting) are waited out.
 */
export async function untilAnswered(connection: RedisConnection, target: RedisTarget): Promise<void> {
  if ('cluster' in target) {
    try {
      await checkFirstNode(target);
    } catch (error) {
      connection.disconnect();
      throw error;
    }
  }
  let onError: ((error: Error) => void) | undefined;
  const refused = new Promise<never>((_, reject) => {
    onError = (error) => {
      const problem = setupProblem(target, error);
      if (problem !== undefined) reject(problem);
    };
    connection.on('error', onError);
  });
  try {
    await Promise.race([
      connection.ping().catch((error: unknown) => {
        throw (error instanceof Error && setupProblem(target, error)) || error;
      }),
      refused,
    ]);
  } catch (error) {
    connection.disconnect();
    throw error;
  } finally {
    if (onError) connection.off('error', onError);
  }
}

/**
 * Connects once to the first seed node alone. The cluster client reads the cluster's layout over
 * connections whose errors it drops, so a refused password or an untrusted certificate shows only
 * as "Failed to refresh slots cache"; a node asked directly says which. A node that does not
 * answer at all is left to the cluster client, which waits for it.
 */
async function checkFirstNode(target: Extract<RedisTarget, { cluster: unknown }>): Promise<void> {
  const [first] = target.cluster.nodes;
  if (first === undefined) return;
  const errors: Error[] = [];
  const node = new Redis({
    ...parseNode(first),
    ...nodeOptions(target.cluster),
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  node.on('error', (error: Error) => errors.push(error));
  try {
    await node.connect();
    await node.ping();
  } catch (error) {
    if (error instanceof Error) errors.push(error);
    for (const seen of errors) {
      const problem = setupProblem(target, seen);
      if (problem !== undefined) throw problem;
    }
  } finally {
    node.disconnect();
  }
}

/** The configuration problem behind a connection error, if it is one (a cluster wraps its nodes' errors). */
function setupProblem(target: RedisTarget, error: Error): ConfigError | undefined {
  const nodeError: unknown = (error as { lastNodeError?: unknown }).lastNodeError;
  const cause = nodeError instanceof Error ? nodeError : error;
  const refused = /^(WRONGPASS|NOAUTH|NOPERM)\b/.test(cause.message);
  const untrusted = /CERT|ERR_TLS|SELF_SIGNED|UNABLE_TO_VERIFY/.test(
    (cause as NodeJS.ErrnoException).code ?? '',
  );
  if (!refused && !untrusted) return undefined;
  if ('url' in target) {
    return new ConfigError([
      refused
        ? `redis.url (or REDIS_URL): Redis refused the URL's user and password (${cause.message})`
        : `redis.url (or REDIS_URL): the certificate of Redis is not trusted (${cause.message})`,
    ]);
  }
  const { username, password } = target.cluster;
  if (untrusted) {
    return new ConfigError([
      `redis.cluster.tls: the certificate of a Redis Cluster node is not trusted (${cause.message}); tls.ca names the CA, tls.servername the name the certificates hold`,
    ]);
  }
  const who = username === undefined ? 'the password' : `user ${username} with the password`;
  const problem =
    password === undefined
      ? 'asks for a password, and none is set'
      : `refused ${who} of ${password.reference}`;
  return new ConfigError([`redis.cluster.password: the Redis Cluster ${problem} (${cause.message})`]);
}

function parseNode(node: string): { host: string; port: number } {
  const separator = node.lastIndexOf(':');
  return { host: node.slice(0, separator), port: Number(node.slice(separator + 1)) };
}
