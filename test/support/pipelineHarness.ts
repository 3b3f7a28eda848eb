import { randomBytes } from 'node:crypto';
import { type Config, parseConfig, type TenantConfig } from '../../src/config/load.js';
import type { RunMode, RunRecord } from '../../src/model/run.js';
import { silentLogger } from '../../src/observability/logger.js';
import type { PipelineDependencies } from '../../src/runs/pipeline/context.js';
import type { RedisStores } from '../../src/runs/redis/stores.js';
import { recordRun, requestOf } from '../../src/runs/requestRun.js';
import type { TenantRuntime } from '../../src/runs/runtime.js';
import { type Backend, openBackend, type TenantHere, wireTenant } from '../../src/service/compositionRoot.js';
import type { RedisTarget } from '../../src/service/redis.js';

/**
 * Runs the real pipeline in this process against the suite's Redis: a tenant from YAML (as an
 * operator writes it), wired by the composition root with its op worker here, and `run()` to
 * execute one run to its end.
 */
export interface PipelineHarness {
  readonly tenant: TenantConfig;
  readonly config: Config;
  readonly runtime: TenantRuntime;
  readonly stores: RedisStores;
  readonly backend: Backend;
  readonly here: TenantHere;
  /** What the pipeline is given for this tenant, for what `run()` does not drive itself. */
  readonly deps: PipelineDependencies;
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
  redis: RedisTarget = { url: process.env.REDIS_URL! },
): Promise<PipelineHarness> {
  const id = `t-${randomBytes(4).toString('hex')}`;
  const text = `tenants:\n  - id: ${id}\n${tenantYaml.replace(/^/gm, '    ')}\n`;
  const config = parseConfig(text, process.cwd(), { env: { ...process.env, ...env } });
  const tenant = config.tenants[0]!;
  const backend = await openBackend(redis);
  const here = wireTenant(backend, tenant, silentLogger(), { pollMs: 50, lockedRetryMs: 50 });
  await here.startOpWorker();
  return {
    tenant,
    config,
    runtime: here.runtime,
    stores: backend.stores,
    backend,
    here,
    deps: here.deps,
    async run(mode, options = {}) {
      const record = await recordRun(backend.stores, {
        tenant: id,
        mode,
        dryRun: options.dryRun ?? false,
        trigger: 'cli',
      });
      return here.execute(requestOf(record));
    },
    async close() {
      await here.close();
      await backend.close();
    },
  };
}
