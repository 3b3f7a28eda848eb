import type { DirectoryChanges, DirectorySnapshot } from './directory.js';
import type { Failure } from './failure.js';
import { UpstreamError } from './upstream.js';

/** Counts the API calls and throttling a run caused, for its run record and metrics. */
export interface CallCounter {
  call(side: 'source' | 'target'): void;
  throttled(side: 'source' | 'target', waitMs: number): void;
}

/** One permission or reachability check of `test-connection`. */
export interface ConnectionCheck {
  readonly name: string;
  readonly ok: boolean;
  readonly message: string;
}

export interface IncrementalRead {
  readonly changes: DirectoryChanges;
  /** Opaque; stored by the run only after its ops are safely enqueued. */
  readonly cursor: string;
}

export interface FullRead {
  readonly snapshot: DirectorySnapshot;
  /** Where an incremental read can start next time; absent for sources without one. */
  readonly cursor?: string;
}

/** Thrown by `readChanges` when the cursor is no longer accepted; the run falls back to full. */
export class CursorExpiredError extends Error {
  override readonly name = 'CursorExpiredError';
}

/**
 * A failed read of a source directory, with what it means for the run: every connector throws its
 * failures as this (or `CursorExpiredError`), whatever its SDK threw.
 */
export class SourceError extends UpstreamError {
  override readonly name: string = 'SourceError';
  constructor(message: string, failure: Failure, details: SourceErrorDetails = {}) {
    const { status = 0, code, cause } = details;
    super(message, 'source', status, code, failure, cause === undefined ? undefined : { cause });
  }
}

/** What the source answered, when it answered, and the error its SDK threw. */
export interface SourceErrorDetails {
  readonly status?: number;
  readonly code?: string;
  readonly cause?: unknown;
}

/**
 * A source directory: what each connector under `connectors/` implements.
 * Every read either follows every page to the end or throws.
 */
export interface Source {
  readFull(): Promise<FullRead>;
  /**
   * Absent for sources that have no change feed (files): every run is then full. `records` is the
   * snapshot committed with `cursor`: the last-read state of each object, onto which a source whose
   * feed carries only what changed merges its items (the changes it returns name whole objects).
   */
  readChanges?(cursor: string, records: DirectorySnapshot): Promise<IncrementalRead>;
  /**
   * A narrow read for on-demand provisioning. Users are named by object id, userName
   * (UPN / login) or email, groups by object id or display name. The snapshot holds the named
   * users and groups, every member of a named group (nested groups with their members), the
   * groups a named user belongs to (transitively), and the assignments among them.
   */
  lookup(subjects: SubjectReferences): Promise<SubjectLookup>;
  /**
   * Users or groups whose name starts with `text`, ignoring case, at most `limit`, by the source's
   * own search: users by userName (UPN / login), email or display name (Okta: first or last
   * name), groups by display name. Not narrowed to the tenant's scope, like `lookup`: picking an
   * out-of-scope user shows why in its trace.
   */
  suggest(kind: SubjectKind, text: string, limit: number): Promise<Suggestion[]>;
  testConnection(): Promise<ConnectionCheck[]>;
}

export type SubjectKind = 'user' | 'group';

/** One candidate of a typeahead: what `lookup` takes (`name`) and what tells it apart (`detail`). */
export interface Suggestion {
  readonly id: string;
  /** The userName (UPN / login) of a user, the display name of a group. */
  readonly name: string;
  /** A user's display name and email, where they differ from `name`; empty for a group. */
  readonly detail: string;
}

export interface SubjectReferences {
  readonly users: readonly string[];
  readonly groups: readonly string[];
}

export interface SubjectLookup {
  readonly snapshot: DirectorySnapshot;
  /** Which source object each reference resolved to; unresolved references are absent. */
  readonly resolved: Readonly<Record<string, string>>;
  /** References whose lookup itself failed (not merely found nothing), with the source's reason. */
  readonly failed?: Readonly<Record<string, string>>;
}
