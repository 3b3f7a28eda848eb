import { describe, expect, test } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import type { DirectoryChanges, DirectorySnapshot, DirectoryUser } from '../../src/model/directory.js';
import type { Op } from '../../src/model/plan.js';
import type { GroupQuery, Platform, UserQuery } from '../../src/model/platform.js';
import type { RunRecord, RunRequest } from '../../src/model/run.js';
import type { PlatformGroup, PlatformUser } from '../../src/model/scim.js';
import type { Source } from '../../src/model/source.js';
import { silentLogger } from '../../src/observability/logger.js';
import { executeIfUnlocked } from '../../src/runs/lockedRun.js';
import type { PipelineDependencies } from '../../src/runs/pipeline/context.js';
import { executeRun } from '../../src/runs/pipeline.js';
import type { Stores } from '../../src/runs/ports.js';
import { provisionOnDemand } from '../../src/runs/provision.js';
import { recordRun, requestOf } from '../../src/runs/requestRun.js';
import type { OpBatch, RunQueues } from '../../src/runs/runQueues.js';
import { engineSettingsFor, type TenantRuntime } from '../../src/runs/runtime.js';
import { type MemoryStores, memoryStores } from '../support/memoryStores.js';

/**
 * The pipeline alone, over the in-memory stores: what a run decides, enqueues, records and
 * commits. Each enqueued op ends at once, as if a worker had applied it: succeeded, or failed
 * for an object named in `failing`, with its provisioning-log event either way.
 */
class ApplyingQueues implements RunQueues {
  readonly batches: OpBatch[] = [];
  readonly priorities: number[] = [];
  readonly failing = new Set<string>();
  /** Called as each enqueue arrives, before its ops end. */
  onEnqueue: () => void = () => {};

  constructor(private readonly stores: Stores) {}

  async enqueueRun(): Promise<void> {}

  async enqueueOpBatches(tenant: string, batches: readonly OpBatch[], priority: number): Promise<void> {
    this.batches.push(...batches);
    this.priorities.push(priority);
    this.onEnqueue();
    setImmediate(() => void this.#succeed(tenant, batches));
  }

  ops(): Op[] {
    return this.batches.flatMap((batch) => batch.ops);
  }

  async #succeed(tenant: string, batches: readonly OpBatch[]): Promise<void> {
    for (const batch of batches) {
      const writes = this.stores.batch();
      for (const op of batch.ops) {
        const failed = this.failing.has(op.externalId);
        await this.stores.runs.countOutcome(
          tenant,
          batch.runId,
          op.kind,
          failed ? 'failed' : 'succeeded',
          writes,
        );
        if (failed) {
          const failure = {
            objectType: 'user' as const,
            externalId: op.externalId,
            op: op.kind,
            reason: 'refused by the platform',
          };
          await this.stores.runs.addFailure(tenant, batch.runId, failure, writes);
        }
        await this.stores.events.append(
          tenant,
          {
            runId: batch.runId,
            at: new Date().toISOString(),
            objectType: op.kind.endsWith('User') ? 'user' : 'group',
            externalId: op.externalId,
            op: op.kind,
            ...(failed ? { outcome: 'failure', reason: 'refused by the platform' } : { outcome: 'success' }),
          },
          writes,
        );
      }
      await this.stores.pendingOps.end(tenant, batch.opIds, writes);
      await writes.exec();
    }
    this.stores.progress.recorded(tenant);
  }
}

/** A platform that answers reads from what it holds and counts whole reads; the pipeline never writes to it. */
class ReadOnlyPlatform {
  users: PlatformUser[] = [];
  groups: PlatformGroup[] = [];
  wholeReads = 0;

  asPort(): Platform {
    const refuse = () => Promise.reject(new Error('the pipeline writes through the op queue only'));
    return {
      capabilities: async () => ({ patch: true, filter: true, sort: false, etag: false, bulk: false }),
      listUsers: async () => {
        this.wholeReads++;
        return this.users;
      },
      listGroups: async () => this.groups,
      findUsers: async (query: UserQuery) =>
        this.users.filter((user) => query.externalIds?.includes(user.externalId ?? '')),
      findGroups: async (query: GroupQuery) =>
        this.groups.filter((group) => query.externalIds?.includes(group.externalId ?? '')),
      getUser: async () => undefined,
      getGroup: async () => undefined,
      createUser: refuse,
      patchUser: refuse,
      deleteUser: refuse,
      createGroup: refuse,
      patchGroup: refuse,
      addMembers: refuse,
      removeMembers: refuse,
      deleteGroup: refuse,
    };
  }
}

const NO_CHANGES: DirectoryChanges = {
  upsertedUsers: [],
  removedUsers: [],
  upsertedGroups: [],
  removedGroupIds: [],
  membershipsAdded: [],
  membershipsRemoved: [],
};

function user(id: string): DirectoryUser {
  return { id, active: true, attributes: { userName: `${id}@example.com`, givenName: id } };
}

interface World {
  readonly stores: MemoryStores;
  readonly queues: ApplyingQueues;
  readonly platform: ReadOnlyPlatform;
  snapshot: DirectorySnapshot;
  /** What the next incremental read answers; absent: the source has no change feed. */
  changes?: DirectoryChanges;
  run(mode: 'full' | 'incremental'): Promise<RunRecord>;
  execute(request: RunRequest): Promise<RunRecord>;
  provision(users: readonly string[]): ReturnType<typeof provisionOnDemand>;
  /** Executes a recorded run under the tenant's lease, as a worker does. */
  executeLocked(request: RunRequest): Promise<RunRecord | undefined>;
}

function world(safety = '{}'): World {
  const tenant = parseConfig(
    [
      'tenants:',
      '  - id: unit',
      '    source: { type: file, path: ./unused.json }',
      '    target: { url: "https://platform.invalid/scim/v2", token: "env:SCIM_TOKEN" }',
      `    safety: ${safety}`,
    ].join('\n'),
    process.cwd(),
    { env: { SCIM_TOKEN: 'unused' } },
  ).tenants[0]!;
  const stores = memoryStores();
  const queues = new ApplyingQueues(stores);
  const platform = new ReadOnlyPlatform();
  let reads = 0;
  const state: World = {
    stores,
    queues,
    platform,
    snapshot: { users: [], groups: [] },
    async run(mode) {
      const record = await recordRun(stores, { tenant: 'unit', mode, trigger: 'cli' });
      return state.execute(requestOf(record));
    },
    execute: (request) => executeRun(request, deps),
    executeLocked: (request) => executeIfUnlocked(request, deps),
    provision: (users) =>
      provisionOnDemand(
        { users, groups: [] },
        { ...deps, requestFollowUp: () => Promise.reject(new Error('no follow-up run expected')) },
      ),
  };
  const source = (): Source => ({
    readFull: async () => ({ snapshot: state.snapshot, cursor: `c${++reads}` }),
    ...(state.changes
      ? { readChanges: async () => ({ changes: state.changes ?? NO_CHANGES, cursor: `c${++reads}` }) }
      : {}),
    lookup: async ({ users }) => {
      const found = state.snapshot.users.filter((entry) =>
        users.some((reference) => reference === entry.id || reference === entry.attributes.userName),
      );
      const resolved = Object.fromEntries(
        users.flatMap((reference) => {
          const match = found.find(
            (entry) => reference === entry.id || reference === entry.attributes.userName,
          );
          return match ? [[reference, match.id]] : [];
        }),
      );
      return { snapshot: { users: found, groups: [] }, resolved };
    },
    suggest: async () => [],
    testConnection: async () => [],
  });
  const settings = engineSettingsFor(tenant);
  const runtime: TenantRuntime = {
    config: tenant,
    settings,
    mappedPaths: Object.keys(settings.userMapping),
    source: async () => source(),
    platform: () => platform.asPort(),
    close: () => {},
  };
  const deps: PipelineDependencies = { stores, queues, runtime, logger: silentLogger(), pollMs: 5 };
  return state;
}

describe('the run pipeline over in-memory stores', () => {
  test('a full run creates users before groups, records every op and commits the source checkpoint', async () => {
    const unit = world();
    unit.snapshot = {
      users: [user('u1'), user('u2'), user('u3')],
      groups: [{ id: 'g1', displayName: 'Sales', attributes: {}, memberIds: ['u1', 'u2'] }],
    };

    const run = await unit.run('full');

    expect(run).toMatchObject({ status: 'succeeded', mode: 'full', source: { users: 3, groups: 1 } });
    expect(run.counts.createUser).toEqual({ planned: 3, succeeded: 3, failed: 0 });
    expect(run.counts.createGroup).toEqual({ planned: 1, succeeded: 1, failed: 0 });
    expect(unit.queues.ops().map((op) => op.kind)).toEqual([
      'createUser',
      'createUser',
      'createUser',
      'createGroup',
    ]);
    expect(Object.keys(run.phaseMs ?? {}).sort()).toEqual(['groups', 'import', 'plan', 'users']);
    const checkpoint = await unit.stores.state.checkpoint('unit');
    expect(checkpoint?.cursor).toBe('c1');
    expect(checkpoint?.snapshot.users.map((entry) => entry.id)).toEqual(['u1', 'u2', 'u3']);
  });

  test('a run over the deactivation limit is held with nothing sent, and applies its held plan once approved', async () => {
    const unit = world('{ maxDeactivations: 1 }');
    unit.platform.users = ['o1', 'o2', 'o3'].map((id) => ({
      id: `p-${id}`,
      externalId: id,
      active: true,
      attributes: { userName: `${id}@example.com` },
    }));
    for (const id of ['o1', 'o2', 'o3']) await unit.stores.state.own('unit', 'user', id, `p-${id}`);
    unit.snapshot = { users: [user('u1')], groups: [] };

    const held = await unit.run('full');

    expect(held.status).toBe('held');
    expect(held.heldReason).toBeTruthy();
    expect(unit.queues.batches).toEqual([]);
    expect(await unit.stores.state.checkpoint('unit')).toBeUndefined();

    const applied = await unit.execute({ ...requestOf(held), trigger: 'approve' });

    expect(applied.status).toBe('succeeded');
    expect(applied.counts.deactivateUser?.succeeded).toBe(3);
    expect(applied.counts.createUser?.succeeded).toBe(1);
    expect((await unit.stores.state.checkpoint('unit'))?.snapshot.users.map((entry) => entry.id)).toEqual([
      'u1',
    ]);
  });

  test('approving a held plan that expired applies nothing and says so', async () => {
    const unit = world();
    const record = await recordRun(unit.stores, { tenant: 'unit', mode: 'full', trigger: 'cli' });

    const run = await unit.execute({ ...requestOf(record), trigger: 'approve' });

    expect(run.status).toBe('expired');
    expect(run.error).toContain('expired before it was approved');
    expect(unit.queues.batches).toEqual([]);
  });

  test('an incremental run plans only what changed, without reading the whole platform, and moves the cursor', async () => {
    const unit = world();
    unit.changes = NO_CHANGES;
    unit.snapshot = { users: [user('u1'), user('u2')], groups: [] };
    await unit.run('full');
    unit.queues.batches.length = 0;
    const wholeReads = unit.platform.wholeReads;
    unit.changes = { ...NO_CHANGES, upsertedUsers: [user('u3')] };

    const run = await unit.run('incremental');

    expect(run).toMatchObject({ status: 'succeeded', mode: 'incremental' });
    expect(run.fallbackReason).toBeUndefined();
    // The platform never got u1 and u2 (nothing applies ops here): a full plan would create them again.
    expect(unit.queues.ops().map((op) => [op.kind, op.externalId])).toEqual([['createUser', 'u3']]);
    expect(unit.platform.wholeReads).toBe(wholeReads);
    const checkpoint = await unit.stores.state.checkpoint('unit');
    expect(checkpoint?.cursor).toBe('c2');
    expect(checkpoint?.snapshot.users.map((entry) => entry.id).sort()).toEqual(['u1', 'u2', 'u3']);
  });

  test('an incremental run of a source without a change feed is a full run that says why', async () => {
    const unit = world();
    unit.snapshot = { users: [user('u1')], groups: [] };

    const run = await unit.run('incremental');

    expect(run).toMatchObject({
      status: 'succeeded',
      requestedMode: 'incremental',
      mode: 'full',
      fallbackReason: 'this source has no change feed',
    });
  });

  test('a run whose lease another holder takes stops at its next step, failed, and commits no checkpoint', async () => {
    const unit = world();
    unit.snapshot = {
      users: [user('u1')],
      groups: [{ id: 'g1', displayName: 'Sales', attributes: {}, memberIds: [] }],
    };
    unit.queues.onEnqueue = () => unit.stores.lock.take('unit', 'another-run');
    const record = await recordRun(unit.stores, { tenant: 'unit', mode: 'full', trigger: 'cli' });

    const run = await unit.executeLocked(requestOf(record));

    expect(run?.status).toBe('failed');
    expect(run?.error).toContain('lease lost');
    expect(unit.queues.ops().map((op) => op.kind)).toEqual(['createUser']);
    expect(await unit.stores.state.checkpoint('unit')).toBeUndefined();
    expect(await unit.executeLocked(requestOf(record))).toBeUndefined();
  });

  test('provision on demand applies the named users ahead of scheduled work and traces each one to its outcome', async () => {
    const unit = world();
    unit.snapshot = { users: [user('u1'), user('u2'), user('u3')], groups: [] };
    unit.queues.failing.add('u2');

    const answer = await unit.provision(['u1@example.com', 'u2', 'nobody']);

    expect(unit.queues.ops().map((op) => [op.kind, op.externalId])).toEqual([
      ['createUser', 'u1'],
      ['createUser', 'u2'],
    ]);
    expect(unit.queues.priorities.every((priority) => priority === 0)).toBe(true);
    expect(answer.results.map((result) => [result.subject, result.status])).toEqual([
      ['u1@example.com', 'success'],
      ['u2', 'failure'],
      ['nobody', 'failure'],
    ]);
    const action = answer.results[1]!.steps.find((step) => step.step === 'action');
    expect(action?.details).toMatchObject({ action: 'createUser', reason: 'refused by the platform' });
    const run = await unit.stores.runs.get('unit', answer.runId);
    expect(run).toMatchObject({ trigger: 'provision', status: 'completedWithFailures' });
  });
});
