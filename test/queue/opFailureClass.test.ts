import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Op } from '../../src/model/plan.js';
import { silentLogger } from '../../src/observability/logger.js';
import { applyBatch } from '../../src/queue/opWorker/applyBatch.js';
import type { DecodedBatch } from '../../src/queue/opWorker/decodeBatch.js';
import { recordOutcomes } from '../../src/queue/opWorker/recordOutcomes.js';
import { recordRun } from '../../src/runs/requestRun.js';
import { ConcurrencyLimiter } from '../../src/util/concurrencyLimiter.js';
import { type PipelineHarness, startPipelineHarness } from '../support/pipelineHarness.js';
import { startTestPlatform, type TestPlatform } from '../support/testPlatform.js';

const TOKEN = 'scim-token-op-classes-5c2e';

/**
 * The op worker's two steps for one batch, over the suite's Redis and the SCIM emulator: what an
 * op that fails for good leaves in its run's failures, class included.
 */
describe('an op that fails for good', () => {
  let platform: TestPlatform;
  let harness: PipelineHarness;

  beforeAll(async () => {
    platform = await startTestPlatform('emulator', { token: TOKEN });
    const directoryFile = join(mkdtempSync(join(tmpdir(), 'dirsync-op-classes-')), 'directory.json');
    writeFileSync(directoryFile, JSON.stringify({ users: [] }));
    harness = await startPipelineHarness(
      [
        `source: { type: file, path: "${directoryFile}" }`,
        `target: { url: "${platform.url}", token: "env:SCIM_TOKEN", maxRequestsPerSecond: 10000 }`,
      ].join('\n'),
      { SCIM_TOKEN: TOKEN },
    );
  });
  afterAll(async () => {
    await harness?.close();
    await platform?.close();
  });

  async function applyAndRecord(op: Op, attempt: number) {
    const tenant = harness.tenant.id;
    const run = await recordRun(harness.stores, { tenant, mode: 'full', trigger: 'cli' });
    const batch: DecodedBatch = {
      tenant,
      runId: run.id,
      attempt,
      ops: [op],
      opIds: [`${run.id}:0`],
      reread: attempt > 0,
      recordedKey: `dirsync-test:recorded:${run.id}`,
      priority: undefined,
    };
    const applied = await applyBatch(batch, {
      stores: harness.stores,
      runtime: harness.runtime,
      platformSlots: new ConcurrencyLimiter(4),
    });
    await recordOutcomes(harness.stores, batch, applied, silentLogger());
    return { outcomes: applied.outcomes, record: (await harness.stores.runs.get(tenant, run.id))! };
  }

  it('records a create refused for an identity another externalId holds as a conflict, and does not retry it', async () => {
    // A platform user of another system took the userName after the plan was made.
    await platform.seedUser({ userName: 'ada@example.com', externalId: 'hr-system-ada', active: true });
    const create: Op = {
      kind: 'createUser',
      externalId: 'u-ada',
      active: true,
      attributes: { userName: 'ada@example.com' },
    };
    const { outcomes, record } = await applyAndRecord(create, 0);
    expect(outcomes[0]).toMatchObject({ ended: 'failure', failure: { class: 'conflict' } });
    expect(record.failures).toEqual([
      {
        objectType: 'user',
        externalId: 'u-ada',
        op: 'createUser',
        reason: expect.stringContaining('held by a platform user with another externalId'),
        failureClass: { class: 'conflict' },
      },
    ]);
    expect(record.counts.createUser).toMatchObject({ failed: 1 });
  });

  it('recreates an object an update finds gone from the platform (not found), instead of failing it', async () => {
    const update: Op = {
      kind: 'updateUser',
      externalId: 'u-bo',
      targetId: 'deleted-on-the-platform',
      active: true,
      attributes: { userName: 'bo@example.com', title: 'Engineer' },
      changes: [{ path: 'title', from: 'Intern', to: 'Engineer' }],
    };
    const { outcomes, record } = await applyAndRecord(update, 0);
    expect(outcomes[0]).toMatchObject({
      ended: 'success',
      result: { note: 'recreated: the platform object had been deleted' },
    });
    expect(record.failures).toEqual([]);
    const resources = await platform.resources();
    expect(resources.users).toContainEqual(
      expect.objectContaining({ externalId: 'u-bo', userName: 'bo@example.com', title: 'Engineer' }),
    );
  });
});
