import type { OpKind } from '../../src/model/plan.js';
import type { OpOutcomeCounts, ProvisioningEvent, RunFailure, RunRecord } from '../../src/model/run.js';
import { LeaseLostError } from '../../src/runs/errors.js';
import { scanEvents } from '../../src/runs/eventScan.js';
import { OpProgress } from '../../src/runs/opProgress.js';
import type { ObjectKind, OwnershipChanges } from '../../src/runs/ownershipChanges.js';
import type {
  EventLog,
  EventPage,
  EventQuery,
  HeldPlans,
  HeldRun,
  PendingOps,
  RunLease,
  RunPatch,
  RunStore,
  SourceCheckpoint,
  Stores,
  TenantLock,
  TenantState,
  WriteBatch,
} from '../../src/runs/ports.js';

/**
 * The run's stores in memory, for unit tests of the pipeline: the same ports as the Redis adapter
 * (src/runs/redis), with none of its persistence. A batch's writes apply together at `exec`.
 */
class MemoryWriteBatch implements WriteBatch {
  readonly #writes: (() => void)[] = [];

  add(write: () => void): void {
    this.#writes.push(write);
  }

  async exec(): Promise<void> {
    for (const write of this.#writes.splice(0)) write();
  }
}

function inBatch(batch: WriteBatch | undefined, write: () => void): void {
  if (!batch) {
    write();
    return;
  }
  if (!(batch instanceof MemoryWriteBatch))
    throw new Error('a memory store was handed a batch of another store');
  batch.add(write);
}

const runKey = (tenant: string, runId: string) => `${tenant}/${runId}`;

class MemoryRunStore implements RunStore {
  readonly #records = new Map<string, RunRecord>();
  readonly #counts = new Map<string, Map<string, number>>();
  readonly #failures = new Map<string, RunFailure[]>();

  async create(record: RunRecord): Promise<void> {
    this.#records.set(runKey(record.tenant, record.id), record);
  }

  async update(tenant: string, runId: string, patch: RunPatch): Promise<RunRecord> {
    const current = this.#records.get(runKey(tenant, runId));
    if (!current) throw new Error(`run ${runId} of tenant ${tenant} does not exist`);
    const next = { ...current, ...patch };
    this.#records.set(runKey(tenant, runId), next);
    return next;
  }

  async get(tenant: string, runId: string): Promise<RunRecord | undefined> {
    const record = this.#records.get(runKey(tenant, runId));
    if (!record) return undefined;
    const count = (field: string) => this.#counter(tenant, runId).get(field) ?? 0;
    const counts: Partial<Record<OpKind, OpOutcomeCounts>> = {};
    for (const [field, value] of this.#counter(tenant, runId)) {
      const [kind, outcome] = field.split(':') as [OpKind, string];
      if (outcome !== 'planned' && outcome !== 'succeeded' && outcome !== 'failed') continue;
      counts[kind] = { ...(counts[kind] ?? { planned: 0, succeeded: 0, failed: 0 }), [outcome]: value };
    }
    const failures = this.#failures.get(runKey(tenant, runId)) ?? [];
    return {
      ...record,
      counts,
      apiCalls: {
        source: record.apiCalls.source + count('calls:source'),
        target: record.apiCalls.target + count('calls:target'),
      },
      throttled: {
        source: record.throttled.source + count('throttled:source'),
        target: record.throttled.target + count('throttled:target'),
      },
      memberships: { added: count('members:added'), removed: count('members:removed') },
      failures: [...failures],
      failureCount: count('failures'),
    };
  }

  async list(tenant: string, limit = 20): Promise<RunRecord[]> {
    const records = [...this.#records.values()].filter((record) => record.tenant === tenant).reverse();
    return Promise.all(records.slice(0, limit).map(async (record) => (await this.get(tenant, record.id))!));
  }

  async countPlanned(tenant: string, runId: string, planned: Partial<Record<OpKind, number>>): Promise<void> {
    for (const [kind, count] of Object.entries(planned)) this.#add(tenant, runId, `${kind}:planned`, count);
  }

  async countOutcome(
    tenant: string,
    runId: string,
    kind: OpKind,
    outcome: 'succeeded' | 'failed',
    batch?: WriteBatch,
    count = 1,
  ): Promise<void> {
    inBatch(batch, () => this.#add(tenant, runId, `${kind}:${outcome}`, count));
  }

  async countCalls(
    tenant: string,
    runId: string,
    calls: { target: number; throttledTarget: number },
    batch?: WriteBatch,
  ): Promise<void> {
    inBatch(batch, () => {
      this.#add(tenant, runId, 'calls:target', calls.target);
      this.#add(tenant, runId, 'throttled:target', calls.throttledTarget);
    });
  }

  async countMembers(
    tenant: string,
    runId: string,
    members: { readonly added: number; readonly removed: number },
    batch?: WriteBatch,
  ): Promise<void> {
    inBatch(batch, () => {
      this.#add(tenant, runId, 'members:added', members.added);
      this.#add(tenant, runId, 'members:removed', members.removed);
    });
  }

  async addFailure(tenant: string, runId: string, failure: RunFailure, batch?: WriteBatch): Promise<void> {
    inBatch(batch, () => {
      this.#add(tenant, runId, 'failures', 1);
      const failures = this.#failures.get(runKey(tenant, runId)) ?? [];
      failures.push(failure);
      this.#failures.set(runKey(tenant, runId), failures);
    });
  }

  async finishedOps(tenant: string, runId: string): Promise<number> {
    let finished = 0;
    for (const [field, value] of this.#counter(tenant, runId)) {
      if (field.endsWith(':succeeded') || field.endsWith(':failed')) finished += value;
    }
    return finished;
  }

  #counter(tenant: string, runId: string): Map<string, number> {
    const key = runKey(tenant, runId);
    let counter = this.#counts.get(key);
    if (!counter) {
      counter = new Map();
      this.#counts.set(key, counter);
    }
    return counter;
  }

  #add(tenant: string, runId: string, field: string, increment: number): void {
    const counter = this.#counter(tenant, runId);
    counter.set(field, (counter.get(field) ?? 0) + increment);
  }
}

class MemoryEventLog implements EventLog {
  readonly #events = new Map<string, ProvisioningEvent[]>();
  #sequence = 0;

  async append(tenant: string, event: Omit<ProvisioningEvent, 'id'>, batch?: WriteBatch): Promise<void> {
    await this.appendAll(tenant, [event], batch);
  }

  async appendAll(
    tenant: string,
    events: readonly Omit<ProvisioningEvent, 'id'>[],
    batch?: WriteBatch,
  ): Promise<void> {
    inBatch(batch, () => {
      const log = this.#events.get(tenant) ?? [];
      for (const event of events) log.push({ id: `${Date.now()}-${++this.#sequence}`, ...event });
      this.#events.set(tenant, log);
    });
  }

  cursorAt(time: Date): string {
    return `${time.getTime() - 1}-${Number.MAX_SAFE_INTEGER}`;
  }

  /** Ids are `<ms>-<sequence>`, ordered by both, as a Redis stream's. */
  async read(tenant: string, query: EventQuery = {}): Promise<EventPage> {
    const log = this.#events.get(tenant) ?? [];
    const newest = query.order === 'newest';
    const ordered = newest ? [...log].reverse() : log;
    const past = (id: string, from: string) => (newest ? laterThan(from, id) : laterThan(id, from));
    return scanEvents(query, async (from, count) =>
      ordered.filter((event) => from === undefined || past(event.id, from)).slice(0, count),
    );
  }
}

function laterThan(id: string, cursor: string): boolean {
  const [ms, sequence] = id.split('-').map(Number) as [number, number];
  const [afterMs, afterSequence] = cursor.split('-').map(Number) as [number, number];
  return ms > afterMs || (ms === afterMs && sequence > afterSequence);
}

class MemoryTenantState implements TenantState {
  readonly #checkpoints = new Map<string, SourceCheckpoint>();
  readonly #owned = new Map<string, { users: Set<string>; groups: Set<string> }>();
  readonly #links = new Map<string, Map<string, string>>();
  readonly #retries = new Map<string, Set<string>>();

  async checkpoint(tenant: string): Promise<SourceCheckpoint | undefined> {
    return this.#checkpoints.get(tenant);
  }

  async commitCheckpoint(tenant: string, checkpoint: SourceCheckpoint): Promise<void> {
    this.#checkpoints.set(tenant, checkpoint);
  }

  async cursorCommittedAt(tenant: string): Promise<string | undefined> {
    return this.#checkpoints.get(tenant)?.committedAt;
  }

  async reset(tenant: string): Promise<void> {
    this.#checkpoints.delete(tenant);
  }

  async owned(tenant: string): Promise<{ users: Set<string>; groups: Set<string> }> {
    const owned = this.#ownedOf(tenant);
    return { users: new Set(owned.users), groups: new Set(owned.groups) };
  }

  async own(tenant: string, kind: ObjectKind, externalId: string, platformId: string): Promise<void> {
    (kind === 'user' ? this.#ownedOf(tenant).users : this.#ownedOf(tenant).groups).add(externalId);
    this.#linksOf(tenant, kind).set(externalId, platformId);
  }

  async disown(tenant: string, kind: ObjectKind, externalId: string): Promise<void> {
    (kind === 'user' ? this.#ownedOf(tenant).users : this.#ownedOf(tenant).groups).delete(externalId);
    this.#linksOf(tenant, kind).delete(externalId);
  }

  queueOwnership(tenant: string, changes: OwnershipChanges, batch: WriteBatch): void {
    inBatch(batch, () => {
      for (const kind of ['user', 'group'] as const) {
        for (const [externalId, platformId] of changes.owned[kind])
          void this.own(tenant, kind, externalId, platformId);
        for (const externalId of changes.disowned[kind]) void this.disown(tenant, kind, externalId);
      }
    });
  }

  async userLinks(tenant: string, externalIds: readonly string[]): Promise<Map<string, string>> {
    return this.#linksFor(tenant, 'user', externalIds);
  }

  async groupLinks(tenant: string, externalIds: readonly string[]): Promise<Map<string, string>> {
    return this.#linksFor(tenant, 'group', externalIds);
  }

  async rememberLinks(tenant: string, kind: ObjectKind, links: ReadonlyMap<string, string>): Promise<void> {
    for (const [externalId, platformId] of links) this.#linksOf(tenant, kind).set(externalId, platformId);
  }

  async forgetLink(tenant: string, kind: ObjectKind, externalId: string): Promise<void> {
    this.#linksOf(tenant, kind).delete(externalId);
  }

  async markForRetry(
    tenant: string,
    kind: ObjectKind,
    externalId: string,
    batch?: WriteBatch,
  ): Promise<void> {
    inBatch(batch, () => {
      const retries = this.#retries.get(tenant) ?? new Set();
      retries.add(`${kind}:${externalId}`);
      this.#retries.set(tenant, retries);
    });
  }

  async takeRetries(tenant: string): Promise<{ users: string[]; groups: string[] }> {
    const entries = [...(this.#retries.get(tenant) ?? [])];
    this.#retries.delete(tenant);
    return {
      users: entries.filter((entry) => entry.startsWith('user:')).map((entry) => entry.slice(5)),
      groups: entries.filter((entry) => entry.startsWith('group:')).map((entry) => entry.slice(6)),
    };
  }

  #ownedOf(tenant: string): { users: Set<string>; groups: Set<string> } {
    let owned = this.#owned.get(tenant);
    if (!owned) {
      owned = { users: new Set(), groups: new Set() };
      this.#owned.set(tenant, owned);
    }
    return owned;
  }

  #linksOf(tenant: string, kind: ObjectKind): Map<string, string> {
    const key = `${tenant}/${kind}`;
    let links = this.#links.get(key);
    if (!links) {
      links = new Map();
      this.#links.set(key, links);
    }
    return links;
  }

  #linksFor(tenant: string, kind: ObjectKind, externalIds: readonly string[]): Map<string, string> {
    const links = this.#linksOf(tenant, kind);
    return new Map(externalIds.flatMap((id) => (links.has(id) ? [[id, links.get(id)!] as const] : [])));
  }
}

class MemoryPendingOps implements PendingOps {
  readonly #pending = new Map<string, Set<string>>();

  async any(tenant: string): Promise<boolean> {
    return (this.#pending.get(tenant)?.size ?? 0) > 0;
  }

  async pending(tenant: string, opIds: readonly string[]): Promise<Set<string>> {
    const pending = this.#pending.get(tenant);
    return new Set(opIds.filter((id) => pending?.has(id)));
  }

  async add(tenant: string, opIds: readonly string[]): Promise<void> {
    const pending = this.#pending.get(tenant) ?? new Set();
    for (const id of opIds) pending.add(id);
    this.#pending.set(tenant, pending);
  }

  async end(tenant: string, opIds: readonly string[], batch?: WriteBatch): Promise<void> {
    inBatch(batch, () => {
      for (const id of opIds) this.#pending.get(tenant)?.delete(id);
    });
  }
}

class MemoryHeldPlans implements HeldPlans {
  readonly #plans = new Map<string, { held: HeldRun; until: number }>();

  async store(tenant: string, runId: string, held: HeldRun, expiresInSeconds: number): Promise<void> {
    this.#plans.set(runKey(tenant, runId), {
      held,
      until: Date.now() + Math.max(1, expiresInSeconds) * 1000,
    });
  }

  async load(tenant: string, runId: string): Promise<HeldRun | undefined> {
    const stored = this.#plans.get(runKey(tenant, runId));
    return stored && stored.until > Date.now() ? stored.held : undefined;
  }
}

/** Leases in memory; `take` lets a test play another holder taking a tenant mid-run. */
export class MemoryTenantLock implements TenantLock {
  readonly #holders = new Map<string, { holder: string; lost: AbortController }>();

  async acquire(tenant: string, holder: string): Promise<RunLease | undefined> {
    if (this.#holders.has(tenant)) return undefined;
    const lost = new AbortController();
    this.#holders.set(tenant, { holder, lost });
    return {
      lost: lost.signal,
      release: async () => {
        if (this.#holders.get(tenant)?.lost === lost) this.#holders.delete(tenant);
      },
    };
  }

  async holder(tenant: string): Promise<string | undefined> {
    return this.#holders.get(tenant)?.holder;
  }

  /** Another holder takes the tenant: the current holder's lease is lost. */
  take(tenant: string, holder: string): void {
    this.#holders.get(tenant)?.lost.abort(new LeaseLostError('another holder has it, or it ran out'));
    this.#holders.set(tenant, { holder, lost: new AbortController() });
  }
}

export interface MemoryStores extends Stores {
  readonly lock: MemoryTenantLock;
}

export function memoryStores(): MemoryStores {
  return {
    runs: new MemoryRunStore(),
    events: new MemoryEventLog(),
    state: new MemoryTenantState(),
    lock: new MemoryTenantLock(),
    pendingOps: new MemoryPendingOps(),
    heldPlans: new MemoryHeldPlans(),
    progress: new OpProgress(),
    batch: () => new MemoryWriteBatch(),
  };
}
