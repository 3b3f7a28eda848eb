import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { opsPerJob } from '../../src/queue/queues.js';

describe('ops per batch job', () => {
  it('hold at most a second of ops, and whole jobs per second come within 1% of the rate', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000 }), (rate) => {
        const perJob = opsPerJob(rate);
        expect(perJob).toBeGreaterThanOrEqual(1);
        expect(perJob).toBeLessThanOrEqual(Math.min(rate, 100));
        const jobsPerSecond = Math.floor(rate / perJob);
        expect(jobsPerSecond * perJob).toBeGreaterThanOrEqual(rate * 0.99 - 1);
      }),
    );
    expect(opsPerJob(150)).toBe(75);
    expect(opsPerJob(0.5)).toBe(1);
  });
});
