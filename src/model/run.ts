import type { RecordedFailure } from './failure.js';
import type { ObjectProblem, Op, OpKind } from './plan.js';

export type RunMode = 'full' | 'incremental';
export type RunTrigger = 'cli' | 'api' | 'schedule' | 'approve' | 'provision';

/**
 * queued → running → (held | applying) → succeeded | completedWithFailures | failed;
 * a held run becomes applying when approved, or expired when nobody approves it in time.
 */
export type RunStatus =
  | 'queued'
  | 'running'
  | 'held'
  | 'applying'
  | 'succeeded'
  | 'completedWithFailures'
  | 'failed'
  | 'expired';

export const FINISHED_STATUSES: readonly RunStatus[] = [
  'succeeded',
  'completedWithFailures',
  'failed',
  'expired',
];

export interface RunRequest {
  readonly runId: string;
  readonly tenant: string;
  readonly mode: RunMode;
  readonly dryRun: boolean;
  readonly trigger: RunTrigger;
}

export interface OpOutcomeCounts {
  planned: number;
  succeeded: number;
  failed: number;
}

/** A run's ops over every kind: planned, ended (succeeded or failed for good), failed. */
export function opTotals(counts: RunRecord['counts']): { planned: number; finished: number; failed: number } {
  let planned = 0;
  let finished = 0;
  let failed = 0;
  for (const count of Object.values(counts)) {
    planned += count.planned;
    finished += count.succeeded + count.failed;
    failed += count.failed;
  }
  return { planned, finished, failed };
}

export interface RunFailure {
  readonly objectType: 'user' | 'group' | 'run';
  readonly externalId?: string;
  readonly op?: OpKind;
  readonly reason: string;
  /** What the failure means (README, "Failure classes"); absent for problems found while planning. */
  readonly failureClass?: RecordedFailure;
}

export type RunPhase = 'import' | 'plan' | 'users' | 'groups' | 'done';

export interface RunRecord {
  readonly id: string;
  readonly tenant: string;
  readonly requestedMode: RunMode;
  /** What actually ran: an incremental request falls back to full when it must. */
  readonly mode: RunMode;
  readonly dryRun: boolean;
  readonly trigger: RunTrigger;
  readonly status: RunStatus;
  readonly createdAt: string;
  readonly startedAt?: string;
  readonly finishedAt?: string;
  readonly durationMs?: number;
  readonly fallbackReason?: string;
  readonly heldReason?: string;
  /** The run's own error when it failed as a whole (source unreadable, credentials refused …). */
  readonly error?: string;
  /**
   * What the run's error means: a `fatal` one counts toward quarantine. Absent on records stored
   * before failures carried their class.
   */
  readonly failureClass?: RecordedFailure;
  readonly phase?: RunPhase;
  /** Wall time of each phase that ended, in ms. */
  readonly phaseMs?: Partial<Record<RunPhase, number>>;
  readonly counts: Partial<Record<OpKind, OpOutcomeCounts>>;
  readonly apiCalls: { source: number; target: number };
  readonly throttled: { source: number; target: number };
  /** Group members the run's ops added and removed on the platform (a new group's members count as added). */
  readonly memberships?: { readonly added: number; readonly removed: number };
  readonly source?: { users: number; groups: number };
  readonly failures: readonly RunFailure[];
  readonly failureCount: number;
  /** The ops of a dry run, or of a held run, for operators to read. */
  readonly plan?: { readonly ops: readonly Op[]; readonly problems: readonly ObjectProblem[] };
}

/** One line of the provisioning log: an object touched or failed. */
export interface ProvisioningEvent {
  /** Ordered, opaque; pass it as `after` to read on. */
  readonly id: string;
  readonly runId: string;
  readonly at: string;
  readonly objectType: 'user' | 'group';
  readonly externalId: string;
  /** The platform's id of the object, when known. */
  readonly targetId?: string;
  /** The object's userName or displayName, what support staff search by. */
  readonly subject?: string;
  /** A user's work email, when the op carried it. */
  readonly email?: string;
  /** Absent when the object failed before an op was chosen (a matching conflict, say). */
  readonly op?: OpKind;
  readonly outcome: 'success' | 'failure' | 'skipped';
  readonly reason?: string;
  /**
   * The attributes the op sent: before and after for an update, the values set (no `from`) for a
   * create. Never a path that could hold a secret (see `mayHoldSecret`).
   */
  readonly changes?: readonly { path: string; from?: string | boolean; to?: string | boolean }[];
  /** The group members (externalIds) the op added or removed, the first ones listed. */
  readonly members?: EventMembers;
}

/** Members an event lists: at most MEMBERS_LISTED in all, `more` counting the rest. */
export interface EventMembers {
  readonly added: readonly string[];
  readonly removed: readonly string[];
  /** Members added or removed beyond those listed, so that an event stays small. */
  readonly more?: number;
}

export const MEMBERS_LISTED = 50;

/** The members an op added and removed, as an event lists them; nothing when there were none. */
export function eventMembers(added: readonly string[], removed: readonly string[]): EventMembers | undefined {
  if (added.length + removed.length === 0) return undefined;
  const listedAdded = added.slice(0, MEMBERS_LISTED);
  const listedRemoved = removed.slice(0, MEMBERS_LISTED - listedAdded.length);
  const more = added.length + removed.length - listedAdded.length - listedRemoved.length;
  return { added: listedAdded, removed: listedRemoved, ...(more > 0 ? { more } : {}) };
}

/**
 * Whether an attribute path could hold a secret (a mapping may target `password`): its values are
 * never logged nor shown, whatever the mapping.
 */
export function mayHoldSecret(path: string): boolean {
  return path
    .toLowerCase()
    .split(/[.:[\]\s]/)
    .includes('password');
}
