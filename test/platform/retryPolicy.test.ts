import { describe, expect, test } from 'vitest';
import { isTransientNetworkError } from '../../src/http/networkErrors.js';
import {
  backoffMs,
  DEFAULT_RETRY_SETTINGS,
  parseRetryAfter,
  throttleWaitMs,
} from '../../src/platform/retryPolicy.js';

const NOW = Date.parse('2026-03-01T12:00:00Z');

describe('parseRetryAfter', () => {
  test('reads delta-seconds and HTTP dates, and ignores garbage', () => {
    expect(parseRetryAfter('0', NOW)).toBe(0);
    expect(parseRetryAfter(' 7 ', NOW)).toBe(7000);
    expect(parseRetryAfter('Sun, 01 Mar 2026 12:00:30 GMT', NOW)).toBe(30_000);
    expect(parseRetryAfter('Sun, 01 Mar 2026 11:00:00 GMT', NOW)).toBe(0);
    expect(parseRetryAfter('soon', NOW)).toBeUndefined();
    expect(parseRetryAfter(undefined, NOW)).toBeUndefined();
  });
});

describe('waits', () => {
  test('backoff doubles per retry, with jitter between half and all of it, and is capped', () => {
    const settings = { ...DEFAULT_RETRY_SETTINGS, baseDelayMs: 100, maxDelayMs: 1000 };
    expect(backoffMs(1, settings, 0)).toBe(50);
    expect(backoffMs(1, settings, 1)).toBe(100);
    expect(backoffMs(3, settings, 1)).toBe(400);
    expect(backoffMs(10, settings, 1)).toBe(1000);
  });

  test('the server says how long when it does; the cap still bounds it', () => {
    const settings = { ...DEFAULT_RETRY_SETTINGS, baseDelayMs: 100, maxDelayMs: 10_000 };
    expect(throttleWaitMs('2', 5, settings, NOW, 0.5)).toBe(2000);
    expect(throttleWaitMs(undefined, 2, settings, NOW, 1)).toBe(200);
    expect(throttleWaitMs('3600', 1, settings, NOW, 0)).toBe(10_000);
  });

  test('only connection-level failures count as transient', () => {
    expect(isTransientNetworkError(Object.assign(new Error('x'), { code: 'ECONNRESET' }))).toBe(true);
    expect(isTransientNetworkError(Object.assign(new Error('x'), { code: 'CERT_HAS_EXPIRED' }))).toBe(false);
    expect(isTransientNetworkError(new Error('plain'))).toBe(false);
  });
});
