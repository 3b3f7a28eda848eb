import { PassThrough, type Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RunRecord } from '../../model/run.js';
import type { Logger } from '../../observability/logger.js';
import { runProgress } from './runProgress.js';

export interface LiveTimings {
  /** How often the run record is read while the stream is open. */
  readonly pollMs: number;
  /** A comment sent after this long without news, so no proxy takes the stream for dead. */
  readonly heartbeatMs: number;
  /**
   * A stream ends after this long even while the run moves: the browser reconnects, and the
   * session is checked again.
   */
  readonly maxStreamMs: number;
  /** How long the browser waits before it reconnects. */
  readonly reconnectMs: number;
}

export const LIVE_TIMINGS: LiveTimings = {
  pollMs: 1000,
  heartbeatMs: 15_000,
  maxStreamMs: 5 * 60_000,
  reconnectMs: 2000,
};

/**
 * The server-sent events of the run pages being watched: each stream reads its run once a second
 * and sends its progress when it changed, and ends when the run settles, when the browser leaves
 * (no read outlives it), at its time cap, or when the API closes.
 */
export class LiveRunStreams {
  readonly #open = new Set<AbortController>();

  constructor(
    private readonly logger: Logger,
    private readonly timings: LiveTimings = LIVE_TIMINGS,
  ) {}

  /** The `text/event-stream` body following one run; `read` answers the run as it stands. */
  follow(read: () => Promise<RunRecord | undefined>): Readable {
    const stream = new PassThrough();
    const stop = new AbortController();
    this.#open.add(stop);
    stream.on('close', () => stop.abort());
    this.#send(stream, read, stop.signal)
      .catch((error: unknown) => {
        if (!stop.signal.aborted)
          this.logger.warn({ err: error }, 'live run stream failed: the browser reconnects');
      })
      .finally(() => {
        this.#open.delete(stop);
        stream.end();
      });
    return stream;
  }

  /** Ends every stream, so that the server can close without waiting for their caps. */
  closeAll(): void {
    for (const stop of this.#open) stop.abort();
  }

  async #send(
    stream: PassThrough,
    read: () => Promise<RunRecord | undefined>,
    signal: AbortSignal,
  ): Promise<void> {
    const { pollMs, heartbeatMs, maxStreamMs, reconnectMs } = this.timings;
    const endsAt = Date.now() + maxStreamMs;
    stream.write(`retry: ${reconnectMs}\n\n`);
    let lastSent = '';
    let quietSince = Date.now();
    while (!signal.aborted && Date.now() < endsAt) {
      const run = await read();
      if (signal.aborted) return;
      if (!run) {
        // The run is gone (its record expired): the page reloads to say so.
        stream.write(`event: progress\ndata: ${JSON.stringify({ settled: true })}\n\n`);
        return;
      }
      const progress = runProgress(run, new Date());
      // The rate drifts every second by itself: only a change of what the run did is news.
      const news = JSON.stringify([
        progress.status,
        progress.phase,
        progress.done,
        progress.total,
        progress.failed,
      ]);
      if (news !== lastSent) {
        stream.write(`event: progress\ndata: ${JSON.stringify(progress)}\n\n`);
        lastSent = news;
        quietSince = Date.now();
      } else if (Date.now() - quietSince >= heartbeatMs) {
        stream.write(': still following\n\n');
        quietSince = Date.now();
      }
      if (progress.settled) return;
      await sleep(pollMs, undefined, { signal }).catch(() => undefined);
    }
  }
}
