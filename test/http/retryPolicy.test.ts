import { describe, expect, test } from 'vitest';
import { isTransientNetworkError } from '../../src/http/networkErrors.js';
import { backoffMs, DEFAULT_RETRY_POLICY, throttleWaitMs } from '../../src/http/retryPolicy.js';

const NOW = Date.parse('2026-03-01T12:00:00Z');

describe('waits', () => {
  test('backoff doubles per retry, with jitter between half and all of it, and is capped', () => {
    const policy = { ...DEFAULT_RETRY_POLICY, baseDelayMs: 100, maxDelayMs: 1000 };
    expect(backoffMs(1, policy, 0)).toBe(50);
    expect(backoffMs(1, policy, 1)).toBe(100);
    expect(backoffMs(3, policy, 1)).toBe(400);
    expect(backoffMs(10, policy, 1)).toBe(1000);
  });

  test('the server says how long when it does; the cap still bounds it', () => {
    const policy = { ...DEFAULT_RETRY_POLICY, baseDelayMs: 100, maxDelayMs: 10_000 };
    expect(throttleWaitMs('2', 5, policy, NOW, 0.5)).toBe(2000);
    expect(throttleWaitMs(undefined, 2, policy, NOW, 1)).toBe(200);
    expect(throttleWaitMs('3600', 1, policy, NOW, 0)).toBe(10_000);
    expect(throttleWaitMs('1.5', 1, policy, NOW, 0)).toBe(1500);
    expect(throttleWaitMs('later', 1, policy, NOW, 1)).toBe(100);
  });

  test('only connection-level failures count as transient', () => {
    expect(isTransientNetworkError(Object.assign(new Error('x'), { code: 'ECONNRESET' }))).toBe(true);
    expect(isTransientNetworkError(Object.assign(new Error('x'), { code: 'CERT_HAS_EXPIRED' }))).toBe(false);
    expect(isTransientNetworkError(new Error('plain'))).toBe(false);
  });
});
