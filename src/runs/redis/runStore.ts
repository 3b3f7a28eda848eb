import type { OpKind } from '../../model/plan.js';
import type { OpOutcomeCounts, RunFailure, RunRecord } from '../../model/run.js';
import { keys } from '../keys.js';
import type { RunPatch, RunStore, WriteBatch } from '../ports.js';
import { inBatch } from './batch.js';
import type { RedisConnection } from './connection.js';

/** Failures kept per run; the count is exact, the list is capped so a broken run cannot fill Redis. */
const MAX_FAILURES_KEPT = 1000;
/** Run records kept per tenant. */
const MAX_RUNS_KEPT = 200;

/** Run records in Redis: the record as JSON, its counters in a hash beside it, failures in a capped list. */
export class RedisRunStore implements RunStore {
  constructor(private readonly redis: RedisConnection) {}

  async create(record: RunRecord): Promise<void> {
    const created = Date.parse(record.createdAt);
    await this.redis
      .multi()
      .set(keys.run(record.tenant, record.id), JSON.stringify(record))
      .zadd(keys.runIndex(record.tenant), created, record.id)
      .exec();
    await this.trim(record.tenant);
  }

  async update(tenant: string, runId: string, patch: RunPatch): Promise<RunRecord> {
    const current = await this.readRaw(tenant, runId);
    if (!current) throw new Error(`run ${runId} of tenant ${tenant} does not exist`);
    const next = { ...current, ...patch };
    await this.redis.set(keys.run(tenant, runId), JSON.stringify(next));
    return next;
  }

  async get(tenant: string, runId: string): Promise<RunRecord | undefined> {
    const record = await this.readRaw(tenant, runId);
    if (!record) return undefined;
    const [counts, failures, failureCount] = await Promise.all([
      this.redis.hgetall(keys.runCounts(tenant, runId)),
      this.redis.lrange(keys.runFailures(tenant, runId), 0, MAX_FAILURES_KEPT - 1),
      this.redis.hget(keys.runCounts(tenant, runId), 'failures'),
    ]);
    return {
      ...record,
      counts: mergeCounts(counts),
      apiCalls: {
        source: record.apiCalls.source + Number(counts['calls:source'] ?? 0),
        target: record.apiCalls.target + Number(counts['calls:target'] ?? 0),
      },
      throttled: {
        source: record.throttled.source + Number(counts['throttled:source'] ?? 0),
        target: record.throttled.target + Number(counts['throttled:target'] ?? 0),
      },
      memberships: {
        added: Number(counts['members:added'] ?? 0),
        removed: Number(counts['members:removed'] ?? 0),
      },
      failures: failures.map((line) => JSON.parse(line) as RunFailure),
      failureCount: Number(failureCount ?? 0),
    };
  }

  /** Newest first. */
  async list(tenant: string, limit = 20): Promise<RunRecord[]> {
    const ids = await this.redis.zrevrange(keys.runIndex(tenant), 0, limit - 1);
    const records = await Promise.all(ids.map((id) => this.get(tenant, id)));
    return records.filter((record): record is RunRecord => record !== undefined);
  }

  async countPlanned(tenant: string, runId: string, planned: Partial<Record<OpKind, number>>): Promise<void> {
    const pipeline = this.redis.pipeline();
    for (const [kind, count] of Object.entries(planned)) {
      pipeline.hincrby(keys.runCounts(tenant, runId), `${kind}:planned`, count);
    }
    await pipeline.exec();
  }

  async countOutcome(
    tenant: string,
    runId: string,
    kind: OpKind,
    outcome: 'succeeded' | 'failed',
    batch?: WriteBatch,
    count = 1,
  ): Promise<void> {
    await inBatch(this.redis, batch, (queue) =>
      queue.hincrby(keys.runCounts(tenant, runId), `${kind}:${outcome}`, count),
    );
  }

  async countCalls(
    tenant: string,
    runId: string,
    calls: { target: number; throttledTarget: number },
    batch?: WriteBatch,
  ): Promise<void> {
    if (calls.target === 0 && calls.throttledTarget === 0) return;
    await inBatch(this.redis, batch, (queue) =>
      queue
        .hincrby(keys.runCounts(tenant, runId), 'calls:target', calls.target)
        .hincrby(keys.runCounts(tenant, runId), 'throttled:target', calls.throttledTarget),
    );
  }

  /** Group members a batch's ops added and removed on the platform. */
  async countMembers(
    tenant: string,
    runId: string,
    members: { readonly added: number; readonly removed: number },
    batch?: WriteBatch,
  ): Promise<void> {
    if (members.added === 0 && members.removed === 0) return;
    await inBatch(this.redis, batch, (queue) =>
      queue
        .hincrby(keys.runCounts(tenant, runId), 'members:added', members.added)
        .hincrby(keys.runCounts(tenant, runId), 'members:removed', members.removed),
    );
  }

  async addFailure(tenant: string, runId: string, failure: RunFailure, batch?: WriteBatch): Promise<void> {
    const failuresKey = keys.runFailures(tenant, runId);
    await inBatch(this.redis, batch, (queue) =>
      queue
        .hincrby(keys.runCounts(tenant, runId), 'failures', 1)
        .rpush(failuresKey, JSON.stringify(failure))
        .ltrim(failuresKey, 0, MAX_FAILURES_KEPT - 1),
    );
  }

  /** Ops of this run that reached an end (succeeded or failed for good). */
  async finishedOps(tenant: string, runId: string): Promise<number> {
    const counts = await this.redis.hgetall(keys.runCounts(tenant, runId));
    let finished = 0;
    for (const [field, value] of Object.entries(counts)) {
      if (field.endsWith(':succeeded') || field.endsWith(':failed')) finished += Number(value);
    }
    return finished;
  }

  private async readRaw(tenant: string, runId: string): Promise<RunRecord | undefined> {
    const text = await this.redis.get(keys.run(tenant, runId));
    return text ? (JSON.parse(text) as RunRecord) : undefined;
  }

  private async trim(tenant: string): Promise<void> {
    const stale = await this.redis.zrevrange(keys.runIndex(tenant), MAX_RUNS_KEPT, -1);
    if (stale.length === 0) return;
    const pipeline = this.redis.pipeline();
    for (const id of stale) {
      pipeline.del(
        keys.run(tenant, id),
        keys.runCounts(tenant, id),
        keys.runFailures(tenant, id),
        keys.runPlan(tenant, id),
      );
    }
    pipeline.zrem(keys.runIndex(tenant), ...stale);
    await pipeline.exec();
  }
}

function mergeCounts(fields: Record<string, string>): Partial<Record<OpKind, OpOutcomeCounts>> {
  const counts: Partial<Record<OpKind, OpOutcomeCounts>> = {};
  for (const [field, value] of Object.entries(fields)) {
    const [kind, outcome] = field.split(':') as [OpKind, keyof OpOutcomeCounts | string];
    if (outcome !== 'planned' && outcome !== 'succeeded' && outcome !== 'failed') continue;
    const entry = counts[kind] ?? { planned: 0, succeeded: 0, failed: 0 };
    entry[outcome] = Number(value);
    counts[kind] = entry;
  }
  return counts;
}
