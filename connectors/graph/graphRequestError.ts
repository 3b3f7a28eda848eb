import { GraphError } from '@microsoft/microsoft-graph-client';
import { UpstreamError } from '../../src/model/upstream.js';

/**
 * A failed Graph call, named by method, resource path (never the query, which can carry tokens)
 * and Graph's error code, so that run records say what to fix.
 */
export class GraphRequestError extends UpstreamError {
  override readonly name = 'GraphRequestError';

  constructor(message: string, status: number, code: string | undefined) {
    super(message, 'source', status, code);
  }

  /** Graph's answer to a delta token it no longer knows: the caller restarts with a full read. */
  get isCursorExpired(): boolean {
    const code = this.code?.toLowerCase();
    return this.status === 410 || code === 'syncstatenotfound' || code === 'resyncrequired';
  }

  get isNotFound(): boolean {
    return this.status === 404;
  }

  get isForbidden(): boolean {
    return this.status === 403;
  }
}

export function toGraphRequestError(error: unknown, path: string): GraphRequestError {
  const resource = path.replace(/^https:\/\/[^/]+/, '').split('?')[0] ?? path;
  if (error instanceof GraphError && error.statusCode > 0) {
    const code = error.code ?? undefined;
    const status = code === undefined ? `${error.statusCode}` : `${error.statusCode} ${code}`;
    return new GraphRequestError(
      `Graph GET ${resource} failed: ${status}: ${error.message}`,
      error.statusCode,
      code,
    );
  }
  const cause = error instanceof Error ? error.message : String(error);
  return new GraphRequestError(`Graph GET ${resource} failed: ${cause}`, 0, undefined);
}
