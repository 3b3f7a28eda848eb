import { Counter, Gauge, Histogram, type HistogramConfiguration, Registry } from 'prom-client';

/** Upper bounds of the run-duration buckets, in seconds. */
export const RUN_DURATION_BUCKETS_SECONDS = [1, 5, 15, 60, 300, 900, 3600, 10_800] as const;

export type Side = 'source' | 'target';

/** Counters of one tenant's finished runs, as totals since the deployment's Redis began. */
export interface TenantTotals {
  readonly tenant: string;
  readonly runs: readonly { readonly mode: string; readonly outcome: string; readonly count: number }[];
  readonly ops: readonly { readonly kind: string; readonly outcome: string; readonly count: number }[];
  readonly apiCalls: Readonly<Record<Side, number>>;
  readonly throttled: Readonly<Record<Side, number>>;
  /** Runs per bucket of RUN_DURATION_BUCKETS_SECONDS, plus one last bucket for longer runs. */
  readonly durationBuckets: readonly number[];
  readonly durationSumSeconds: number;
  readonly quarantined: boolean;
  readonly skippedTriggers: number;
}

/** Everything /metrics shows, read from Redis at scrape time so that every process sees the same. */
export interface MetricsSnapshot {
  readonly tenants: readonly TenantTotals[];
  readonly queues: readonly { readonly queue: string; readonly state: string; readonly count: number }[];
}

/**
 * prom-client metrics fed from a snapshot: the counters live in Redis (written by whichever worker
 * finished a run), so the process that serves /metrics sets them from there before each scrape.
 */
export class DirsyncMetrics {
  readonly registry = new Registry();
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
  readonly #quarantined = new Gauge({
    name: 'dirsync_tenant_quarantined',
    help: '1 while the tenant is quarantined',
    labelNames: ['tenant'],
    registers: [this.registry],
  });
  readonly #queueDepth = new Gauge({
    name: 'dirsync_queue_jobs',
    help: 'Jobs in each BullMQ queue by state',
    labelNames: ['queue', 'state'],
    registers: [this.registry],
  });
  readonly #duration = new SnapshotHistogram({
    name: 'dirsync_run_duration_seconds',
    help: 'Duration of finished runs',
    labelNames: ['tenant'],
    buckets: [...RUN_DURATION_BUCKETS_SECONDS],
    registers: [this.registry],
  });

  get contentType(): string {
    return this.registry.contentType;
  }

  async render(snapshot: MetricsSnapshot): Promise<string> {
    this.registry.resetMetrics();
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
    }
    for (const depth of snapshot.queues)
      this.#queueDepth.set({ queue: depth.queue, state: depth.state }, depth.count);
    this.#duration.show(snapshot.tenants);
    return this.registry.metrics();
  }

  #counter<T extends string>(name: string, help: string, labelNames: T[]): Counter<T> {
    return new Counter({ name, help, labelNames, registers: [this.registry] });
  }
}

/** A histogram whose buckets come from stored counts rather than from observations in this process. */
class SnapshotHistogram extends Histogram<'tenant'> {
  #tenants: readonly TenantTotals[] = [];
  /** An unregistered twin that never observes: the metric's description, without its values. */
  readonly #shape: Histogram<'tenant'>;

  constructor(configuration: HistogramConfiguration<'tenant'>) {
    super(configuration);
    this.#shape = new Histogram({ ...configuration, registers: [] });
  }

  show(tenants: readonly TenantTotals[]): void {
    this.#tenants = tenants;
  }

  override async get() {
    const base = await this.#shape.get();
    const name = base.name;
    const values = this.#tenants.flatMap(({ tenant, durationBuckets, durationSumSeconds }) => {
      let cumulative = 0;
      const buckets = [...RUN_DURATION_BUCKETS_SECONDS, '+Inf' as const].map((le, index) => {
        cumulative += durationBuckets[index] ?? 0;
        return { labels: { tenant, le }, value: cumulative, metricName: `${name}_bucket` };
      });
      return [
        ...buckets,
        { labels: { tenant }, value: durationSumSeconds, metricName: `${name}_sum` },
        { labels: { tenant }, value: cumulative, metricName: `${name}_count` },
      ];
    });
    return { ...base, values };
  }

  /** What prom-client's registry prints a histogram from (absent from its typings). */
  getForPromString() {
    return this.get();
  }
}
