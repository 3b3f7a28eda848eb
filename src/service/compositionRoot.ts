import type { TenantConfig } from '../config/load.js';
import type { RunRecord, RunRequest } from '../model/run.js';
import type { Logger } from '../observability/logger.js';
import { startOpWorker } from '../queue/opWorker.js';
import { QueueSet } from '../queue/queues.js';
import { executeIfUnlocked } from '../runs/lockedRun.js';
import type { PipelineDependencies } from '../runs/pipeline/context.js';
import type { RedisConnection } from '../runs/redis/connection.js';
import { createStores, type RedisStores } from '../runs/redis/stores.js';
import { createTenantRuntime, type TenantRuntime } from '../runs/runtime.js';
import { connectRedis, type RedisTarget, untilAnswered } from './redis.js';

/** How long a run executed here waits before it looks again at a tenant another run holds. */
const LOCKED_RETRY_MS = 1000;

/**
 * A deployment's Redis as this process sees it: one connection with the stores and queues over
 * it, and new connections for BullMQ workers, which block on theirs.
 */
export interface Backend {
  readonly redis: RedisConnection;
  readonly stores: RedisStores;
  readonly queues: QueueSet;
  /** A new connection of its own (a BullMQ worker blocks on it); the caller disconnects it. */
  connect(): RedisConnection;
  close(): Promise<void>;
}

/** The one place that opens a Redis deployment: the service, the CLI, the demo and the tests. */
export async function openBackend(target: RedisTarget): Promise<Backend> {
  const redis = connectRedis(target);
  await untilAnswered(redis, target);
  const queues = new QueueSet(redis);
  return {
    redis,
    stores: createStores(redis),
    queues,
    connect: () => connectRedis(target),
    async close() {
      await queues.close();
      redis.disconnect();
    },
  };
}

export interface TenantHereOptions {
  /** How often a run executed here looks at its ops' progress. */
  readonly pollMs?: number;
  /** How long a run executed here waits while another run of the tenant holds the lease. */
  readonly lockedRetryMs?: number;
}

/** One tenant wired in this process: its runtime (source, platform), the pipeline's dependencies, its op worker. */
export interface TenantHere {
  readonly tenant: TenantConfig;
  readonly runtime: TenantRuntime;
  readonly deps: PipelineDependencies;
  /**
   * Starts the tenant's op worker here, ready when this resolves; on `connection` when given
   * (shared by a role's workers), else on a connection of its own that `close` ends.
   */
  startOpWorker(connection?: RedisConnection): Promise<{ close(): Promise<void> }>;
  /**
   * Executes a recorded run here to its end, waiting its turn while another run of the tenant
   * holds the lease; with the tenant's op worker here for the while, unless one is already running.
   */
  execute(request: RunRequest): Promise<RunRecord>;
  /** Stops the op worker this started and frees the platform connections. */
  close(): Promise<void>;
}

/** The composition root of a tenant's runtime in this process, over `backend`'s stores and queues. */
export function wireTenant(
  backend: Pick<Backend, 'stores' | 'queues' | 'connect'>,
  tenant: TenantConfig,
  logger: Logger,
  options: TenantHereOptions = {},
): TenantHere {
  const runtime = createTenantRuntime(tenant, logger);
  const deps: PipelineDependencies = {
    stores: backend.stores,
    queues: backend.queues,
    runtime,
    logger,
    ...(options.pollMs ? { pollMs: options.pollMs } : {}),
  };
  const running = new Set<{ close(): Promise<void> }>();

  async function startWorkerHere(connection?: RedisConnection): Promise<{ close(): Promise<void> }> {
    const own = connection ? undefined : backend.connect();
    const worker = startOpWorker({ connection: connection ?? own!, stores: backend.stores, runtime, logger });
    const handle = {
      async close() {
        running.delete(handle);
        await worker.close();
        own?.disconnect();
      },
    };
    running.add(handle);
    await worker.waitUntilReady();
    return handle;
  }

  return {
    tenant,
    runtime,
    deps,
    startOpWorker: startWorkerHere,
    async execute(request) {
      const worker = running.size === 0 ? await startWorkerHere() : undefined;
      try {
        for (;;) {
          const finished = await executeIfUnlocked(request, deps);
          if (finished) return finished;
          await new Promise((wake) => setTimeout(wake, options.lockedRetryMs ?? LOCKED_RETRY_MS));
        }
      } finally {
        await worker?.close();
      }
    },
    async close() {
      await Promise.all([...running].map((worker) => worker.close()));
      runtime.close();
    },
  };
}
