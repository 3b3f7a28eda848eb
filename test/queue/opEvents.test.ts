import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Op } from '../../src/model/plan.js';
import { MEMBERS_LISTED, type ProvisioningEvent } from '../../src/model/run.js';
import { type OpStepsHarness, startOpStepsHarness } from '../support/opStepsHarness.js';
import type { PipelineHarness } from '../support/pipelineHarness.js';
import type { TestPlatform } from '../support/testPlatform.js';

const TOKEN = 'scim-token-op-events-8d1f';

/**
 * The op worker's two steps for one batch, over the suite's Redis and the SCIM emulator: what the
 * provisioning log keeps of an applied op, which the console's run diff shows.
 */
describe('the provisioning event of an applied op', () => {
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

  /** Applies the ops as one batch of a new run and answers the run's events. */
  async function applyAndRecord(...ops: Op[]): Promise<ProvisioningEvent[]> {
    const { runId } = await steps.applyAndRecord(ops);
    return (await harness.stores.events.read(harness.tenant.id, { runId })).events;
  }

  async function seedUsers(prefix: string, count: number): Promise<string[]> {
    const externalIds = Array.from({ length: count }, (_, index) => `${prefix}-${index}`);
    for (const externalId of externalIds) {
      await platform.seedUser({ userName: `${externalId}@example.com`, externalId, active: true });
    }
    return externalIds;
  }

  it('lists the attributes a create set, but never the value of a password', async () => {
    const [event] = await applyAndRecord({
      kind: 'createUser',
      externalId: 'u-ada',
      active: true,
      attributes: { userName: 'ada@example.com', title: 'Engineer', password: 'hunter2-secret' },
    });
    expect(event).toMatchObject({ op: 'createUser', outcome: 'success', subject: 'ada@example.com' });
    expect(event?.changes).toEqual([
      { path: 'userName', to: 'ada@example.com' },
      { path: 'title', to: 'Engineer' },
    ]);
    expect(JSON.stringify(event)).not.toContain('hunter2-secret');
  });

  it("lists a new group's name and the members it was created with", async () => {
    const members = await seedUsers('u-new-group', 3);
    const [event] = await applyAndRecord({
      kind: 'createGroup',
      externalId: 'g-new',
      displayName: 'Engineering',
      memberExternalIds: members,
    });
    expect(event?.changes).toEqual([{ path: 'displayName', to: 'Engineering' }]);
    expect(event?.members).toEqual({ added: members, removed: [] });
  });

  it('lists the member ids an op added and removed, the first 50 with a count of the rest', async () => {
    const members = await seedUsers('u-many', MEMBERS_LISTED + 10);
    const [created] = await applyAndRecord({
      kind: 'createGroup',
      externalId: 'g-many',
      displayName: 'Everyone',
      memberExternalIds: [],
    });
    const [added] = await applyAndRecord({
      kind: 'addMembers',
      externalId: 'g-many',
      targetId: created!.targetId!,
      memberExternalIds: members,
    });
    expect(added?.members?.added).toHaveLength(MEMBERS_LISTED);
    expect(members).toEqual(expect.arrayContaining([...(added?.members?.added ?? [])]));
    expect(added?.members).toMatchObject({ removed: [], more: 10 });
    const group = (await platform.resources()).groups.find((found) => found.externalId === 'g-many');
    expect(group?.members).toHaveLength(MEMBERS_LISTED + 10);

    const [removed] = await applyAndRecord({
      kind: 'removeMembers',
      externalId: 'g-many',
      targetId: created!.targetId!,
      memberExternalIds: members.slice(0, 2),
    });
    expect(removed?.members).toEqual({ added: [], removed: members.slice(0, 2) });
  });

  it("names a membership change after its group, so the log is searched by the group's name", async () => {
    const members = await seedUsers('u-named', 1);
    const [created] = await applyAndRecord({
      kind: 'createGroup',
      externalId: 'g-named',
      displayName: 'Support team 5',
      memberExternalIds: [],
    });
    const targetId = created!.targetId!;
    const [added] = await applyAndRecord({
      kind: 'addMembers',
      externalId: 'g-named',
      displayName: 'Support team 5',
      targetId,
      memberExternalIds: members,
    });
    expect(added).toMatchObject({ op: 'addMembers', subject: 'Support team 5', outcome: 'success' });
    // Ops planned before membership ops carried the name are still applied, unnamed.
    const [removed] = await applyAndRecord({
      kind: 'removeMembers',
      externalId: 'g-named',
      targetId,
      memberExternalIds: members,
    });
    expect(removed).toMatchObject({ op: 'removeMembers', outcome: 'success' });
    expect(removed?.subject).toBeUndefined();
  });
});
