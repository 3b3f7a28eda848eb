import type { EventEmitter } from 'node:events';
import { CursorExpiredError } from '../../src/model/source.js';

/**
 * Okta's search index and System Log are eventually consistent and the cursor's time comes from
 * the server's Date header (one-second resolution): every read starts this much earlier, so a
 * change seen late is replayed rather than lost. Replays are harmless, the changes are levels.
 */
export const CURSOR_OVERLAP_MS = 2 * 60_000;
/** System Log retention: an older cursor can no longer be replayed and falls back to a full run. */
const LOG_RETENTION_MS = 90 * 24 * 60 * 60_000;

interface CursorData {
  readonly since: string;
}

export function encodeCursor(sinceMs: number): string {
  const data: CursorData = { since: new Date(sinceMs).toISOString() };
  return JSON.stringify(data);
}

/** The cursor's instant; throws CursorExpiredError when it cannot be used any more. */
export function decodeCursor(cursor: string, nowMs: number): Date {
  let since: Date;
  try {
    since = new Date((JSON.parse(cursor) as Partial<CursorData>).since ?? '');
  } catch {
    throw new CursorExpiredError('the Okta cursor is not readable');
  }
  if (Number.isNaN(since.getTime())) throw new CursorExpiredError('the Okta cursor is not readable');
  if (since.getTime() < nowMs - LOG_RETENTION_MS) {
    throw new CursorExpiredError('the Okta cursor is older than the System Log retention (90 days)');
  }
  return since;
}

/**
 * The server's time when a read began: the earliest Date header among the read's responses,
 * so client clock skew cannot move the cursor past changes. Falls back to the local clock.
 */
export function watchServerTime(
  executor: EventEmitter,
  now: () => number,
): { startedAt(): number; stop(): void } {
  const localStart = now();
  let earliest: number | undefined;
  const onResponse = (response: { headers: { get(name: string): string | null } }) => {
    const date = Date.parse(response.headers.get('date') ?? '');
    if (!Number.isNaN(date) && (earliest === undefined || date < earliest)) earliest = date;
  };
  executor.on('response', onResponse);
  return {
    startedAt: () => earliest ?? localStart,
    stop: () => executor.off('response', onResponse),
  };
}
