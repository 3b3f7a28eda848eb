import type { Context, Middleware } from '@microsoft/microsoft-graph-client';
import { isTransientNetworkError } from '../../src/http/networkErrors.js';
import type { CallCounter } from '../../src/model/source.js';
import { retryAfterMs } from '../shared/retryAfter.js';

/**
 * Counts every request sent to Graph and waits out throttling, in place of the client's own
 * RetryHandler (which gives up after 3 tries and counts nothing). 429, 503 and 504 are retried up to
 * `maxRetries` times, honouring Retry-After (capped), else with exponential backoff; so are
 * requests that got no answer because the connection failed.
 */
export interface RetryPolicy {
  readonly maxRetries: number;
  /** A Retry-After longer than this is cut to it, so one answer cannot park a run for hours. */
  readonly maxWaitMs: number;
  readonly backoffBaseMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxRetries: 10, maxWaitMs: 300_000, backoffBaseMs: 500 };

const RETRIED_STATUSES = new Set([429, 503, 504]);

/** Throttled or briefly unavailable: worth the same request again after a wait. */
export function isRetriedStatus(status: number): boolean {
  return RETRIED_STATUSES.has(status);
}

export class CountingRetryHandler implements Middleware {
  #next: Middleware | undefined;

  constructor(
    private readonly counter: CallCounter,
    private readonly policy: RetryPolicy = DEFAULT_RETRY_POLICY,
  ) {}

  async execute(context: Context): Promise<void> {
    const next = this.#next;
    if (next === undefined) throw new Error('CountingRetryHandler needs a next middleware');
    for (let attempt = 0; ; attempt++) {
      this.counter.call('source');
      try {
        await next.execute(context);
      } catch (error) {
        // A kept-alive connection the server had closed, or a network blip: no answer came.
        if (!isTransientNetworkError(error) || attempt >= this.policy.maxRetries) throw error;
        await new Promise((wake) => setTimeout(wake, throttleWaitMs(null, attempt, this.policy)));
        continue;
      }
      const response = context.response;
      if (response === undefined || !isRetriedStatus(response.status) || attempt >= this.policy.maxRetries) {
        return;
      }
      const waitMs = throttleWaitMs(response.headers.get('retry-after'), attempt, this.policy);
      this.counter.throttled('source', waitMs);
      await response.body?.cancel();
      await new Promise((wake) => setTimeout(wake, waitMs));
    }
  }

  setNext(next: Middleware): void {
    this.#next = next;
  }
}

/** Retry-After when the server gave one, else exponential backoff with jitter; never above the cap. */
export function throttleWaitMs(retryAfter: string | null, attempt: number, policy: RetryPolicy): number {
  const asked = retryAfterMs(retryAfter);
  const wait = asked ?? policy.backoffBaseMs * 2 ** attempt * (1 + Math.random() / 2);
  return Math.min(Math.round(wait), policy.maxWaitMs);
}
