import { OktaApiError } from '@okta/okta-sdk-nodejs';
import { SourceError } from '../../src/model/source.js';
import { UpstreamError } from '../../src/model/upstream.js';
import { oktaFailureClass } from './errors.js';

/**
 * The SDK's errors as the source's `UpstreamError`: Okta's status and errorCode, the resource
 * path without its query. Anything else (a cursor that expired, a bug) passes through as it is.
 */
export function asSourceError(error: unknown): unknown {
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
