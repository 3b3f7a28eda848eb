import { RequestExecutor } from '@okta/okta-sdk-nodejs';
import {
  DEFAULT_RETRY_POLICY,
  isThrottled,
  type RetryPolicy,
  throttleWaitMs,
} from '../../src/http/retryPolicy.js';
import type { CallCounter } from '../../src/model/source.js';
import type { Logger } from '../../src/observability/logger.js';
import { RateLimitPacer, type RateWindow } from '../shared/rateLimitPacer.js';
import { OktaTokenRequestError } from './errors.js';

type RequestOptions = Parameters<RequestExecutor['fetch']>[0];

/** The part of node-fetch's Response this executor reads (the SDK's typings leave it untyped). */
export interface FetchResponse {
  readonly status: number;
  readonly headers: { get(name: string): string | null };
  arrayBuffer(): Promise<ArrayBuffer>;
  clone(): FetchResponse;
  text(): Promise<string>;
}

export interface PacedRequestExecutorOptions {
  readonly counter: CallCounter;
  readonly logger: Logger;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly now?: () => number;
}

/**
 * The retry policy every client shares; a refused call is tried ten times, so one whose bucket
 * keeps running dry waits out ten windows before the run is failed.
 */
const OKTA_RETRY_POLICY: RetryPolicy = { ...DEFAULT_RETRY_POLICY, maxAttempts: 10 };
/** Date and X-Rate-Limit-Reset have one-second resolution. */
const CLOCK_RESOLUTION_MS = 1_000;

/**
 * Replaces the SDK's default executor, which retries a 429 at most twice and never slows down
 * before one: this one reads X-Rate-Limit-* per bucket, spreads the last calls of a window until
 * its reset, waits out every 429 (and 503) without failing the run, and counts each request.
 */
export class PacedRequestExecutor extends RequestExecutor {
  readonly #pacer: RateLimitPacer;
  readonly #counter: CallCounter;
  readonly #logger: Logger;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #now: () => number;

  constructor(options: PacedRequestExecutorOptions) {
    super();
    this.#counter = options.counter;
    this.#logger = options.logger;
    this.#sleep = options.sleep ?? ((ms) => new Promise((wake) => setTimeout(wake, ms)));
    this.#now = options.now ?? Date.now;
    this.#pacer = new RateLimitPacer({ now: this.#now });
  }

  override async fetch(request: RequestOptions): Promise<FetchResponse> {
    const bucket = rateLimitBucket(request.url ?? '');
    for (let attempt = 1; ; attempt++) {
      await this.#wait(this.#pacer.reserve(bucket), bucket, 'pacing');
      this.#counter.call('source');
      let response: FetchResponse;
      try {
        response = await super.fetch(request);
      } catch (error) {
        this.#pacer.release(bucket, undefined);
        throw error;
      }
      const window = this.#rateWindow(response);
      this.#pacer.release(bucket, window);
      const throttledFor = this.#throttledFor(response, window, attempt);
      if (throttledFor === undefined || attempt >= OKTA_RETRY_POLICY.maxAttempts) {
        if (bucket === TOKEN_BUCKET && response.status >= 400) await throwTokenRefusal(response);
        return response;
      }
      await response.arrayBuffer();
      if (window && response.status === 429) this.#pacer.exhausted(bucket, window);
      this.#logger.warn({ bucket, status: response.status, waitMs: throttledFor, attempt }, 'okta throttled');
      await this.#wait(throttledFor, bucket, 'throttled');
    }
  }

  async #wait(ms: number, bucket: string, reason: string): Promise<void> {
    if (ms <= 0) return;
    this.#counter.throttled('source', ms);
    this.#logger.debug({ bucket, waitMs: ms, reason }, 'okta rate limit wait');
    await this.#sleep(ms);
  }

  /** The window in local time: the server's reset relative to its own Date, not to our clock. */
  #rateWindow(response: FetchResponse): RateWindow | undefined {
    const limit = Number(response.headers.get('x-rate-limit-limit'));
    const remaining = Number(response.headers.get('x-rate-limit-remaining'));
    const reset = Number(response.headers.get('x-rate-limit-reset'));
    if (!(limit > 0) || !Number.isFinite(remaining) || !(reset > 0)) return undefined;
    const now = this.#now();
    const serverDate = Date.parse(response.headers.get('date') ?? '');
    const untilReset = Number.isNaN(serverDate) ? reset * 1000 - now : reset * 1000 - serverDate;
    return {
      limit,
      remaining,
      resetAt: now + Math.max(0, untilReset) + CLOCK_RESOLUTION_MS,
      windowKey: reset,
    };
  }

  /** A 429 with rate-limit headers waits for its window's reset; any other throttling, as the policy says. */
  #throttledFor(
    response: FetchResponse,
    window: { resetAt: number } | undefined,
    attempt: number,
  ): number | undefined {
    if (!isThrottled(response.status)) return undefined;
    if (response.status === 429 && window) return window.resetAt - this.#now();
    const retryAfter = response.headers.get('retry-after');
    return throttleWaitMs(retryAfter, attempt, OKTA_RETRY_POLICY, this.#now(), Math.random());
  }
}

async function throwTokenRefusal(response: FetchResponse): Promise<void> {
  let body: { error?: unknown; error_description?: unknown } = {};
  try {
    body = JSON.parse(await response.clone().text()) as typeof body;
  } catch {
    // Not JSON: the status says enough.
  }
  // The SDK handles this one itself: it retries with the server's DPoP nonce.
  if (body.error === 'use_dpop_nonce') return;
  throw new OktaTokenRequestError(
    response.status,
    typeof body.error === 'string' ? body.error : 'error',
    typeof body.error_description === 'string' ? body.error_description : '',
  );
}

const TOKEN_BUCKET = 'oauth2';

/** Okta counts limits per endpoint family: /api/v1/users, /api/v1/groups, /api/v1/apps, /api/v1/logs. */
function rateLimitBucket(url: string): string {
  const path = url.replace(/^https?:\/\/[^/]+/, '').split('?')[0] ?? '';
  const [first, second, third] = path.split('/').filter((segment) => segment !== '');
  return first === 'api' ? `${second ?? ''}/${third ?? ''}` : (first ?? '');
}
