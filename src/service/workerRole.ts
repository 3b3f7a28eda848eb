import type { Config } from '../config/load.js';
import type { Logger } from '../observability/logger.js';
import type { RunJobData } from '../queue/jobs.js';
import type { QueueSet } from '../queue/queues.js';
import { startReconcileWorker } from '../queue/reconcileWorker.js';
import type { RedisConnection } from '../runs/redis/connection.js';
import type { RedisStores } from '../runs/redis/stores.js';
import { mapWithConcurrency } from '../util/mapWithConcurrency.js';
import { type Backend, wireTenant } from './compositionRoot.js';
import { startOpWorkerWatchdog } from './opWorkerWatchdog.js';
import type { Role } from './role.js';
import { tallyRun } from './runTally.js';
import { settleFollowUp } from './runTrigger.js';
import { startSweep } from './sweep.js';

/**
 * Op workers connecting at once. Each opens a blocking connection of its own (to the nodes it
 * needs, on a cluster): four workers of a thousand tenants each, every op worker connecting at
 * once on a busy two-core host, took nine minutes to start; sixteen at a time, two.
 */
const OP_WORKERS_CONNECTING = 16;

export interface WorkerRoleOptions {
  readonly config: Config;
  readonly stores: RedisStores;
  readonly queues: QueueSet;
  /** Where each tenant is wired (see `wireTenant`): the same stores and queues. */
  readonly backend: Backend;
  /** For the BullMQ workers, which block on Redis. */
  readonly connection: RedisConnection;
  readonly logger: Logger;
  readonly concurrency?: number;
  /** How often the op queues are looked at for a stalled op worker (see opWorkerWatchdog.ts). */
  readonly watchdogIntervalMs?: number;
}

/**
 * Executes runs and applies ops: the reconcile worker (runs of every tenant) and one op worker
 * per tenant. When a run ends here it is tallied for /metrics and its tenant's follow-up run,
 * if one waits, is queued.
 */
export async function startWorkerRole(options: WorkerRoleOptions): Promise<Role> {
  const { config, stores, queues, logger } = options;
  const tenants = config.tenants.map((tenant) => wireTenant(options.backend, tenant, logger));
  const runtimes = new Map(tenants.map((here) => [here.tenant.id, here.runtime]));
  const reconcile = startReconcileWorker({
    connection: options.connection,
    stores,
    queues,
    runtimes,
    logger,
    ...(options.concurrency ? { concurrency: options.concurrency } : {}),
  });
  const afterRun = (job: { data: RunJobData } | undefined) => {
    if (!job) return;
    void runEnded(options, job.data).catch((error: unknown) =>
      logger.warn(
        { tenant: job.data.tenant, reason: (error as Error).message },
        'could not settle after a run',
      ),
    );
  };
  reconcile.on('completed', afterRun);
  reconcile.on('failed', afterRun);
  const started = await Promise.all([
    mapWithConcurrency(tenants, OP_WORKERS_CONNECTING, async (here) => {
      return [here.tenant.id, await here.startOpWorker(options.connection)] as const;
    }),
    reconcile.waitUntilReady(),
  ]);
  const opWorkers = new Map(started[0]);
  const watchdog = startOpWorkerWatchdog({
    tenants: tenants.map((here) => here.tenant.id),
    connection: options.connection,
    logger,
    ...(options.watchdogIntervalMs ? { intervalMs: options.watchdogIntervalMs } : {}),
    restart: async (tenant) => {
      const here = tenants.find((candidate) => candidate.tenant.id === tenant);
      if (!here) return;
      const stalled = opWorkers.get(tenant);
      opWorkers.set(tenant, await here.startOpWorker(options.connection));
      // Not awaited: a worker whose blocking connection wedged may never finish closing.
      void stalled
        ?.close()
        .catch((error: unknown) =>
          logger.warn({ tenant, reason: (error as Error).message }, 'a stalled op worker did not close'),
        );
    },
  });
  const sweep = startSweep(config, (tenant) => settleFollowUp({ stores, queues }, tenant), logger);
  logger.info({ role: 'worker', tenants: [...runtimes.keys()] }, 'worker role started');
  return {
    name: 'worker',
    async stop() {
      sweep.stop();
      await watchdog.stop();
      // close() stops taking jobs and waits for the ones in hand to finish.
      await Promise.all([reconcile.close(), ...[...opWorkers.values()].map((worker) => worker.close())]);
    },
  };
}

async function runEnded(options: WorkerRoleOptions, data: RunJobData): Promise<void> {
  const record = await options.stores.runs.get(data.tenant, data.runId);
  if (record) await tallyRun(options.stores.redis, record);
  await settleFollowUp({ stores: options.stores, queues: options.queues }, data.tenant);
}
