/**
 * At most `limit` tasks running at once across every caller, started in the order they came.
 * Unlike `mapWithConcurrency`, which bounds one list, this bounds many lists together: the op
 * batches in flight share one platform's sockets, so a batch winding down leaves its free slots to
 * the next batch's ops instead of idling them; a connection pool's requests share its connections.
 */
export class ConcurrencyLimiter {
  #running = 0;
  readonly #waiting: (() => void)[] = [];

  constructor(private readonly limit: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.#running >= this.limit) await new Promise<void>((start) => this.#waiting.push(start));
    else this.#running++;
    try {
      return await task();
    } finally {
      // The slot passes straight to the next waiter, so a newcomer cannot overtake the queue.
      const next = this.#waiting.shift();
      if (next) next();
      else this.#running--;
    }
  }
}
