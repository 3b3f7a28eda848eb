import { randomBytes } from 'node:crypto';
import type { Worker } from 'bullmq';
import { type Config, parseConfig, type TenantConfig } from '../../src/config/load.js';
import type { RunMode, RunRecord } from '../../src/model/run.js';
import { silentLogger } from '../../src/observability/logger.js';
import { startOpWorker } from '../../src/queue/opWorker.js';
import { QueueSet } from '../../src/queue/queues.js';
import { executeIfUnlocked } from '../../src/runs/lockedRun.js';
import { recordRun, requestOf } from '../../src/runs/requestRun.js';
import {
  createStores,
  createTenantRuntime,
  type Stores,
  type TenantRuntime,
} from '../../src/runs/runtime.js';
import { connectRedis } from '../../src/service/redis.js';

/**
 * Runs the real pipeline in this process against the suite's Redis: a tenant from YAML (as an
 * operator writes it), its op worker, and `run()` to execute one run to its end.
 */
export interface PipelineHarness {
  readonly tenant: TenantConfig;
  readonly config: Config;
  readonly runtime: TenantRuntime;
  readonly stores: Stores;
  run(mode: RunMode, options?: { dryRun?: boolean }): Promise<RunRecord>;
  close(): Promise<void>;
}

/**
 * `tenantYaml` is one tenant entry without its `id` (indented as under `tenants:` list item);
 * each harness gets a fresh tenant id so test files sharing the Redis never meet.
 */
export async function startPipelineHarness(
  tenantYaml: string,
  env: NodeJS.ProcessEnv = {},
): Promise<PipelineHarness> {
  const id = `t-${randomBytes(4).toString('hex')}`;
  const text = `tenants:\n  - id: ${id}\n${tenantYaml.replace(/^/gm, '    ')}\n`;
  const config = parseConfig(text, process.cwd(), { env: { ...process.env, ...env } });
  const tenant = config.tenants[0]!;
  const redis = connectRedis(process.env.REDIS_URL!);
  const workerConnection = connectRedis(process.env.REDIS_URL!);
  const stores = createStores(redis);
  const queues = new QueueSet(redis);
  const logger = silentLogger();
  const runtime = createTenantRuntime(tenant, logger);
  const worker: Worker = startOpWorker({ connection: workerConnection, stores, runtime, logger });
  await worker.waitUntilReady();
  return {
    tenant,
    config,
    runtime,
    stores,
    async run(mode, options = {}) {
      const record = await recordRun(stores, {
        tenant: id,
        mode,
        dryRun: options.dryRun ?? false,
        trigger: 'cli',
      });
      for (;;) {
        const finished = await executeIfUnlocked(requestOf(record), {
          stores,
          queues,
          runtime,
          logger,
          pollMs: 50,
        });
        if (finished) return finished;
        await new Promise((wake) => setTimeout(wake, 100));
      }
    },
    async close() {
      await worker.close();
      runtime.close();
      await queues.close();
      workerConnection.disconnect();
      redis.disconnect();
    },
  };
}
