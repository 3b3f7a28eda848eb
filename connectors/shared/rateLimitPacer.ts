/**
 * Spreads calls over a server's rate-limit window so that a client slows down before it is
 * refused, instead of running into 429s. Source-agnostic: a connector reserves a slot before each
 * call and releases it with what the response's headers said about the bucket's window.
 */
export interface RateWindow {
  readonly limit: number;
  readonly remaining: number;
  /** Local epoch ms at which the server starts a new window. */
  readonly resetAt: number;
  /**
   * The server's name for the window (its reset time as it wrote it), which grows with each new
   * window. Local `resetAt` estimates jitter with latency; this does not.
   */
  readonly windowKey: number;
}

interface WindowState {
  readonly windowKey: number;
  readonly limit: number;
  /** Calls this client may still start in the window, after the ones it has in flight. */
  readonly remaining: number;
  readonly resetAt: number;
  /** The earliest local time the next call may start. */
  readonly nextSlotAt: number;
}

export interface PacerOptions {
  /** Below this share of the limit, the remaining calls are spread evenly until the reset. */
  readonly reserveRatio?: number;
  /** The window length assumed after a reset passed, until a response tells the new one. */
  readonly windowMs?: number;
  readonly now?: () => number;
}

/** The wait before the next call, and the window after reserving it. Pure. */
export function reserveSlot(
  state: WindowState,
  now: number,
  reserveRatio: number,
  windowMs: number,
): { readonly waitMs: number; readonly state: WindowState } {
  if (now >= state.resetAt) {
    // A new window began; until an answer says how full it is, count it as fresh and ours.
    const fresh = { ...state, remaining: state.limit, resetAt: now + windowMs, nextSlotAt: now };
    return reserveSlot(fresh, now, reserveRatio, windowMs);
  }
  if (state.remaining <= 0) {
    // The window is spent: every caller waits for the next one, whose size the server will tell.
    return { waitMs: state.resetAt - now, state };
  }
  if (state.remaining > state.limit * reserveRatio) {
    return { waitMs: 0, state: { ...state, remaining: state.remaining - 1 } };
  }
  const startAt = Math.max(now, state.nextSlotAt);
  const spacing = Math.max(0, state.resetAt - startAt) / state.remaining;
  return {
    waitMs: startAt - now,
    state: { ...state, remaining: state.remaining - 1, nextSlotAt: startAt + spacing },
  };
}

/**
 * What a response says about the window, given the calls still in flight (they will count
 * against it too). A later window replaces the known one; answers within the same window only
 * ever lower the count; answers from an earlier window are stale. Pure.
 */
export function observeWindow(
  state: WindowState | undefined,
  window: RateWindow,
  inFlight: number,
): WindowState | undefined {
  const remaining = Math.max(0, window.remaining - inFlight);
  if (state === undefined || window.windowKey > state.windowKey) {
    return { ...window, remaining, nextSlotAt: state?.nextSlotAt ?? 0 };
  }
  if (window.windowKey < state.windowKey) return state;
  return { ...state, limit: window.limit, remaining: Math.min(state.remaining, remaining) };
}

export class RateLimitPacer {
  readonly #windows = new Map<string, WindowState>();
  readonly #inFlight = new Map<string, number>();
  readonly #reserveRatio: number;
  readonly #windowMs: number;
  readonly #now: () => number;

  constructor(options: PacerOptions = {}) {
    this.#reserveRatio = options.reserveRatio ?? 0.1;
    this.#windowMs = options.windowMs ?? 60_000;
    this.#now = options.now ?? Date.now;
  }

  /** How long to wait before calling `bucket`; the slot is held until `release`. */
  reserve(bucket: string): number {
    this.#inFlight.set(bucket, (this.#inFlight.get(bucket) ?? 0) + 1);
    const state = this.#windows.get(bucket);
    if (state === undefined) return 0;
    const reserved = reserveSlot(state, this.#now(), this.#reserveRatio, this.#windowMs);
    this.#windows.set(bucket, reserved.state);
    return reserved.waitMs;
  }

  /** The call answered; `window` is what its headers said, when they said it. */
  release(bucket: string, window: RateWindow | undefined): void {
    const inFlight = Math.max(0, (this.#inFlight.get(bucket) ?? 0) - 1);
    this.#inFlight.set(bucket, inFlight);
    if (window === undefined) return;
    const next = observeWindow(this.#windows.get(bucket), window, inFlight);
    if (next) this.#windows.set(bucket, next);
  }

  /** After a refusal: nothing more until the reset. */
  exhausted(bucket: string, window: RateWindow): void {
    this.#windows.set(bucket, { ...window, remaining: 0, nextSlotAt: window.resetAt });
  }
}
