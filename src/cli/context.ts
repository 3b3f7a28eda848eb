import { type Config, findTenant, loadConfigFile, type TenantConfig } from '../config/load.js';
import type { RunRecord } from '../model/run.js';
import type { Logger } from '../observability/logger.js';
import { type RunOrder, recordRun, requestOf } from '../runs/requestRun.js';
import { type Backend, openBackend, type TenantHere, wireTenant } from '../service/compositionRoot.js';
import type { RedisTarget } from '../service/redis.js';
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

/** The configuration's Redis (one server or a cluster), else the one REDIS_URL names. */
export function redisTarget(config: Config): RedisTarget {
  if (config.redis.cluster) return { cluster: config.redis.cluster };
  const url = config.redis.url || process.env.REDIS_URL;
  if (!url)
    throw new UsageError(
      'no Redis configured: set redis.url or redis.cluster in the configuration, or REDIS_URL',
    );
  return { url };
}

/** A connection to the deployment's Redis with the stores and queues, for commands that talk to it. */
export function connectBackend(config: Config): Promise<Backend> {
  return openBackend(redisTarget(config));
}

/**
 * Runs a tenant's run in this process (`--inline`, `plan`): the same pipeline as the service, with
 * the tenant's op worker here too. Waits its turn when another run of the tenant holds the lock.
 */
export async function runInline(
  backend: Backend,
  here: TenantHere,
  order: Omit<RunOrder, 'tenant'>,
  onProgress?: (record: RunRecord) => void,
): Promise<RunRecord> {
  const record = await recordRun(backend.stores, { ...order, tenant: here.tenant.id });
  const following = followRun(backend, record, onProgress);
  try {
    const finished = await here.execute(requestOf(record));
    // The last reading: a run shorter than one poll shows its end too.
    onProgress?.(finished);
    return finished;
  } finally {
    following.stop();
  }
}

/** Wires the tenant in this process (see `wireTenant`) for `work`, and unwires it afterwards. */
export async function withTenantHere<T>(
  backend: Backend,
  tenant: TenantConfig,
  logger: Logger,
  work: (here: TenantHere) => Promise<T>,
): Promise<T> {
  const here = wireTenant(backend, tenant, logger);
  try {
    return await work(here);
  } finally {
    await here.close();
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
  const backend = await connectBackend(config);
  try {
    return await work({ config, tenant, backend });
  } finally {
    await backend.close();
  }
}
