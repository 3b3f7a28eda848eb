import type { DirectorySnapshot } from '../model/directory.js';
import type { OpKind, Plan } from '../model/plan.js';
import type { ProvisioningEvent, RunFailure, RunRecord } from '../model/run.js';
import type { OpProgress } from './opProgress.js';
import type { ObjectKind, OwnershipChanges } from './ownershipChanges.js';

/**
 * Where a run's state lives, as the pipeline and provision on demand see it: ports, with one
 * Redis adapter (src/runs/redis) and, for unit tests of the pipeline, one in memory.
 */

/**
 * Writes of several stores about one event, applied together by `exec` (one MULTI in Redis). A
 * batch is the adapter's own: it is handed only to stores of the set that made it.
 */
export interface WriteBatch {
  exec(): Promise<void>;
}

export type RunPatch = Partial<Omit<RunRecord, 'id' | 'tenant' | 'counts' | 'failures' | 'failureCount'>>;

/**
 * Run records. The record itself is written by the run only; op workers add to its counters and
 * failures, which are merged in when the record is read.
 */
export interface RunStore {
  create(record: RunRecord): Promise<void>;
  update(tenant: string, runId: string, patch: RunPatch): Promise<RunRecord>;
  get(tenant: string, runId: string): Promise<RunRecord | undefined>;
  /** Newest first. */
  list(tenant: string, limit?: number): Promise<RunRecord[]>;
  countPlanned(tenant: string, runId: string, planned: Partial<Record<OpKind, number>>): Promise<void>;
  countOutcome(
    tenant: string,
    runId: string,
    kind: OpKind,
    outcome: 'succeeded' | 'failed',
    batch?: WriteBatch,
    count?: number,
  ): Promise<void>;
  countCalls(
    tenant: string,
    runId: string,
    calls: { target: number; throttledTarget: number },
    batch?: WriteBatch,
  ): Promise<void>;
  /** Group members a batch's ops added and removed on the platform. */
  countMembers(
    tenant: string,
    runId: string,
    members: { readonly added: number; readonly removed: number },
    batch?: WriteBatch,
  ): Promise<void>;
  addFailure(tenant: string, runId: string, failure: RunFailure, batch?: WriteBatch): Promise<void>;
  /** Ops of this run that reached an end (succeeded or failed for good). */
  finishedOps(tenant: string, runId: string): Promise<number>;
}

export type EventOutcome = ProvisioningEvent['outcome'];

export interface EventQuery {
  /**
   * Part of the object's name, case-insensitive: its userName, email, group displayName, source
   * id (externalId) or platform id.
   */
  readonly subject?: string;
  readonly runId?: string;
  readonly outcome?: EventOutcome;
  /** `oldest` (the default) reads on with `after`; `newest` reads back in time with `before`. */
  readonly order?: 'oldest' | 'newest';
  /** An event id: read the events after it (oldest first). */
  readonly after?: string;
  /** An event id: read the events before it (newest first). */
  readonly before?: string;
  readonly limit?: number;
}

/** A page of the provisioning log. */
export interface EventPage {
  readonly events: ProvisioningEvent[];
  /** The cursor to read on from: `after` oldest first, `before` newest first. */
  readonly next?: string;
  /**
   * The read examined its most entries (EVENT_SCAN_BOUND) before the page filled: more matching
   * events may lie beyond `next`.
   */
  readonly scanLimited?: true;
}

/** The provisioning log: a tenant's events in order; an event's id is the cursor a reader passes back. */
export interface EventLog {
  append(tenant: string, event: Omit<ProvisioningEvent, 'id'>, batch?: WriteBatch): Promise<void>;
  appendAll(
    tenant: string,
    events: readonly Omit<ProvisioningEvent, 'id'>[],
    batch?: WriteBatch,
  ): Promise<void>;
  read(tenant: string, query?: EventQuery): Promise<EventPage>;
  /** An `after` cursor from which a read returns the events logged at `time` or later. */
  cursorAt(time: Date): string;
}

/** What the last committed run saw of the source, for the next incremental run to start from. */
export interface SourceCheckpoint {
  readonly cursor?: string;
  readonly snapshot: DirectorySnapshot;
  readonly committedAt: string;
}

/**
 * A tenant's durable state between runs: the source checkpoint, which platform objects it owns,
 * the link cache of platform ids it knows (every full run re-reads the platform), and the objects
 * a failed op left behind for the next incremental run.
 */
export interface TenantState {
  checkpoint(tenant: string): Promise<SourceCheckpoint | undefined>;
  /** Written only once a run's ops are safely enqueued. */
  commitCheckpoint(tenant: string, checkpoint: SourceCheckpoint): Promise<void>;
  cursorCommittedAt(tenant: string): Promise<string | undefined>;
  /** Forgets the cursor and snapshot so the next run is full; ownership and links stay. */
  reset(tenant: string): Promise<void>;
  owned(tenant: string): Promise<{ users: Set<string>; groups: Set<string> }>;
  own(tenant: string, kind: ObjectKind, externalId: string, platformId: string): Promise<void>;
  disown(tenant: string, kind: ObjectKind, externalId: string): Promise<void>;
  /** Adds the ownership changes (and the links they make or drop) to `batch`. */
  queueOwnership(tenant: string, changes: OwnershipChanges, batch: WriteBatch): void;
  /** Platform ids of users by externalId, as last seen; absent ones are unknown. */
  userLinks(tenant: string, externalIds: readonly string[]): Promise<Map<string, string>>;
  groupLinks(tenant: string, externalIds: readonly string[]): Promise<Map<string, string>>;
  /** Records the links a full run read, so workers resolve members without a lookup. */
  rememberLinks(tenant: string, kind: ObjectKind, links: ReadonlyMap<string, string>): Promise<void>;
  forgetLink(tenant: string, kind: ObjectKind, externalId: string): Promise<void>;
  markForRetry(tenant: string, kind: ObjectKind, externalId: string, batch?: WriteBatch): Promise<void>;
  /** Takes the objects left for retry; the run that takes them plans them again. */
  takeRetries(tenant: string): Promise<{ users: string[]; groups: string[] }>;
}

/**
 * The ops of a tenant that are enqueued and not yet ended, by op id: a run that plans an op
 * already pending adds no duplicate and waits for it instead.
 */
export interface PendingOps {
  /** Whether any op of the tenant is pending (or stale, which `pending` then sorts out). */
  any(tenant: string): Promise<boolean>;
  /** Which of `opIds` are pending now. */
  pending(tenant: string, opIds: readonly string[]): Promise<Set<string>>;
  add(tenant: string, opIds: readonly string[]): Promise<void>;
  /** Ops that ended (succeeded, or failed for good). */
  end(tenant: string, opIds: readonly string[], batch?: WriteBatch): Promise<void>;
}

/** A plan a safety guard held, with the checkpoint its run commits once approved and applied. */
export interface HeldRun {
  readonly plan: Plan;
  readonly checkpoint: SourceCheckpoint;
}

/** Held plans, each kept until it is approved or expires. */
export interface HeldPlans {
  store(tenant: string, runId: string, held: HeldRun, expiresInSeconds: number): Promise<void>;
  /** The held plan, or undefined once it has expired (or was never stored). */
  load(tenant: string, runId: string): Promise<HeldRun | undefined>;
}

/** A run's hold on its tenant. */
export interface RunLease {
  /** Aborted, with a LeaseLostError, once the lease is no longer the run's: the run must stop. */
  readonly lost: AbortSignal;
  release(): Promise<void>;
}

/** At most one run per tenant at a time, across every process. */
export interface TenantLock {
  /** The lease, or undefined when another run holds it. */
  acquire(tenant: string, holder: string): Promise<RunLease | undefined>;
  /** Which run holds the tenant, if any. */
  holder(tenant: string): Promise<string | undefined>;
}

/** The stores a run works with, every one a port. */
export interface Stores {
  readonly runs: RunStore;
  readonly events: EventLog;
  readonly state: TenantState;
  readonly lock: TenantLock;
  readonly pendingOps: PendingOps;
  readonly heldPlans: HeldPlans;
  /** In this process only: how a run hears of its ops ending without waiting for its next poll. */
  readonly progress: OpProgress;
  /** A new batch of writes for these stores. */
  batch(): WriteBatch;
}
