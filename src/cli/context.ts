import type { Redis } from 'ioredis';
import { type Config, findTenant, loadConfigFile, type TenantConfig } from '../config/load.js';
import type { RunRecord } from '../model/run.js';
import type { Logger } from '../observability/logger.js';
import { startOpWorker } from '../queue/opWorker.js';
import { QueueSet } from '../queue/queues.js';
import { type RunOrder, recordRun, requestOf } from '../runs/requestRun.js';
import { createStores, createTenantRuntime, type Stores, type TenantRuntime } from '../runs/runtime.js';
import { executeHere } from '../service/executeHere.js';
import { connectRedis } from '../service/redis.js';
import { UsageError } from './errors.js';

/** Options every command takes (README, "CLI"). */
export interface GlobalOptions {
  readonly config?: string;
  readonly json?: boolean;
}

export function configPath(options: GlobalOptions): string {
  return options.config ?? process.env.DIRSYNC_CONFIG ?? 'config/dirsync.yaml';
}

export function loadConfig(options: GlobalOptions): Config {
  return loadConfigFile(configPath(options));
}

export function requireTenant(config: Config, tenantId: string): TenantConfig {
  const tenant = findTenant(config, tenantId);
  if (!tenant) {
    const known = config.tenants.map((entry) => entry.id).join(', ') || 'none';
    throw new UsageError(`unknown tenant "${tenantId}" (configured: ${known})`);
  }
  return tenant;
}

/** A connection to Redis with the stores and queues, for commands that talk to a deployment. */
export interface Backend {
  readonly redis: Redis;
  readonly stores: Stores;
  readonly queues: QueueSet;
  close(): Promise<void>;
}

export function redisUrl(config: Config): string {
  const url = config.redis.url || process.env.REDIS_URL;
  if (!url) throw new UsageError('no Redis configured: set redis.url in the configuration or REDIS_URL');
  return url;
}

export async function openBackend(config: Config): Promise<Backend> {
  const redis = connectRedis(redisUrl(config));
  await redis.ping();
  const queues = new QueueSet(redis);
  return {
    redis,
    stores: createStores(redis),
    queues,
    async close() {
      await queues.close();
      redis.disconnect();
    },
  };
}

/**
 * Runs a tenant's run in this process (`--inline`, `plan`): the same pipeline as the service, with
 * the tenant's op worker here too. Waits its turn when another run of the tenant holds the lock.
 */
export async function runInline(
  backend: Backend,
  config: Config,
  tenant: TenantConfig,
  order: Omit<RunOrder, 'tenant'>,
  logger: Logger,
  onProgress?: (record: RunRecord) => void,
): Promise<RunRecord> {
  const runtime = createTenantRuntime(tenant, logger);
  const workerConnection = connectRedis(redisUrl(config));
  const record = await recordRun(backend.stores, { ...order, tenant: tenant.id });
  const following = followRun(backend, record, onProgress);
  try {
    const finished = await executeHere(requestOf(record), {
      stores: backend.stores,
      queues: backend.queues,
      runtime,
      logger,
      workerConnection,
    });
    // The last reading: a run shorter than one poll shows its end too.
    onProgress?.(finished);
    return finished;
  } finally {
    following.stop();
    runtime.close();
    workerConnection.disconnect();
  }
}

/** Calls `onProgress` with the run record every so often until stopped. */
export function followRun(
  backend: Backend,
  record: Pick<RunRecord, 'tenant' | 'id'>,
  onProgress?: (record: RunRecord) => void,
): { stop(): void } {
  if (!onProgress) return { stop() {} };
  const timer = setInterval(() => {
    void backend.stores.runs.get(record.tenant, record.id).then((current) => current && onProgress(current));
  }, 500);
  return { stop: () => clearInterval(timer) };
}

/** The tenant's op worker in this process, on its own connection (BullMQ workers block on theirs). */
export async function startOpWorkerHere(
  backend: Backend,
  config: Config,
  runtime: TenantRuntime,
  logger: Logger,
): Promise<{ close(): Promise<void> }> {
  const connection = connectRedis(redisUrl(config));
  const worker = startOpWorker({ connection, stores: backend.stores, runtime, logger });
  await worker.waitUntilReady();
  return {
    async close() {
      await worker.close();
      connection.disconnect();
    },
  };
}

/**
 * The common frame of a command about one tenant: the configuration loaded, the tenant known,
 * a connection to the deployment's Redis for `work`, closed afterwards whatever happens.
 */
export async function withTenantBackend<T>(
  options: GlobalOptions,
  tenantId: string,
  work: (context: { config: Config; tenant: TenantConfig; backend: Backend }) => Promise<T>,
): Promise<T> {
  const config = loadConfig(options);
  const tenant = requireTenant(config, tenantId);
  const backend = await openBackend(config);
  try {
    return await work({ config, tenant, backend });
  } finally {
    await backend.close();
  }
}
