/** Room left between our closing an idle connection and the server's closing it: a request may be on its way. */
const MAX_MARGIN_MS = 1_000;

/**
 * How long a connection may stay idle after an answer carrying `Keep-Alive: timeout=N`: at most
 * `defaultMs`, and short of the server's N seconds by a margin (half of N when N is short), so a
 * request seldom lands on a connection the server is closing. 0: do not keep it at all.
 */
export function idleTimeoutMs(keepAlive: string | undefined, defaultMs: number): number {
  if (keepAlive === undefined) return defaultMs;
  const seconds = /(?:^|[,;\s])timeout\s*=\s*"?(\d+)/i.exec(keepAlive)?.[1];
  if (seconds === undefined) return defaultMs;
  const serverMs = Number(seconds) * 1_000;
  return Math.min(defaultMs, serverMs - Math.min(MAX_MARGIN_MS, serverMs / 2));
}
