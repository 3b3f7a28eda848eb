/**
 * How long a `Retry-After` header asks a client to wait, in milliseconds from `nowMs`: delta-seconds
 * (RFC 9110 §10.2.3; fractions such as `1.5` are read as servers mean them, 1,500 ms) or an HTTP
 * date (a past one is no wait). Undefined when the header is absent or unreadable, so the caller
 * falls back to its own backoff. The one reading of the header for every client dirsync has.
 */
export function retryAfterMs(
  header: string | null | undefined,
  nowMs: number = Date.now(),
): number | undefined {
  const text = header?.trim();
  if (!text) return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  // Date.parse reads much that is no HTTP date ("-1", "soon 2026"); every HTTP date form starts with its weekday.
  if (!HTTP_DATE_START.test(text)) return undefined;
  // HTTP dates are in GMT; the asctime form does not say so, and Date.parse would read it as local.
  const date = Date.parse(/GMT$/.test(text) ? text : `${text} GMT`);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

const HTTP_DATE_START = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*,? /;
