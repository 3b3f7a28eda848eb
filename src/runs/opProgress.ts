/**
 * Wakes a run that waits for its ops as soon as this process records a batch of the tenant's
 * outcomes, instead of at its next poll. Ops applied by another process are still seen at the
 * poll: this only shortens the wait when the worker is local, as it is for most runs.
 */
export class OpProgress {
  readonly #waiting = new Map<string, Set<() => void>>();

  /** A batch of `tenant`'s outcomes is in Redis. */
  recorded(tenant: string): void {
    const waiting = this.#waiting.get(tenant);
    if (waiting === undefined) return;
    this.#waiting.delete(tenant);
    for (const wake of waiting) wake();
  }

  /** Resolves at the next `recorded(tenant)`, or after `timeoutMs` at the latest. */
  next(tenant: string, timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      let waiting = this.#waiting.get(tenant);
      if (waiting === undefined) {
        waiting = new Set();
        this.#waiting.set(tenant, waiting);
      }
      const wake = () => {
        clearTimeout(timer);
        const current = this.#waiting.get(tenant);
        current?.delete(wake);
        if (current?.size === 0) this.#waiting.delete(tenant);
        resolve();
      };
      const timer = setTimeout(wake, timeoutMs);
      waiting.add(wake);
    });
  }
}
