import { retryAfterMs } from './retryAfter.js';

/**
 * How a client waits out throttling and transient network failures: the SCIM platform client,
 * the Graph connector and the Okta executor each retry under one of these. Pure: the clock and
 * dice are inputs.
 */
export interface RetryPolicy {
  /** Attempts of one request while the server answers throttled, the first included. */
  readonly maxAttempts: number;
  /** Extra attempts after a connection reset, refusal or timeout. */
  readonly maxNetworkRetries: number;
  readonly baseDelayMs: number;
  /** No single wait is longer, whatever Retry-After says: one answer cannot park a run for hours. */
  readonly maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 8,
  maxNetworkRetries: 3,
  baseDelayMs: 500,
  maxDelayMs: 120_000,
};

/** 429 Too Many Requests and 503 Service Unavailable: the server asks for patience, not a change. */
export function isThrottled(status: number): boolean {
  return status === 429 || status === 503;
}

/** Exponential backoff with jitter: between half and all of base·2^(retry-1), capped. */
export function backoffMs(retry: number, policy: RetryPolicy, random: number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, retry - 1));
  return Math.round(ceiling * (0.5 + random / 2));
}

/** The wait before retrying a throttled request: the server's word when it gave one, else backoff. */
export function throttleWaitMs(
  retryAfterHeader: string | null | undefined,
  retry: number,
  policy: RetryPolicy,
  nowMs: number,
  random: number,
): number {
  const asked = retryAfterMs(retryAfterHeader, nowMs);
  return Math.min(policy.maxDelayMs, asked ?? backoffMs(retry, policy, random));
}
