import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { opsPerJob } from '../../src/runs/runQueues.js';

describe('ops per batch job', () => {
  it('are never more than a second of requests, so the pacer can always pay for a batch, nor more than 100', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000 }), (rate) => {
        const perJob = opsPerJob(rate);
        expect(perJob).toBeGreaterThanOrEqual(1);
        expect(perJob).toBeLessThanOrEqual(Math.min(rate, 100));
      }),
    );
    expect(opsPerJob(50)).toBe(50);
    expect(opsPerJob(0.5)).toBe(1);
  });
});
