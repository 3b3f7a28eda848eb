import { GraphError } from '@microsoft/microsoft-graph-client';
import { failureWithoutAnswer } from '../../src/http/failureWithoutAnswer.js';
import { type Failure, failureOfStatus } from '../../src/model/failure.js';
import { SourceError } from '../../src/model/source.js';

/**
 * A failed Graph call, named by method, resource path (never the query, which can carry tokens)
 * and Graph's error code, so that run records say what to fix.
 */
export class GraphRequestError extends SourceError {
  override readonly name = 'GraphRequestError';

  /** `status` is 0 when no answer came (network, token acquisition). */
  constructor(
    message: string,
    status: number,
    code: string | undefined,
    failure: Failure = failureOfStatus(status),
  ) {
    super(message, failure, { status, ...(code !== undefined && { code }) });
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

export function toGraphRequestError(error: unknown, path: string, method = 'GET'): GraphRequestError {
  const resource = resourceOf(path);
  if (error instanceof GraphError && error.statusCode > 0) {
    const code = error.code ?? undefined;
    const status = code === undefined ? `${error.statusCode}` : `${error.statusCode} ${code}`;
    return new GraphRequestError(
      `Graph ${method} ${resource} failed: ${status}: ${error.message}`,
      error.statusCode,
      code,
    );
  }
  const cause = error instanceof Error ? error.message : String(error);
  return new GraphRequestError(
    `Graph ${method} ${resource} failed: ${cause}`,
    0,
    undefined,
    failureWithoutAnswer(error),
  );
}

/** A GET inside a `$batch` that failed on its own; `body` is its answer (Graph's error envelope). */
export function batchItemError(path: string, status: number, body: unknown): GraphRequestError {
  const error = (body as { error?: { code?: unknown; message?: unknown } } | undefined)?.error ?? body;
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  const named = typeof code === 'string' ? code : undefined;
  const label = [status > 0 ? String(status) : undefined, named].filter(Boolean).join(' ');
  const detail = typeof message === 'string' ? message : 'no reason given';
  return new GraphRequestError(
    `Graph GET ${resourceOf(path)} (in $batch) failed: ${label ? `${label}: ` : ''}${detail}`,
    status,
    named,
    status > 0 ? failureOfStatus(status) : { class: 'transient' },
  );
}

function resourceOf(path: string): string {
  return path.replace(/^https:\/\/[^/]+/, '').split('?')[0] ?? path;
}
