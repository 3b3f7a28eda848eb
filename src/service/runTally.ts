import { FINISHED_STATUSES, type RunRecord } from '../model/run.js';
import {
  bucketIndex,
  OP_DURATION_BUCKETS_SECONDS,
  RUN_DURATION_BUCKETS_SECONDS,
  type TenantTotals,
} from '../observability/metrics.js';
import { OP_SECONDS_FIELD, OP_SECONDS_SUM_FIELD } from '../observability/opDurations.js';
import { keys } from '../runs/keys.js';
import type { RedisConnection } from '../runs/redis/connection.js';
import type { RedisStores } from '../runs/redis/stores.js';

/** Tallied run ids remembered per tenant: more than the run records kept, so none is counted twice. */
const TALLIED_KEPT = 1000;

/** The tally field holding when the last run that applied its plan ended (epoch ms); it only moves forward. */
const LAST_SUCCESS_FIELD = 'lastSuccessAt';

/**
 * Adds the increments only the first time this run is tallied, whoever (worker, scrape) gets there
 * first; the last-success time is kept at its latest instead of added to.
 */
const TALLY_ONCE = `
if redis.call('zadd', KEYS[1], 'NX', ARGV[1], ARGV[2]) == 0 then return 0 end
redis.call('zremrangebyrank', KEYS[1], 0, -tonumber(ARGV[3]) - 1)
for i = 4, #ARGV, 2 do
  if ARGV[i] == '${LAST_SUCCESS_FIELD}' then
    local previous = tonumber(redis.call('hget', KEYS[2], ARGV[i]) or '0')
    if tonumber(ARGV[i + 1]) > previous then redis.call('hset', KEYS[2], ARGV[i], ARGV[i + 1]) end
  else
    redis.call('hincrbyfloat', KEYS[2], ARGV[i], ARGV[i + 1])
  end
end
return 1`;

/** Runs after which the platform is as the source says, but for objects the run reports as failed. */
const APPLIED_STATUSES: readonly RunRecord['status'][] = ['succeeded', 'completedWithFailures'];

/** What a finished run adds to its tenant's totals, as hash fields and increments (or the last-success time). */
export function tallyFields(record: RunRecord): [string, number][] {
  const fields: [string, number][] = [[`runs|${record.mode}|${record.status}`, 1]];
  for (const [kind, counts] of Object.entries(record.counts)) {
    if (counts.succeeded > 0) fields.push([`ops|${kind}|succeeded`, counts.succeeded]);
    if (counts.failed > 0) fields.push([`ops|${kind}|failed`, counts.failed]);
  }
  for (const side of ['source', 'target'] as const) {
    if (record.apiCalls[side] > 0) fields.push([`calls|${side}`, record.apiCalls[side]]);
    if (record.throttled[side] > 0) fields.push([`throttled|${side}`, record.throttled[side]]);
  }
  if (record.durationMs !== undefined) {
    const seconds = record.durationMs / 1000;
    fields.push(
      [`duration|${bucketIndex(RUN_DURATION_BUCKETS_SECONDS, seconds)}`, 1],
      ['durationSum', seconds],
    );
  }
  if (!record.dryRun && APPLIED_STATUSES.includes(record.status) && record.finishedAt)
    fields.push([LAST_SUCCESS_FIELD, Date.parse(record.finishedAt)]);
  return fields;
}

/** Counts a finished run into its tenant's totals, once. Answers whether this call counted it. */
export async function tallyRun(redis: RedisConnection, record: RunRecord): Promise<boolean> {
  if (!FINISHED_STATUSES.includes(record.status)) return false;
  const finished = Date.parse(record.finishedAt ?? record.createdAt);
  const added = await redis.eval(
    TALLY_ONCE,
    2,
    keys.tallied(record.tenant),
    keys.tally(record.tenant),
    String(finished),
    record.id,
    String(TALLIED_KEPT),
    ...tallyFields(record).flatMap(([field, increment]) => [field, String(increment)]),
  );
  return added === 1;
}

/** Counts every finished run of the tenant that no worker counted (one died before it could). */
export async function tallyFinishedRuns(stores: RedisStores, tenant: string): Promise<void> {
  const ids = await stores.redis.zrevrange(keys.runIndex(tenant), 0, -1);
  if (ids.length === 0) return;
  const scores = await stores.redis.zmscore(keys.tallied(tenant), ...ids);
  const untallied = ids.filter((_, index) => scores[index] === null);
  for (const id of untallied) {
    const record = await stores.runs.get(tenant, id);
    if (record) await tallyRun(stores.redis, record);
  }
}

export type StoredTotals = Omit<
  TenantTotals,
  'quarantined' | 'skippedTriggers' | 'lastSuccessAgeSeconds' | 'managedUsers'
> & {
  /** When the last run that applied its plan ended (epoch ms), if one did. */
  readonly lastSuccessAt: number | null;
};

export async function readTotals(redis: RedisConnection, tenant: string): Promise<StoredTotals> {
  const fields = await redis.hgetall(keys.tally(tenant));
  const emptyBuckets = (bounds: readonly number[]) => bounds.map(() => 0).concat(0);
  const totals = {
    tenant,
    runs: [] as { mode: string; outcome: string; count: number }[],
    ops: [] as { kind: string; outcome: string; count: number }[],
    apiCalls: { source: 0, target: 0 },
    throttled: { source: 0, target: 0 },
    duration: {
      buckets: emptyBuckets(RUN_DURATION_BUCKETS_SECONDS),
      sumSeconds: Number(fields.durationSum ?? 0),
    },
    lastSuccessAt: fields[LAST_SUCCESS_FIELD] ? Number(fields[LAST_SUCCESS_FIELD]) : null,
  };
  const opDurations = new Map<string, { kind: string; buckets: number[]; sumSeconds: number }>();
  const opDuration = (kind: string) => {
    const entry = opDurations.get(kind) ?? {
      kind,
      buckets: emptyBuckets(OP_DURATION_BUCKETS_SECONDS),
      sumSeconds: 0,
    };
    opDurations.set(kind, entry);
    return entry;
  };
  for (const [field, text] of Object.entries(fields)) {
    const value = Number(text);
    const [family, first, second] = field.split('|');
    if (family === 'runs' && first && second)
      totals.runs.push({ mode: first, outcome: second, count: value });
    else if (family === 'ops' && first && second)
      totals.ops.push({ kind: first, outcome: second, count: value });
    else if ((family === 'calls' || family === 'throttled') && (first === 'source' || first === 'target')) {
      totals[family === 'calls' ? 'apiCalls' : 'throttled'][first] = value;
    } else if (family === 'duration' && first) totals.duration.buckets[Number(first)] = value;
    else if (family === OP_SECONDS_FIELD && first && second)
      opDuration(first).buckets[Number(second)] = value;
    else if (family === OP_SECONDS_SUM_FIELD && first) opDuration(first).sumSeconds = value;
  }
  return { ...totals, opDurations: [...opDurations.values()] };
}
