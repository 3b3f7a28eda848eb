import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import {
  applyChanges,
  changesBetween,
  computeDesired,
  type Focus,
  guardPlan,
  planFocused,
  planFull,
  platformQueriesFor,
  unknownGroupReferences,
} from '../engine/index.js';
import type { DirectorySnapshot } from '../model/directory.js';
import type { Op, OpKind, Plan } from '../model/plan.js';
import type { GroupQuery, Platform, UserQuery } from '../model/platform.js';
import { opTotals, type RunRecord, type RunRequest } from '../model/run.js';
import type { PlatformState } from '../model/scim.js';
import { CursorExpiredError, type Source } from '../model/source.js';
import type { Logger } from '../observability/logger.js';
import { runAttributes, withSpan, withTrace } from '../observability/tracing.js';
import { RunCallCounter } from './callCounter.js';
import { describeError } from './errors.js';
import { keys } from './keys.js';
import { opId } from './opIds.js';
import { PhaseTimer } from './phaseTimer.js';
import { type OpBatch, opsPerJob, type RunQueues } from './runQueues.js';
import type { Stores, TenantRuntime } from './runtime.js';
import type { SourceCheckpoint } from './tenantState.js';

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

/** Ops shown in a run record; the whole plan is kept beside it. */
const OPS_KEPT_IN_RECORD = 1000;
const ENQUEUE_CHUNK = 1000;
const PROBLEMS_PER_WRITE = 1000;
/**
 * BullMQ takes jobs without a priority before any prioritised job: runs' ops carry this one, so
 * that on-demand provisioning (priority 0: none) jumps ahead of scheduled work.
 */
const RUN_PRIORITY = 10;
export const ON_DEMAND_PRIORITY = 0;

export interface PipelineDependencies {
  readonly stores: Stores;
  readonly queues: RunQueues;
  readonly runtime: TenantRuntime;
  readonly logger: Logger;
  readonly now?: () => Date;
  /** How often the run looks at its ops' progress. */
  readonly pollMs?: number;
  /** Aborted when the run's tenant lease is lost (see TenantLock): the run stops at its next step. */
  readonly leaseLost?: AbortSignal;
}

interface HeldRun {
  readonly plan: Plan;
  readonly checkpoint: SourceCheckpoint;
}

/**
 * The one pipeline of a run, whatever triggered it: import → desired state → read the platform
 * (a full run reads it while the source is read) → plan → guard → (dry run stops) → user ops →
 * group ops → checkpoint → record. Full, incremental, dry and approved runs differ only in their
 * inputs.
 */
export function executeRun(request: RunRequest, deps: PipelineDependencies): Promise<RunRecord> {
  const attributes = {
    ...runAttributes(request.tenant, request.runId),
    'dirsync.run.mode': request.mode,
    'dirsync.run.trigger': request.trigger,
    'dirsync.run.dry_run': request.dryRun,
  };
  return withTrace('dirsync.run', attributes, async (span) => {
    const record = await runPipeline(request, deps);
    span.setAttributes({ 'dirsync.run.status': record.status });
    if (record.error) span.fail(record.error);
    return record;
  });
}

async function runPipeline(request: RunRequest, deps: PipelineDependencies): Promise<RunRecord> {
  const { stores, runtime } = deps;
  const now = deps.now ?? (() => new Date());
  const tenant = request.tenant;
  const started = now();
  const counter = new RunCallCounter();
  const phases = new PhaseTimer(() => now().getTime());
  const logger = deps.logger.child({ tenant, runId: request.runId });

  await stores.runs.update(tenant, request.runId, {
    status: 'running',
    startedAt: started.toISOString(),
    ...phases.enter('import'),
  });
  try {
    let held: HeldRun;
    let mode = request.mode;
    let fallbackReason: string | undefined;
    if (request.trigger === 'approve') {
      const stored = await loadHeldRun(deps, request.runId);
      if (!stored) {
        // Never apply a plan from memory of it: the directory may have moved on since it was held.
        logger.warn('the held plan expired before it was applied; nothing was applied');
        return finish(deps, request, started, counter, phases, {
          status: 'expired',
          error: `the held plan of run ${request.runId} expired before it was approved; nothing was applied`,
        });
      }
      held = stored;
    } else {
      const source = await runtime.source(counter);
      const platform = runtime.platform(counter);
      const previous = await stores.state.checkpoint(tenant);
      // A full run reads the whole platform: while the source is read, not after it.
      const platformRead = request.mode === 'full' ? readWholePlatform(platform) : undefined;
      platformRead?.catch(() => {
        // Awaited (and so reported) in planRun; only an import that failed first leaves it unawaited.
      });
      const cursorWithoutRecords = previous ? undefined : await stores.state.cursorCommittedAt(tenant);
      const imported = await withSpan(
        'dirsync.import',
        runAttributes(tenant, request.runId),
        async (span) => {
          const read = await importSource(source, request.mode, previous, cursorWithoutRecords);
          span.setAttributes({
            'dirsync.run.mode': read.mode,
            'dirsync.source.users': read.snapshot.users.length,
            'dirsync.source.groups': read.snapshot.groups.length,
          });
          return read;
        },
      );
      nextStep(deps);
      mode = imported.mode;
      fallbackReason = imported.fallbackReason;
      await stores.runs.update(tenant, request.runId, {
        mode,
        ...phases.enter('plan'),
        source: { users: imported.snapshot.users.length, groups: imported.snapshot.groups.length },
        ...(fallbackReason ? { fallbackReason } : {}),
      });
      if (fallbackReason) logger.info({ fallbackReason }, 'incremental run falls back to full');

      const plan = await withSpan('dirsync.plan', runAttributes(tenant, request.runId), async (span) => {
        const planned = await planRun(deps, platform, imported, previous, platformRead);
        span.setAttributes({
          'dirsync.plan.user_ops': planned.userOps.length,
          'dirsync.plan.group_ops': planned.groupOps.length,
          'dirsync.plan.problems': planned.problems.length,
        });
        return planned;
      });
      nextStep(deps);
      const checkpoint: SourceCheckpoint = {
        snapshot: imported.snapshot,
        committedAt: started.toISOString(),
        ...(imported.cursor ? { cursor: imported.cursor } : {}),
      };
      await recordProblems(deps, request.runId, plan);
      const verdict = guardPlan(plan, runtime.config.safety, {
        sourceUserCount: imported.snapshot.users.length,
        ...(previous ? { previousSourceUserCount: previous.snapshot.users.length } : {}),
      });
      if (request.dryRun) {
        return finish(deps, request, started, counter, phases, {
          plan: summarise(plan),
          ...(verdict.held ? { heldReason: verdict.reason } : {}),
        });
      }
      if (verdict.held) {
        await storeHeldRun(deps, request.runId, { plan, checkpoint });
        logger.warn({ reason: verdict.reason }, 'run held by a safety guard; approve it to apply');
        return stores.runs.update(tenant, request.runId, {
          status: 'held',
          heldReason: verdict.reason,
          plan: summarise(plan),
          apiCalls: counter.calls,
          throttled: counter.throttles,
          ...phases.enter('done'),
        });
      }
      held = { plan, checkpoint };
    }

    const { checkpoint } = held;
    // Every op is now safely in Redis: the next incremental run may start from here.
    await applyPlan(deps, request.runId, held.plan, {
      onEnqueued: () => stores.state.commitCheckpoint(tenant, checkpoint),
      phases,
    });
    return finish(deps, request, started, counter, phases, {});
  } catch (error) {
    const reason = describeError(error);
    logger.error({ reason }, 'run failed');
    await stores.runs.addFailure(tenant, request.runId, { objectType: 'run', reason });
    return finish(deps, request, started, counter, phases, { error: reason });
  }
}

/**
 * Between steps a run makes sure it still holds its tenant's lease: once lost, another run may be
 * under way, so this one stops (its record says why) and commits no checkpoint.
 */
function nextStep(deps: PipelineDependencies): void {
  deps.leaseLost?.throwIfAborted();
}

interface ImportedSource {
  readonly mode: 'full' | 'incremental';
  readonly snapshot: DirectorySnapshot;
  readonly cursor?: string;
  readonly fallbackReason?: string;
}

/**
 * `cursorWithoutRecords` is when a cursor was committed whose source records (the checkpoint's
 * snapshot) are missing: it cannot be continued alone, since changes are merged onto those records.
 */
async function importSource(
  source: Source,
  requested: 'full' | 'incremental',
  previous: SourceCheckpoint | undefined,
  cursorWithoutRecords: string | undefined,
): Promise<ImportedSource> {
  let fallbackReason: string | undefined;
  if (requested === 'incremental') {
    if (!source.readChanges) fallbackReason = 'this source has no change feed';
    else if (cursorWithoutRecords) {
      fallbackReason = `the cursor committed at ${cursorWithoutRecords} has no source records beside it; a full read rebuilds them`;
    } else if (!previous?.cursor) fallbackReason = 'no cursor yet (first run, or reset)';
    else {
      try {
        const read = await source.readChanges(previous.cursor, previous.snapshot);
        const snapshot = applyChanges(previous.snapshot, read.changes);
        const unknown = unknownGroupReferences(snapshot, read.changes);
        if (read.changes.needsFullRun) fallbackReason = read.changes.needsFullRun;
        else if (unknown.length > 0) {
          fallbackReason = `${unknown.length} group(s) came into scope that no earlier read included (${unknown.slice(0, 3).join(', ')})`;
        } else return { mode: 'incremental', snapshot, cursor: read.cursor };
      } catch (error) {
        if (!(error instanceof CursorExpiredError)) throw error;
        fallbackReason = `the source no longer accepts the cursor (${error.message})`;
      }
    }
  }
  const read = await source.readFull();
  return {
    mode: 'full',
    snapshot: read.snapshot,
    ...(read.cursor ? { cursor: read.cursor } : {}),
    ...(fallbackReason ? { fallbackReason } : {}),
  };
}

async function planRun(
  deps: PipelineDependencies,
  platform: Platform,
  imported: ImportedSource,
  previous: SourceCheckpoint | undefined,
  platformRead: Promise<PlatformState> | undefined,
): Promise<Plan> {
  const { stores, runtime } = deps;
  const tenant = runtime.config.id;
  const settings = runtime.settings;
  const desired = computeDesired(imported.snapshot, settings);
  const owned = await stores.state.owned(tenant);

  if (imported.mode === 'full' || !previous) {
    const state = await (platformRead ?? readWholePlatform(platform));
    await rememberLinks(deps, state);
    return planFull({ desired, platform: state, owned, settings });
  }

  const before = computeDesired(previous.snapshot, settings);
  const changes = changesBetween(before, desired);
  const retries = await stores.state.takeRetries(tenant);
  const focus: Focus = {
    ...changes,
    userIds: new Set([...changes.userIds, ...retries.users]),
    groupIds: new Set([...changes.groupIds, ...retries.groups]),
  };
  const queries = platformQueriesFor(desired, focus);
  const [users, groups] = await Promise.all([
    hasValues(queries.users) ? platform.findUsers(queries.users) : [],
    hasValues(queries.groups) ? platform.findGroups(queries.groups) : [],
  ]);
  return planFocused({
    desired,
    platform: { users: uniqueById(users), groups: uniqueById(groups) },
    owned,
    settings,
    focus,
    managedUserCount: owned.users.size,
  });
}

function hasValues(query: UserQuery | GroupQuery): boolean {
  return Object.values(query).some((values) => (values?.length ?? 0) > 0);
}

function uniqueById<T extends { id: string }>(objects: readonly T[]): T[] {
  return [...new Map(objects.map((object) => [object.id, object])).values()];
}

async function readWholePlatform(platform: Platform): Promise<PlatformState> {
  const [users, groups] = await Promise.all([platform.listUsers(), platform.listGroups()]);
  return { users, groups };
}

async function rememberLinks(deps: PipelineDependencies, state: PlatformState): Promise<void> {
  const tenant = deps.runtime.config.id;
  const users = new Map(
    state.users.flatMap((user) => (user.externalId ? [[user.externalId, user.id] as const] : [])),
  );
  const groups = new Map(
    state.groups.flatMap((group) => (group.externalId ? [[group.externalId, group.id] as const] : [])),
  );
  await deps.stores.state.rememberLinks(tenant, 'user', users);
  await deps.stores.state.rememberLinks(tenant, 'group', groups);
}

async function recordProblems(deps: PipelineDependencies, runId: string, plan: Plan): Promise<void> {
  const tenant = deps.runtime.config.id;
  const at = (deps.now ?? (() => new Date()))().toISOString();
  // One MULTI per slice, as the op worker records a batch's outcomes.
  for (let start = 0; start < plan.problems.length; start += PROBLEMS_PER_WRITE) {
    const problems = plan.problems.slice(start, start + PROBLEMS_PER_WRITE);
    const batch = deps.stores.redis.multi();
    for (const problem of problems) {
      // A conflict may clear when another object changes: the next incremental run looks again.
      await deps.stores.state.markForRetry(tenant, problem.objectType, problem.externalId, batch);
      await deps.stores.runs.addFailure(tenant, runId, problem, batch);
    }
    const events = problems.map((problem) => ({
      runId,
      at,
      objectType: problem.objectType,
      externalId: problem.externalId,
      outcome: 'failure' as const,
      reason: problem.reason,
    }));
    await deps.stores.events.appendAll(tenant, events, batch);
    await batch.exec();
  }
}

/** The op ids this run added, and those an earlier run had enqueued and are still pending. */
interface EnqueuedOps {
  readonly added: readonly string[];
  readonly pendingElsewhere: readonly string[];
}

/** Adds the ops in batch jobs, but none whose op id is already pending. */
async function enqueue(
  deps: PipelineDependencies,
  runId: string,
  ops: readonly Op[],
  priority = RUN_PRIORITY,
): Promise<EnqueuedOps> {
  const tenant = deps.runtime.config.id;
  const perJob = opsPerJob(deps.runtime.config.target.maxRequestsPerSecond);
  const added: string[] = [];
  const pendingElsewhere: string[] = [];
  const planned: Partial<Record<OpKind, number>> = {};
  // Mostly nothing is pending when a run starts; then no op needs looking up.
  const anyPending = await deps.stores.pendingOps.any(tenant);
  // The first chunk is two jobs' worth, so that workers start on it while the rest is enqueued:
  // the platform is not left waiting for the whole plan to reach Redis.
  for (let start = 0, size = 2 * perJob; start < ops.length; start += size, size = ENQUEUE_CHUNK) {
    nextStep(deps);
    const chunk = ops.slice(start, start + size).map((op) => ({ op, id: opId(op) }));
    const pending = anyPending
      ? await deps.stores.pendingOps.pending(
          tenant,
          chunk.map((entry) => entry.id),
        )
      : NONE_PENDING;
    const fresh = chunk.filter((entry) => !pending.has(entry.id));
    pendingElsewhere.push(...pending);
    await deps.stores.pendingOps.add(
      tenant,
      fresh.map((entry) => entry.id),
    );
    const batches: OpBatch[] = [];
    for (let at = 0; at < fresh.length; at += perJob) {
      const batch = fresh.slice(at, at + perJob);
      batches.push({
        tenant,
        runId,
        attempt: 0,
        ops: batch.map((entry) => entry.op),
        opIds: batch.map((entry) => entry.id),
      });
    }
    await deps.queues.enqueueOpBatches(tenant, batches, priority);
    for (const { op, id } of fresh) {
      planned[op.kind] = (planned[op.kind] ?? 0) + 1;
      added.push(id);
    }
  }
  await deps.stores.runs.countPlanned(tenant, runId, planned);
  return { added, pendingElsewhere };
}

export interface ApplyOptions {
  /** Runs once every op is safely in Redis. */
  readonly onEnqueued?: () => Promise<void>;
  readonly priority?: number;
  readonly phases: PhaseTimer;
}

/**
 * Applies a plan through the op queue: every user op ends before the first group op is enqueued,
 * so groups find their members. A group this plan creates with more members than one request
 * carries gets the rest from member ops, which need the group on the platform: those groups are
 * created first, and the rest of the group ops follow, so no member op fails for want of its
 * group and waits out a retry.
 */
export async function applyPlan(
  deps: PipelineDependencies,
  runId: string,
  plan: Plan,
  options: ApplyOptions,
): Promise<void> {
  const tenant = deps.runtime.config.id;
  const { phases, priority } = options;
  const attributes = runAttributes(tenant, runId);
  await deps.stores.runs.update(tenant, runId, { status: 'applying', ...phases.enter('users') });
  await withSpan('dirsync.users', { ...attributes, 'dirsync.op.count': plan.userOps.length }, async () =>
    awaitOps(deps, runId, await enqueue(deps, runId, plan.userOps, priority)),
  );
  await deps.stores.runs.update(tenant, runId, phases.enter('groups'));
  await withSpan('dirsync.groups', { ...attributes, 'dirsync.op.count': plan.groupOps.length }, async () => {
    const completedLater = new Set(plan.groupOps.filter(isMemberOpOfNewGroup).map((op) => op.externalId));
    const createdFirst = plan.groupOps.filter(
      (op) => op.kind === 'createGroup' && completedLater.has(op.externalId),
    );
    if (createdFirst.length > 0)
      await awaitOps(deps, runId, await enqueue(deps, runId, createdFirst, priority));
    const groupJobs = await enqueue(
      deps,
      runId,
      createdFirst.length > 0 ? without(plan.groupOps, new Set(createdFirst)) : plan.groupOps,
      priority,
    );
    nextStep(deps);
    const { onEnqueued } = options;
    if (onEnqueued) await withSpan('dirsync.commit', attributes, onEnqueued);
    await awaitOps(deps, runId, groupJobs);
  });
}

function without(ops: readonly Op[], left: ReadonlySet<Op>): Op[] {
  return ops.filter((op) => !left.has(op));
}

/** The planner names no platform group for member ops of a group it creates: there is none yet. */
function isMemberOpOfNewGroup(op: Op): boolean {
  return (op.kind === 'addMembers' || op.kind === 'removeMembers') && op.targetId === undefined;
}

/**
 * How often a run looks at its ops' progress when no local worker tells it sooner (see
 * OpProgress): a counter read, so cheap enough to keep phases close.
 */
const DEFAULT_POLL_MS = 100;
const NONE_PENDING: ReadonlySet<string> = new Set();
/** Op ids looked up per poll while following the ops this run added. */
const FOLLOW_WINDOW = 1000;

/**
 * Waits until every op this run enqueued so far reached an end (succeeded, or failed for good),
 * and every op it found pending from an earlier run has ended too.
 */
async function awaitOps(deps: PipelineDependencies, runId: string, enqueued: EnqueuedOps): Promise<void> {
  const tenant = deps.runtime.config.id;
  const record = await deps.stores.runs.get(tenant, runId);
  const { planned } = opTotals(record?.counts ?? {});
  let elsewhere = [...enqueued.pendingElsewhere];
  let added = [...enqueued.added];
  let finishedBefore = -1;
  for (;;) {
    nextStep(deps);
    if (elsewhere.length > 0) elsewhere = [...(await deps.stores.pendingOps.pending(tenant, elsewhere))];
    if (elsewhere.length === 0) {
      const finished = await deps.stores.runs.finishedOps(tenant, runId);
      if (finished >= planned) return;
      // Another run (or on-demand provisioning) may have added the same op between our look and our
      // add: its outcome counts to that run, so ours ends when none of its ops is pending any more.
      // Only worth looking up once our own count stops moving.
      if (finished === finishedBefore) {
        added = await stillPending(deps, added);
        if (added.length === 0) return;
      }
      finishedBefore = finished;
    }
    await deps.stores.progress.next(tenant, deps.pollMs ?? DEFAULT_POLL_MS);
  }
}

/** Drops the ops that ended from the first window of `opIds`; the rest wait their turn. */
async function stillPending(deps: PipelineDependencies, opIds: readonly string[]): Promise<string[]> {
  const window = opIds.slice(0, FOLLOW_WINDOW);
  const pending = await deps.stores.pendingOps.pending(deps.runtime.config.id, window);
  return [...window.filter((id) => pending.has(id)), ...opIds.slice(FOLLOW_WINDOW)];
}

async function storeHeldRun(deps: PipelineDependencies, runId: string, held: HeldRun): Promise<void> {
  const packed = await gzipAsync(Buffer.from(JSON.stringify(held)));
  const key = heldRunKey(deps, runId);
  // Redis refuses an expiry of 0 s: a fraction of an hour that rounds to nothing keeps the plan 1 s.
  const seconds = Math.max(1, Math.round(deps.runtime.config.safety.heldRunExpiryHours * 3600));
  await deps.stores.redis.set(key, packed, 'EX', seconds);
}

/** The held plan, or undefined once it has expired (or was never stored). */
async function loadHeldRun(deps: PipelineDependencies, runId: string): Promise<HeldRun | undefined> {
  const packed = await deps.stores.redis.getBuffer(heldRunKey(deps, runId));
  if (!packed) return undefined;
  return JSON.parse((await gunzipAsync(packed)).toString('utf8')) as HeldRun;
}

function heldRunKey(deps: PipelineDependencies, runId: string): string {
  return keys.runPlan(deps.runtime.config.id, runId);
}

function summarise(plan: Plan): RunRecord['plan'] {
  return {
    ops: [...plan.userOps, ...plan.groupOps].slice(0, OPS_KEPT_IN_RECORD),
    problems: plan.problems.slice(0, OPS_KEPT_IN_RECORD),
  };
}

export async function finish(
  deps: PipelineDependencies,
  request: RunRequest,
  started: Date,
  counter: RunCallCounter,
  phases: PhaseTimer,
  outcome: { error?: string; plan?: RunRecord['plan']; heldReason?: string; status?: 'expired' },
): Promise<RunRecord> {
  const { stores } = deps;
  const finished = (deps.now ?? (() => new Date()))();
  const current = await stores.runs.get(request.tenant, request.runId);
  const { status: ended, ...details } = outcome;
  const status =
    ended ??
    (outcome.error ? 'failed' : (current?.failureCount ?? 0) > 0 ? 'completedWithFailures' : 'succeeded');
  await stores.runs.update(request.tenant, request.runId, {
    status,
    ...phases.enter('done'),
    finishedAt: finished.toISOString(),
    durationMs: finished.getTime() - started.getTime(),
    apiCalls: counter.calls,
    throttled: counter.throttles,
    ...details,
  });
  return (await stores.runs.get(request.tenant, request.runId))!;
}
