/**
 * How long a `Retry-After` header (RFC 9110 §10.2.3: delta-seconds or an HTTP date) asks a client
 * to wait, in milliseconds; undefined when the header is absent or unreadable.
 */
export function retryAfterMs(
  header: string | null | undefined,
  now: number = Date.now(),
): number | undefined {
  if (header === null || header === undefined || header.trim() === '') return undefined;
  const text = header.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
