import { describe, expect, it } from 'vitest';
import { throttleWaitMs } from '../../../connectors/graph/countingRetryHandler.js';
import { odataStringLiteral, parseOdataStringContent } from '../../../connectors/shared/odataLiteral.js';
import { retryAfterMs } from '../../../connectors/shared/retryAfter.js';

describe('retryAfterMs', () => {
  it('reads delta-seconds and HTTP dates, and nothing else', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(retryAfterMs('3', now)).toBe(3000);
    expect(retryAfterMs('Wed, 01 Jan 2025 00:00:10 GMT', now)).toBe(10_000);
    expect(retryAfterMs('Tue, 31 Dec 2024 00:00:00 GMT', now)).toBe(0);
    expect(retryAfterMs('soon', now)).toBeUndefined();
    expect(retryAfterMs(null, now)).toBeUndefined();
  });

  it('is capped by the retry policy', () => {
    const policy = { maxRetries: 3, maxWaitMs: 60_000, backoffBaseMs: 100 };
    expect(throttleWaitMs('3600', 0, policy)).toBe(60_000);
    expect(throttleWaitMs(null, 2, policy)).toBeGreaterThanOrEqual(400);
  });
});

describe('odataStringLiteral', () => {
  it('doubles quotes, and parsing undoes it', () => {
    expect(odataStringLiteral("O'Brien's")).toBe("'O''Brien''s'");
    expect(parseOdataStringContent("O''Brien''s")).toBe("O'Brien's");
  });
});
