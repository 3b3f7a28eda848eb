/**
 * The emulated org's time. It runs with the wall clock, optionally `rate` times faster, and can
 * be moved ahead: tests cross rate-limit windows and log retention without waiting, while time
 * still flows evenly for every request in flight.
 */
export interface EmulatorClock {
  now(): number;
  advance(ms: number): void;
  /** Emulated milliseconds per real millisecond. */
  readonly rate: number;
}

export function createEmulatorClock(start: number = Date.now(), rate = 1): EmulatorClock {
  const origin = performance.now();
  let offset = 0;
  return {
    rate,
    now: () => Math.floor(start + (performance.now() - origin) * rate + offset),
    advance: (ms) => {
      offset += ms;
    },
  };
}
