import {
  Counter,
  collectDefaultMetrics,
  Gauge,
  Histogram,
  type HistogramConfiguration,
  Registry,
} from 'prom-client';

/** Upper bounds of the run-duration buckets, in seconds. */
export const RUN_DURATION_BUCKETS_SECONDS = [1, 5, 15, 60, 300, 900, 3600, 10_800] as const;
/** Upper bounds of the op-duration buckets, in seconds: one op is one to a few SCIM requests. */
export const OP_DURATION_BUCKETS_SECONDS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] as const;

/** The index of the first bucket that holds `seconds`; `bounds.length` for the open-ended last one. */
export function bucketIndex(bounds: readonly number[], seconds: number): number {
  const index = bounds.findIndex((bound) => seconds <= bound);
  return index === -1 ? bounds.length : index;
}

export type Side = 'source' | 'target';

/** Observations per bucket (one more than the bounds: the last is for anything above) and their sum. */
export interface StoredHistogram {
  readonly buckets: readonly number[];
  readonly sumSeconds: number;
}

/** Counters of one tenant's finished runs, as totals since the deployment's Redis began. */
export interface TenantTotals {
  readonly tenant: string;
  readonly runs: readonly { readonly mode: string; readonly outcome: string; readonly count: number }[];
  readonly ops: readonly { readonly kind: string; readonly outcome: string; readonly count: number }[];
  readonly apiCalls: Readonly<Record<Side, number>>;
  readonly throttled: Readonly<Record<Side, number>>;
  /** Over RUN_DURATION_BUCKETS_SECONDS. */
  readonly duration: StoredHistogram;
  /** Per op kind, over OP_DURATION_BUCKETS_SECONDS. */
  readonly opDurations: readonly (StoredHistogram & { readonly kind: string })[];
  readonly quarantined: boolean;
  readonly skippedTriggers: number;
  /** Since the end of the last run that applied its plan; null before the first. */
  readonly lastSuccessAgeSeconds: number | null;
  /** Platform users this tenant owns. */
  readonly managedUsers: number;
}

/** Everything /metrics shows, read from Redis at scrape time so that every process sees the same. */
export interface MetricsSnapshot {
  readonly tenants: readonly TenantTotals[];
  readonly queues: readonly { readonly queue: string; readonly state: string; readonly count: number }[];
}

/**
 * prom-client metrics fed from a snapshot: the counters live in Redis (written by whichever worker
 * finished a run), so the process that serves /metrics sets them from there before each scrape.
 * Next to them, the Node.js process metrics (CPU, memory, event-loop lag, GC) of that process.
 */
export class DirsyncMetrics {
  /** Only dirsync's own metrics: reset before each scrape, unlike the process metrics. */
  readonly #own = new Registry();
  readonly #process = new Registry();
  readonly registry: Registry;
  readonly #runs = this.#counter('dirsync_runs_total', 'Finished runs by mode and outcome', [
    'tenant',
    'mode',
    'outcome',
  ]);
  readonly #ops = this.#counter('dirsync_ops_total', 'Ops applied by kind and outcome', [
    'tenant',
    'kind',
    'outcome',
  ]);
  readonly #calls = this.#counter('dirsync_api_calls_total', 'API calls of finished runs, source or target', [
    'tenant',
    'side',
  ]);
  readonly #throttled = this.#counter(
    'dirsync_throttled_total',
    'Throttled answers (429/503) waited out by finished runs',
    ['tenant', 'side'],
  );
  readonly #skipped = this.#counter(
    'dirsync_skipped_triggers_total',
    'Scheduled runs skipped while the tenant was quarantined',
    ['tenant'],
  );
  readonly #quarantined = this.#gauge('dirsync_tenant_quarantined', '1 while the tenant is quarantined', [
    'tenant',
  ]);
  readonly #lastSuccessAge = this.#gauge(
    'dirsync_tenant_last_success_age_seconds',
    'Seconds since the last run of the tenant that applied its plan (succeeded, or completed with failed objects)',
    ['tenant'],
  );
  readonly #managedUsers = this.#gauge('dirsync_tenant_managed_users', 'Platform users the tenant owns', [
    'tenant',
  ]);
  readonly #queueDepth = this.#gauge('dirsync_queue_jobs', 'Jobs in each BullMQ queue by state', [
    'queue',
    'state',
  ]);
  readonly #duration = new SnapshotHistogram({
    name: 'dirsync_run_duration_seconds',
    help: 'Duration of finished runs',
    labelNames: ['tenant'],
    buckets: [...RUN_DURATION_BUCKETS_SECONDS],
    registers: [this.#own],
  });
  readonly #opDuration = new SnapshotHistogram({
    name: 'dirsync_op_duration_seconds',
    help: 'Time to apply one op on the platform, by kind, retries within the op included',
    labelNames: ['tenant', 'kind'],
    buckets: [...OP_DURATION_BUCKETS_SECONDS],
    registers: [this.#own],
  });

  constructor() {
    collectDefaultMetrics({ register: this.#process });
    this.registry = Registry.merge([this.#own, this.#process]);
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  async render(snapshot: MetricsSnapshot): Promise<string> {
    this.#own.resetMetrics();
    for (const totals of snapshot.tenants) {
      const tenant = totals.tenant;
      for (const run of totals.runs)
        this.#runs.inc({ tenant, mode: run.mode, outcome: run.outcome }, run.count);
      for (const op of totals.ops) this.#ops.inc({ tenant, kind: op.kind, outcome: op.outcome }, op.count);
      for (const side of ['source', 'target'] as const) {
        this.#calls.inc({ tenant, side }, totals.apiCalls[side]);
        this.#throttled.inc({ tenant, side }, totals.throttled[side]);
      }
      this.#skipped.inc({ tenant }, totals.skippedTriggers);
      this.#quarantined.set({ tenant }, totals.quarantined ? 1 : 0);
      this.#managedUsers.set({ tenant }, totals.managedUsers);
      if (totals.lastSuccessAgeSeconds !== null)
        this.#lastSuccessAge.set({ tenant }, totals.lastSuccessAgeSeconds);
    }
    for (const depth of snapshot.queues)
      this.#queueDepth.set({ queue: depth.queue, state: depth.state }, depth.count);
    this.#duration.show(
      snapshot.tenants.map(({ tenant, duration }) => ({ labels: { tenant }, ...duration })),
    );
    this.#opDuration.show(
      snapshot.tenants.flatMap(({ tenant, opDurations }) =>
        opDurations.map(({ kind, ...histogram }) => ({ labels: { tenant, kind }, ...histogram })),
      ),
    );
    return this.registry.metrics();
  }

  #counter<T extends string>(name: string, help: string, labelNames: T[]): Counter<T> {
    return new Counter({ name, help, labelNames, registers: [this.#own] });
  }

  #gauge<T extends string>(name: string, help: string, labelNames: T[]): Gauge<T> {
    return new Gauge({ name, help, labelNames, registers: [this.#own] });
  }
}

type Labels<T extends string> = Record<T, string>;

/** A histogram whose buckets come from stored counts rather than from observations in this process. */
class SnapshotHistogram<T extends string> extends Histogram<T> {
  #series: readonly (StoredHistogram & { readonly labels: Labels<T> })[] = [];
  readonly #bounds: readonly number[];
  /** An unregistered twin that never observes: the metric's description, without its values. */
  readonly #shape: Histogram<T>;

  constructor(configuration: HistogramConfiguration<T> & { readonly buckets: number[] }) {
    super(configuration);
    this.#bounds = configuration.buckets;
    this.#shape = new Histogram({ ...configuration, registers: [] });
  }

  show(series: readonly (StoredHistogram & { readonly labels: Labels<T> })[]): void {
    this.#series = series;
  }

  override async get() {
    const base = await this.#shape.get();
    const name = base.name;
    const values = this.#series.flatMap(({ labels, buckets, sumSeconds }) => {
      let cumulative = 0;
      const counts = [...this.#bounds, '+Inf' as const].map((le, index) => {
        cumulative += buckets[index] ?? 0;
        return { labels: { ...labels, le }, value: cumulative, metricName: `${name}_bucket` };
      });
      return [
        ...counts,
        { labels, value: sumSeconds, metricName: `${name}_sum` },
        { labels, value: cumulative, metricName: `${name}_count` },
      ];
    });
    return { ...base, values };
  }

  /** What prom-client's registry prints a histogram from (absent from its typings). */
  getForPromString() {
    return this.get();
  }
}
