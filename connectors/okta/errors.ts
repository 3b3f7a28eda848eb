import { OktaApiError } from '@okta/okta-sdk-nodejs';
import { failureWithoutAnswer } from '../../src/http/failureWithoutAnswer.js';
import { type Failure, failureOfStatus } from '../../src/model/failure.js';
import { SourceError } from '../../src/model/source.js';
import { UpstreamError } from '../../src/model/upstream.js';

/**
 * The org's authorization server refused to issue an access token. The SDK 8.1 does not check
 * the token response (its error filter is undefined in oauth.js) and would send
 * `Bearer undefined`, so the refusal surfaces here, with Okta's reason.
 */
export class OktaTokenRequestError extends SourceError {
  override readonly name = 'OktaTokenRequestError';
  constructor(
    status: number,
    readonly error: string,
    readonly description: string,
  ) {
    super(
      `Okta refused the OAuth token request (HTTP ${status} ${error}${description ? `: ${description}` : ''})`,
      { class: 'fatal', cause: 'credentials' },
      { status, code: error },
    );
  }
}

/** The parts of the SDK's `OktaApiError` and `HttpError` that say what went wrong. */
export interface OktaFailure {
  readonly status?: number;
  readonly errorCode?: string;
  readonly errorSummary?: string;
}

export function oktaFailureOf(error: unknown): OktaFailure {
  return (typeof error === 'object' && error !== null ? error : {}) as OktaFailure;
}

/** Okta refuses the token or its permissions: nothing else asked of it can succeed either. */
export function isRefused(error: unknown): boolean {
  const { status } = oktaFailureOf(error);
  return status === 401 || status === 403;
}

/** Okta answers 404 with E0000007 for an unknown id. */
export function isNotFound(error: unknown): boolean {
  return oktaFailureOf(error).status === 404;
}

/** What a failure the SDK threw means for the run: by the status Okta answered, if it answered. */
export function oktaFailureClass(error: unknown): Failure {
  const { status } = oktaFailureOf(error);
  return typeof status === 'number' && status > 0 ? failureOfStatus(status) : failureWithoutAnswer(error);
}

/**
 * The SDK's errors as the source's `UpstreamError`: Okta's status and errorCode, the resource
 * path without its query. Anything else (a cursor that expired, a bug) passes through as it is.
 */
export function oktaSourceError(error: unknown): unknown {
  if (error instanceof UpstreamError) return error;
  if (error instanceof OktaApiError)
    return new SourceError(
      `Okta GET ${pathOf(error.url)} failed: ${error.message}`,
      oktaFailureClass(error),
      {
        status: error.status,
        ...(error.errorCode !== undefined && { code: String(error.errorCode) }),
        cause: error,
      },
    );
  // The SDK's HttpError (a non-JSON error answer) is not exported: known by its name and status.
  if (error instanceof Error && error.name === 'HttpError') {
    const { status, url } = error as Error & { status?: unknown; url?: unknown };
    if (typeof status === 'number' || typeof status === 'string')
      return new SourceError(
        `Okta GET ${typeof url === 'string' ? pathOf(url) : ''} failed with HTTP ${status}`,
        oktaFailureClass(error),
        { status: Number(status) || 0, cause: error },
      );
  }
  return error;
}

function pathOf(url: string): string {
  return url.replace(/^https?:\/\/[^/]+/, '').split('?')[0] ?? '';
}
