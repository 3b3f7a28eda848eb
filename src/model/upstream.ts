import { type Failure, failureOfStatus } from './failure.js';

/** Which side of a sync answered with an error: the platform's SCIM endpoint or the identity source. */
export type UpstreamOrigin = 'platform' | 'source';

/**
 * A call to the platform or the source that was answered with an error, or not answered: not a
 * fault of dirsync's own. The admin API answers it with 502 and these fields, never as `internal`.
 * Messages name the call and the remote reason, never credentials.
 */
export class UpstreamError extends Error {
  /** What the failure means for the sync (README, "Failure classes"): by its status unless told. */
  readonly failure: Failure;

  constructor(
    message: string,
    readonly origin: UpstreamOrigin,
    /** The HTTP status the remote answered; 0 when no answer came (network, timeout). */
    readonly status: number,
    /** The remote's own error code: SCIM `scimType`, Graph `error.code`, Okta `errorCode`. */
    readonly code?: string,
    failure?: Failure,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.failure = failure ?? failureOfStatus(status);
  }
}

/** What the admin API (502) and the CLI (`--json`) answer for an UpstreamError. */
export interface UpstreamAnswer {
  readonly error: UpstreamOrigin;
  readonly status: number;
  /** The platform's SCIM scimType. */
  readonly scimType?: string;
  /** The source's error code. */
  readonly code?: string;
  /** The remote's reason as dirsync reported it, bounded in size. */
  readonly detail: string;
}

/** Enough of the remote's reason to act on, not a whole error page. */
const MAX_DETAIL = 500;

export function upstreamAnswer(failure: {
  readonly origin: UpstreamOrigin;
  readonly status: number;
  readonly code?: string;
  readonly message: string;
}): UpstreamAnswer {
  const line = failure.message.replace(/\s+/g, ' ').trim();
  const codeField = failure.origin === 'platform' ? 'scimType' : 'code';
  return {
    error: failure.origin,
    status: failure.status,
    ...(failure.code !== undefined && { [codeField]: failure.code }),
    detail: line.length <= MAX_DETAIL ? line : `${line.slice(0, MAX_DETAIL - 1)}…`,
  };
}
