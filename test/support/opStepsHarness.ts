import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Op } from '../../src/model/plan.js';
import { silentLogger } from '../../src/observability/logger.js';
import { type AppliedBatch, applyBatch } from '../../src/queue/opWorker/applyBatch.js';
import type { DecodedBatch } from '../../src/queue/opWorker/decodeBatch.js';
import { recordOutcomes } from '../../src/queue/opWorker/recordOutcomes.js';
import { recordRun } from '../../src/runs/requestRun.js';
import { ConcurrencyLimiter } from '../../src/util/concurrencyLimiter.js';
import { type PipelineHarness, startPipelineHarness } from './pipelineHarness.js';
import { startTestPlatform, type TestPlatform } from './testPlatform.js';

/**
 * The op worker's apply and record steps for one batch, over the suite's Redis and the SCIM
 * emulator, with an empty file tenant: for tests of what an applied op leaves behind.
 */
export interface OpStepsHarness {
  readonly platform: TestPlatform;
  readonly pipeline: PipelineHarness;
  /** Applies the ops as one batch (of attempt `attempt`) of a new run, records its outcomes, and names the run. */
  applyAndRecord(ops: readonly Op[], attempt?: number): Promise<{ runId: string; applied: AppliedBatch }>;
  close(): Promise<void>;
}

export async function startOpStepsHarness(token: string): Promise<OpStepsHarness> {
  const platform = await startTestPlatform('emulator', { token });
  const directoryFile = join(mkdtempSync(join(tmpdir(), 'dirsync-op-steps-')), 'directory.json');
  writeFileSync(directoryFile, JSON.stringify({ users: [] }));
  const pipeline = await startPipelineHarness(
    [
      `source: { type: file, path: "${directoryFile}" }`,
      `target: { url: "${platform.url}", token: "env:SCIM_TOKEN", maxRequestsPerSecond: 10000 }`,
    ].join('\n'),
    { SCIM_TOKEN: token },
  );
  return {
    platform,
    pipeline,
    async applyAndRecord(ops, attempt = 0) {
      const tenant = pipeline.tenant.id;
      const run = await recordRun(pipeline.stores, { tenant, mode: 'full', trigger: 'cli' });
      const batch: DecodedBatch = {
        tenant,
        runId: run.id,
        attempt,
        ops: [...ops],
        opIds: ops.map((_op, index) => `${run.id}:${index}`),
        reread: attempt > 0,
        recordedKey: `dirsync-test:recorded:${run.id}`,
        priority: undefined,
      };
      const applied = await applyBatch(batch, {
        stores: pipeline.stores,
        runtime: pipeline.runtime,
        platformSlots: new ConcurrencyLimiter(4),
      });
      await recordOutcomes(pipeline.stores, batch, applied, silentLogger());
      return { runId: run.id, applied };
    },
    async close() {
      await pipeline.close();
      await platform.close();
    },
  };
}
