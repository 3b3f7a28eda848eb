import { afterEach, describe, expect, test } from 'vitest';
import type { Op, OpKind, Plan } from '../../src/model/plan.js';
import type { RunRecord } from '../../src/model/run.js';
import { applyOp } from '../../src/queue/applyOp.js';
import { opId } from '../../src/runs/opIds.js';
import { PhaseTimer } from '../../src/runs/phaseTimer.js';
import { applyPlan } from '../../src/runs/pipeline/applyPlan.js';
import { executeRun } from '../../src/runs/pipeline.js';
import { recordRun, requestOf } from '../../src/runs/requestRun.js';
import { platformView } from '../support/scimState.js';
import {
  applyContextOf,
  type FileDirectory,
  type FileTenant,
  population,
  startFileTenant,
} from './support.js';

const USER_OP_KINDS: ReadonlySet<OpKind> = new Set([
  'createUser',
  'updateUser',
  'deactivateUser',
  'reactivateUser',
  'deleteUser',
]);

const staff = population('staff', 24);
const initial: FileDirectory = {
  users: staff,
  groups: [
    { id: 'g-all', displayName: 'All', members: ['g-even', 'g-odd'] },
    {
      id: 'g-even',
      displayName: 'Even',
      members: staff.filter((_, index) => index % 2 === 0).map((user) => user.id),
    },
    {
      id: 'g-odd',
      displayName: 'Odd',
      members: staff.filter((_, index) => index % 2 === 1).map((user) => user.id),
    },
  ],
};
/** Every kind of change: updates, a disabled user, removals, a renamed group, a member moved, a group deleted. */
const changed: FileDirectory = {
  users: [
    ...staff.slice(0, 18).map((user, index) => (index < 4 ? { ...user, title: 'Promoted' } : user)),
    { ...staff[18]!, active: false },
    { id: 'staff-new', userName: 'staff-new@example.com' },
  ],
  groups: [
    { id: 'g-all', displayName: 'Everyone', members: ['g-even', 'staff-new'] },
    { id: 'g-even', displayName: 'Even', members: ['staff-0', 'staff-2', 'staff-3', 'staff-new'] },
  ],
};

/** The platform as a reader compares it, with the count of objects per identity made plain. */
function snapshot(tenant: FileTenant) {
  const view = platformView(tenant.scim);
  return {
    ...view,
    userNames: new Set(view.users.map((user) => user.userName)).size,
    externalIds: new Set(view.users.map((user) => user.externalId)).size,
    groupIds: new Set(view.groups.map((group) => group.externalId)).size,
  };
}

/** The plan a run is about to apply, read from a dry run of the same inputs (planning is deterministic). */
async function planOf(tenant: FileTenant): Promise<Plan> {
  const dry = await tenant.harness.run('full', { dryRun: true });
  const ops = dry.plan?.ops ?? [];
  return {
    userOps: ops.filter((op) => USER_OP_KINDS.has(op.kind)),
    groupOps: ops.filter((op) => !USER_OP_KINDS.has(op.kind)),
    problems: [],
    managedUserCount: 0,
  };
}

/** Enqueues the plan's ops again, as a process that crashed after applying them would on restart. */
async function replay(tenant: FileTenant, plan: Plan): Promise<RunRecord> {
  const record = await recordRun(tenant.harness.stores, {
    tenant: tenant.harness.tenant.id,
    mode: 'full',
    trigger: 'cli',
  });
  await applyPlan(tenant.deps, record.id, plan, { phases: new PhaseTimer(Date.now) });
  return (await tenant.harness.stores.runs.get(record.tenant, record.id))!;
}

/** Each op applied again by a worker on a retry: it re-reads the platform and converges. */
async function applyEachAgain(tenant: FileTenant, ops: readonly Op[]): Promise<void> {
  const { harness } = tenant;
  const context = applyContextOf(harness, true);
  for (const op of ops) await applyOp(op, context);
}

const allSucceeded = (record: RunRecord) =>
  Object.values(record.counts).every((counts) => counts.failed === 0 && counts.succeeded === counts.planned);

/** Ops per kind: what a run record counts as planned. */
function plannedByKind(plan: Plan): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const op of [...plan.userOps, ...plan.groupOps]) counts[op.kind] = (counts[op.kind] ?? 0) + 1;
  return counts;
}
const plannedIn = (record: RunRecord) =>
  Object.fromEntries(Object.entries(record.counts).map(([kind, counts]) => [kind, counts.planned]));

describe('idempotence under replay: the same ops applied again create no duplicates and change nothing', () => {
  let tenant: FileTenant | undefined;
  afterEach(async () => {
    await tenant?.close();
    tenant = undefined;
  });

  test('the same full run executed twice at once (two workers past the lock) converges to one copy of everything', async () => {
    tenant = await startFileTenant();
    tenant.write(initial);
    const { stores } = tenant.harness;
    const order = { tenant: tenant.harness.tenant.id, mode: 'full', trigger: 'cli' } as const;
    const [left, right] = await Promise.all([recordRun(stores, order), recordRun(stores, order)]);
    const runs = await Promise.all([
      executeRun(requestOf(left), tenant.deps),
      executeRun(requestOf(right), tenant.deps),
    ]);

    for (const run of runs) expect(run).toMatchObject({ status: 'succeeded', failureCount: 0 });
    const state = snapshot(tenant);
    expect(state.users).toHaveLength(24);
    expect(state.groups).toHaveLength(3);
    expect([state.userNames, state.externalIds, state.groupIds]).toEqual([24, 24, 3]);
    expect(state.groups.find((group) => group.externalId === 'g-all')?.members).toHaveLength(24);

    const after = await tenant.harness.run('full');
    expect(Object.keys(after.counts)).toEqual([]);
  });

  test.each([['deactivate'], ['delete']])(
    'every op of a first sync and of a sync of changes, replayed as fresh jobs and as retries (deprovision: %s)',
    async (deprovision) => {
      tenant = await startFileTenant({
        safety: `{ maxDeactivations: 100, maxDeactivationRatio: 1, minSourceRatio: 0, deprovision: ${deprovision} }`,
      });
      for (const directory of [initial, changed]) {
        tenant.write(directory);
        const plan = await planOf(tenant);
        const run = await tenant.harness.run('full');
        expect(run).toMatchObject({ status: 'succeeded', failureCount: 0 });
        expect(plannedIn(run)).toEqual(plannedByKind(plan));
        // Every op ended: none is left pending for a later run to wait on.
        const ids = [...plan.userOps, ...plan.groupOps].map(opId);
        expect(await tenant.harness.stores.pendingOps.pending(tenant.harness.tenant.id, ids)).toEqual(
          new Set(),
        );
        const applied = snapshot(tenant);

        const replayed = await replay(tenant, plan);
        expect(plannedIn(replayed)).toEqual(plannedByKind(plan));
        expect(replayed.failures).toEqual([]);
        expect(allSucceeded(replayed)).toBe(true);
        expect(snapshot(tenant)).toEqual(applied);

        await applyEachAgain(tenant, [...plan.userOps, ...plan.groupOps]);
        expect(snapshot(tenant)).toEqual(applied);
      }
      const kinds = new Set(
        (await tenant.harness.stores.runs.list(tenant.harness.tenant.id)).flatMap((record) =>
          Object.keys(record.counts),
        ),
      );
      expect(kinds).toEqual(
        new Set([
          'createUser',
          'updateUser',
          // A user disabled in the source is deactivated whatever `deprovision` says.
          'deactivateUser',
          ...(deprovision === 'delete' ? ['deleteUser'] : []),
          'createGroup',
          'updateGroup',
          'deleteGroup',
          'addMembers',
          'removeMembers',
        ]),
      );
    },
  );
});
