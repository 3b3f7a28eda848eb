import { OktaApiError } from '@okta/okta-sdk-nodejs';
import { UpstreamError } from '../../src/model/upstream.js';

/**
 * The SDK's errors as the source's `UpstreamError`: Okta's status and errorCode, the resource
 * path without its query. Anything else (a cursor that expired, a bug) passes through as it is.
 */
export function asSourceError(error: unknown): unknown {
  if (error instanceof UpstreamError) return error;
  if (error instanceof OktaApiError)
    return new UpstreamError(
      `Okta GET ${pathOf(error.url)} failed: ${error.message}`,
      'source',
      error.status,
      error.errorCode === undefined ? undefined : String(error.errorCode),
    );
  // The SDK's HttpError (a non-JSON error answer) is not exported: known by its name and status.
  if (error instanceof Error && error.name === 'HttpError') {
    const { status, url } = error as Error & { status?: unknown; url?: unknown };
    if (typeof status === 'number' || typeof status === 'string')
      return new UpstreamError(
        `Okta GET ${typeof url === 'string' ? pathOf(url) : ''} failed with HTTP ${status}`,
        'source',
        Number(status) || 0,
      );
  }
  return error;
}

export async function asSourceFailure<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    throw asSourceError(error);
  }
}

function pathOf(url: string): string {
  return url.replace(/^https?:\/\/[^/]+/, '').split('?')[0] ?? '';
}
