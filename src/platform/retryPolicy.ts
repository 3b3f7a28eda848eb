/** How the client waits out throttling and transient network failures. Pure: the clock and dice are inputs. */
export interface RetrySettings {
  /** Attempts of one request while the server answers 429/503, the first included. */
  readonly maxAttempts: number;
  /** Extra attempts after a connection reset, refusal or timeout. */
  readonly maxNetworkRetries: number;
  readonly baseDelayMs: number;
  /** No single wait is longer, whatever Retry-After says. */
  readonly maxDelayMs: number;
}

export const DEFAULT_RETRY_SETTINGS: RetrySettings = {
  maxAttempts: 8,
  maxNetworkRetries: 3,
  baseDelayMs: 500,
  maxDelayMs: 120_000,
};

export function isThrottled(status: number): boolean {
  return status === 429 || status === 503;
}

/** `Retry-After` as delta-seconds or an HTTP date (RFC 9110 §10.2.3), in ms from `nowMs`. */
export function parseRetryAfter(header: string | undefined, nowMs: number): number | undefined {
  if (header === undefined) return undefined;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

/** Exponential backoff with jitter: between half and all of base·2^(retry-1), capped. */
export function backoffMs(retry: number, settings: RetrySettings, random: number): number {
  const ceiling = Math.min(settings.maxDelayMs, settings.baseDelayMs * 2 ** Math.max(0, retry - 1));
  return Math.round(ceiling * (0.5 + random / 2));
}

/** The wait before retrying a throttled request: the server's word when it gave one, else backoff. */
export function throttleWaitMs(
  retryAfterHeader: string | undefined,
  retry: number,
  settings: RetrySettings,
  nowMs: number,
  random: number,
): number {
  const asked = parseRetryAfter(retryAfterHeader, nowMs);
  return Math.min(settings.maxDelayMs, asked ?? backoffMs(retry, settings, random));
}
