import { describe, expect, test } from 'vitest';
import { retryAfterMs } from '../../src/http/retryAfter.js';

const NOW = Date.parse('2026-03-01T12:00:00Z');

describe('Retry-After, read the same way by every client', () => {
  test('delta-seconds, whole or with a fraction, in milliseconds', () => {
    expect(retryAfterMs('0', NOW)).toBe(0);
    expect(retryAfterMs(' 7 ', NOW)).toBe(7000);
    expect(retryAfterMs('1.5', NOW)).toBe(1500);
    expect(retryAfterMs('0.25', NOW)).toBe(250);
    expect(retryAfterMs('120', NOW)).toBe(120_000);
  });

  test('an HTTP date in each of its three forms, counted from now; a past one is no wait', () => {
    expect(retryAfterMs('Sun, 01 Mar 2026 12:00:30 GMT', NOW)).toBe(30_000);
    expect(retryAfterMs('Sunday, 01-Mar-26 12:00:10 GMT', NOW)).toBe(10_000);
    expect(retryAfterMs('Sun Mar  1 12:01:00 2026', NOW)).toBe(60_000);
    expect(retryAfterMs('Sun, 01 Mar 2026 11:00:00 GMT', NOW)).toBe(0);
  });

  test('absent, empty or unreadable: undefined, so the client falls back to its backoff', () => {
    for (const header of [
      undefined,
      null,
      '',
      '   ',
      'soon',
      '-1',
      '1e3',
      '1.',
      '.5',
      'soon 2026',
      'Sun, later',
    ]) {
      expect(retryAfterMs(header, NOW), String(header)).toBeUndefined();
    }
    expect(retryAfterMs('2026-03-01T12:00:30Z', NOW)).toBeUndefined();
  });
});
