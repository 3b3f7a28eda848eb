import type { CallRecord, EmulatedRequest, EmulatedResponse, Route, Router } from '../https/httpsServer.js';
import { graphError, throttled } from './graphErrors.js';

/** Graph's limit on the requests of one JSON batch. */
export const MAX_BATCH_REQUESTS = 20;

interface BatchedRequest {
  readonly id: string;
  readonly method: string;
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: unknown;
}

/** Trouble injected into the requests inside batches, which the server's own faults never reach. */
export class BatchItemFaults {
  #throttleNext = 0;
  #retryAfterSeconds = 0;

  /** The next `count` batched requests are answered `429` with this Retry-After, each on its own. */
  throttle(count: number, retryAfterSeconds: number): void {
    this.#throttleNext = count;
    this.#retryAfterSeconds = retryAfterSeconds;
  }

  draw(): EmulatedResponse | undefined {
    if (this.#throttleNext === 0) return undefined;
    this.#throttleNext--;
    return throttled(this.#retryAfterSeconds);
  }
}

/**
 * `POST /$batch` (JSON batching): `{requests: [{id, method, url, headers?, body?}]}`, at most 20,
 * answered `{responses: [{id, status, headers, body}]}`. Each request is routed as if sent alone,
 * with the batch's own headers (its access token) under its own; a failure is that request's
 * status, never the batch's.
 */
export function batchRoute(options: {
  readonly route: Router;
  /** Answers a batch whose caller is not signed in. */
  readonly refuse: (request: EmulatedRequest) => EmulatedResponse | undefined;
  readonly faults: BatchItemFaults;
  /** Where each request served inside a batch is logged, as the server logs the batch itself. */
  readonly calls: CallRecord[];
}): Route {
  return {
    method: 'POST',
    pattern: 'v1.0/$batch',
    handler: async (request) => {
      const refused = options.refuse(request);
      if (refused) return refused;
      const requests = batchedRequests(request.body);
      if (typeof requests === 'string') return graphError(400, 'BadRequest', requests);
      const responses = [];
      for (const item of requests) {
        const answer = options.faults.draw() ?? (await routeOne(options.route, request, item));
        options.calls.push({
          method: item.method.toUpperCase(),
          path: itemUrl(request, item).pathname,
          status: answer.status,
        });
        responses.push({
          id: item.id,
          status: answer.status,
          headers: { 'Content-Type': 'application/json', ...answer.headers },
          ...(answer.body === undefined ? {} : { body: answer.body }),
        });
      }
      return { status: 200, body: { responses } };
    },
  };
}

function itemUrl(batch: EmulatedRequest, item: BatchedRequest): URL {
  return new URL(`/v1.0/${item.url.replace(/^\/+/, '')}`, batch.url);
}

function routeOne(route: Router, batch: EmulatedRequest, item: BatchedRequest): Promise<EmulatedResponse> {
  const url = itemUrl(batch, item);
  const headers = { ...batch.headers, ...lowerCased(item.headers ?? {}) };
  const body = item.body === undefined ? '' : JSON.stringify(item.body);
  return route(item.method.toUpperCase(), url, headers, body);
}

/** The batch's requests, or why the payload is refused. */
function batchedRequests(body: unknown): BatchedRequest[] | string {
  const requests = (body as { requests?: unknown } | undefined)?.requests;
  if (!Array.isArray(requests) || requests.length === 0)
    return 'Invalid batch payload format: a non-empty "requests" array is required.';
  if (requests.length > MAX_BATCH_REQUESTS)
    return `Number of batch requests exceeds the limit of ${MAX_BATCH_REQUESTS}.`;
  const ids = new Set<string>();
  for (const entry of requests as Partial<BatchedRequest>[]) {
    if (typeof entry?.id !== 'string' || typeof entry.method !== 'string' || typeof entry.url !== 'string')
      return 'Invalid batch payload format: every request needs an id, a method and a url.';
    if (ids.has(entry.id)) return `Batch request ids must be unique: "${entry.id}" is repeated.`;
    ids.add(entry.id);
  }
  return requests as BatchedRequest[];
}

function lowerCased(headers: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
}
