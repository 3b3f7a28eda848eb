/**
 * What a failed call means for a sync, whoever answered it:
 * - `transient`: try again after a backoff;
 * - `throttled`: the server asked for patience (Retry-After); the same call goes again after it;
 * - `badRequest`: what was asked or read is malformed: that object, or that read, fails;
 * - `notFound`: the object is gone: recreate it or drop its link;
 * - `conflict`: it exists already: adopt it or report;
 * - `fatal`: credentials, reachability or configuration: the run stops, and the next one cannot
 *   fix it alone, so it counts toward quarantine.
 */
export type FailureClass = 'transient' | 'throttled' | 'badRequest' | 'notFound' | 'conflict' | 'fatal';

/** Why a fatal failure needs somebody: new credentials, a network path, or a configuration change. */
export type FatalCause = 'credentials' | 'unreachable' | 'configuration';

export type Failure =
  | { readonly class: Exclude<FailureClass, 'fatal'> }
  | { readonly class: 'fatal'; readonly cause: FatalCause };

/**
 * A failure as a run record, an op's failure entry and the API show it: one of the classes above,
 * or `internal` for a fault of dirsync's own (a bug), which stops what it hit but is no reason to
 * quarantine a tenant.
 */
export type RecordedFailure = Failure | { readonly class: 'internal' };

/** The fatal cause a recorded failure names, if it is fatal. */
export function fatalCauseOf(failure: RecordedFailure): FatalCause | undefined {
  return failure.class === 'fatal' ? failure.cause : undefined;
}

/** An HTTP answer's status as a failure. */
export function failureOfStatus(status: number): Failure {
  if (status === 401 || status === 403) return { class: 'fatal', cause: 'credentials' };
  if (status === 404 || status === 410) return { class: 'notFound' };
  if (status === 409) return { class: 'conflict' };
  if (status === 429 || status === 503) return { class: 'throttled' };
  if (status >= 500 || status === 408) return { class: 'transient' };
  return { class: 'badRequest' };
}
