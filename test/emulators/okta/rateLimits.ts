import type { EmulatorClock } from './clock.js';

export type RateLimitBucket = 'users' | 'groups' | 'apps' | 'logs';

/** Okta's last published per-minute limits for a Workforce org. */
export const DEFAULT_RATE_LIMITS: Readonly<Record<RateLimitBucket, number>> = {
  users: 600,
  groups: 500,
  apps: 100,
  logs: 120,
};

const WINDOW_MS = 60_000;

export interface RateDecision {
  readonly allowed: boolean;
  readonly headers: Readonly<Record<string, string>>;
}

/** One-minute windows per bucket on the emulator's clock; a refused call does not count. */
export class RateLimitWindows {
  readonly #windows = new Map<RateLimitBucket, { resetAt: number; used: number }>();

  constructor(
    private readonly limits: Readonly<Record<RateLimitBucket, number>>,
    private readonly clock: EmulatorClock,
  ) {}

  take(bucket: RateLimitBucket): RateDecision {
    const now = this.clock.now();
    let window = this.#windows.get(bucket);
    if (!window || now >= window.resetAt) {
      window = { resetAt: now + WINDOW_MS, used: 0 };
      this.#windows.set(bucket, window);
    }
    const limit = this.limits[bucket];
    const allowed = window.used < limit;
    if (allowed) window.used += 1;
    return {
      allowed,
      headers: {
        'x-rate-limit-limit': String(limit),
        'x-rate-limit-remaining': String(Math.max(0, limit - window.used)),
        'x-rate-limit-reset': String(Math.ceil(window.resetAt / 1000)),
      },
    };
  }
}
