import { gzipSync } from 'node:zlib';
import type { RunRecord, RunStatus } from '../../src/model/run.js';
import { keys } from '../../src/runs/keys.js';
import type { RedisStores } from '../../src/runs/redis/stores.js';
import { recordRun } from '../../src/runs/requestRun.js';

/** A run as a worker would have left it. */
async function seededRun(
  stores: RedisStores,
  tenant: string,
  status: RunStatus,
  patch: Partial<RunRecord> = {},
): Promise<RunRecord> {
  const record = await recordRun(stores, { tenant, mode: 'full', trigger: 'schedule' });
  return stores.runs.update(tenant, record.id, {
    status,
    startedAt: record.createdAt,
    durationMs: 2500,
    phaseMs: { import: 400, plan: 80, users: 1500, groups: 520 },
    source: { users: 3, groups: 1 },
    ...patch,
  });
}

export interface SeededRuns {
  /** alpha: an applied run that updated a user, added members, and failed to create another. */
  readonly applied: RunRecord;
  /** beta: a run held by the guard, with its plan, waiting for approval. */
  readonly held: RunRecord;
}

/** Demo-like history: the console's pages have something to show. */
export async function seedRuns(stores: RedisStores): Promise<SeededRuns> {
  const applied = await seededRun(stores, 'alpha', 'completedWithFailures', {
    finishedAt: new Date().toISOString(),
  });
  await stores.runs.countPlanned('alpha', applied.id, { updateUser: 1, createUser: 1, addMembers: 1 });
  await stores.runs.countOutcome('alpha', applied.id, 'updateUser', 'succeeded');
  await stores.runs.countOutcome('alpha', applied.id, 'addMembers', 'succeeded');
  await stores.runs.countOutcome('alpha', applied.id, 'createUser', 'failed');
  await stores.runs.countMembers('alpha', applied.id, { added: 2, removed: 0 });
  await stores.runs.addFailure('alpha', applied.id, {
    objectType: 'user',
    externalId: 'u-3',
    op: 'createUser',
    reason: 'the platform answered 409: userName <b>taken</b>',
  });
  const at = new Date().toISOString();
  await stores.events.appendAll('alpha', [
    {
      runId: applied.id,
      at,
      objectType: 'user',
      externalId: 'u-1',
      subject: 'ada@example.com',
      op: 'updateUser',
      outcome: 'success',
      changes: [
        { path: 'title', from: 'Engineer', to: 'Principal Engineer' },
        { path: 'name.familyName', from: 'Byron', to: 'Lovelace' },
      ],
    },
    {
      runId: applied.id,
      at,
      objectType: 'group',
      externalId: 'g-1',
      subject: 'Engineering',
      op: 'addMembers',
      outcome: 'success',
    },
    {
      runId: applied.id,
      at,
      objectType: 'user',
      externalId: 'u-3',
      subject: 'grace@example.com',
      op: 'createUser',
      outcome: 'failure',
      reason: 'the platform answered 409: userName <b>taken</b>',
    },
  ]);
  const held = await seededRun(stores, 'beta', 'held', {
    heldReason: 'the run would deactivate 2 of 3 managed users (67 %), above the 30 % limit',
    plan: {
      ops: [
        { kind: 'deactivateUser', externalId: 'u-7', targetId: 't-7' },
        { kind: 'deactivateUser', externalId: 'u-8', targetId: 't-8' },
        { kind: 'removeMembers', externalId: 'g-2', targetId: 't-g2', memberExternalIds: ['u-7', 'u-8'] },
      ],
      problems: [],
    },
  });
  await stores.redis.set(keys.runPlan('beta', held.id), gzipSync(Buffer.from('{}')));
  return { applied, held };
}
