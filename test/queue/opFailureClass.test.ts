import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Op } from '../../src/model/plan.js';
import { type OpStepsHarness, startOpStepsHarness } from '../support/opStepsHarness.js';
import type { PipelineHarness } from '../support/pipelineHarness.js';
import type { TestPlatform } from '../support/testPlatform.js';

const TOKEN = 'scim-token-op-classes-5c2e';

/**
 * The op worker's two steps for one batch, over the suite's Redis and the SCIM emulator: what an
 * op that fails for good leaves in its run's failures, class included.
 */
describe('an op that fails for good', () => {
  let steps: OpStepsHarness;
  let platform: TestPlatform;
  let harness: PipelineHarness;

  beforeAll(async () => {
    steps = await startOpStepsHarness(TOKEN);
    ({ platform, pipeline: harness } = steps);
  });
  afterAll(async () => {
    await steps?.close();
  });

  async function applyAndRecord(op: Op, attempt: number) {
    const { runId, applied } = await steps.applyAndRecord([op], attempt);
    return { outcomes: applied.outcomes, record: (await harness.stores.runs.get(harness.tenant.id, runId))! };
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
