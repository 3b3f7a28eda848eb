import type { Context, Middleware } from '@microsoft/microsoft-graph-client';
import { isTransientNetworkError } from '../../src/http/networkErrors.js';
import { backoffMs, type RetryPolicy, throttleWaitMs } from '../../src/http/retryPolicy.js';
import type { CallCounter } from '../../src/model/source.js';

/**
 * Counts every request sent to Graph and waits out throttling, in place of the client's own
 * RetryHandler (which gives up after 3 tries and counts nothing). 429, 503 and 504 are retried
 * under the retry policy every client shares, honouring Retry-After (capped), else with
 * exponential backoff; so are requests that got no answer because the connection failed.
 */
export const GRAPH_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 11,
  maxNetworkRetries: 10,
  baseDelayMs: 500,
  maxDelayMs: 300_000,
};

const RETRIED_STATUSES = new Set([429, 503, 504]);

/** Throttled or briefly unavailable: worth the same request again after a wait. */
export function isRetriedStatus(status: number): boolean {
  return RETRIED_STATUSES.has(status);
}

export class CountingRetryHandler implements Middleware {
  #next: Middleware | undefined;

  constructor(
    private readonly counter: CallCounter,
    private readonly policy: RetryPolicy = GRAPH_RETRY_POLICY,
  ) {}

  async execute(context: Context): Promise<void> {
    const next = this.#next;
    if (next === undefined) throw new Error('CountingRetryHandler needs a next middleware');
    let networkRetries = 0;
    for (let attempt = 1; ; attempt++) {
      this.counter.call('source');
      try {
        await next.execute(context);
      } catch (error) {
        // A kept-alive connection the server had closed, or a network blip: no answer came.
        if (!isTransientNetworkError(error) || networkRetries >= this.policy.maxNetworkRetries) throw error;
        networkRetries++;
        await new Promise((wake) => setTimeout(wake, backoffMs(networkRetries, this.policy, Math.random())));
        continue;
      }
      const response = context.response;
      if (response === undefined || !isRetriedStatus(response.status) || attempt >= this.policy.maxAttempts) {
        return;
      }
      const retryAfter = response.headers.get('retry-after');
      const waitMs = throttleWaitMs(retryAfter, attempt, this.policy, Date.now(), Math.random());
      this.counter.throttled('source', waitMs);
      await response.body?.cancel();
      await new Promise((wake) => setTimeout(wake, waitMs));
    }
  }

  setNext(next: Middleware): void {
    this.#next = next;
  }
}
