import type { CallCounter } from '../model/source.js';

/** Counts one run's (or one job's) API calls and throttling waits in memory. */
export class RunCallCounter implements CallCounter {
  readonly calls = { source: 0, target: 0 };
  readonly throttles = { source: 0, target: 0 };
  readonly waitedMs = { source: 0, target: 0 };

  constructor(private readonly observer?: CallCounter) {}

  call(side: 'source' | 'target'): void {
    this.calls[side]++;
    this.observer?.call(side);
  }

  throttled(side: 'source' | 'target', waitMs: number): void {
    this.throttles[side]++;
    this.waitedMs[side] += waitMs;
    this.observer?.throttled(side, waitMs);
  }
}
