import type { ProvisioningEvent } from '../model/run.js';
import type { EventPage, EventQuery } from './ports.js';

/**
 * Log entries one read examines at most. A search (by subject, run or outcome) over the 100,000
 * or so events a tenant keeps stops here and answers `next` with `scanLimited`, so one request
 * costs at most this many entries read and parsed; the reader carries on from `next`.
 */
export const EVENT_SCAN_BOUND = 20_000;
const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 1000;
/** Entries read per round trip while searching. */
const SEARCH_BATCH = 1000;

/**
 * The entries of the log strictly past `from` (from the start when undefined), in the read's
 * order (oldest or newest first), at most `count`: what an adapter provides to `scanEvents`.
 */
export type EventBatchReader = (from: string | undefined, count: number) => Promise<ProvisioningEvent[]>;

/**
 * One page of a provisioning-log read, whatever stores the log: entries are examined in order,
 * filters applied while scanning so that a page holds `limit` matching events, up to the scan
 * bound.
 */
export async function scanEvents(query: EventQuery, readBatch: EventBatchReader): Promise<EventPage> {
  const limit = Math.min(Math.max(query.limit ?? DEFAULT_LIMIT, 1), MAX_LIMIT);
  const newest = query.order === 'newest';
  const searching = query.subject !== undefined || query.runId !== undefined || query.outcome !== undefined;
  const events: ProvisioningEvent[] = [];
  let from = newest ? query.before : query.after;
  let examined = 0;
  for (;;) {
    const count = Math.min(searching ? SEARCH_BATCH : limit, EVENT_SCAN_BOUND - examined);
    const batch = await readBatch(from, count);
    for (const event of batch) {
      examined++;
      if (matchesQuery(event, query)) events.push(event);
      if (events.length === limit) return { events, next: event.id };
    }
    if (batch.length < count) break;
    from = batch.at(-1)!.id;
    if (examined >= EVENT_SCAN_BOUND) return { events, next: from, scanLimited: true };
  }
  // Oldest first, the last event is where a reader waits for the ones still to come.
  if (newest || events.length === 0) return { events };
  return { events, next: events.at(-1)!.id };
}

/** Subject search is a case-insensitive substring of any name or id the event carries. */
export function matchesQuery(event: ProvisioningEvent, query: EventQuery): boolean {
  if (query.runId !== undefined && event.runId !== query.runId) return false;
  if (query.outcome !== undefined && event.outcome !== query.outcome) return false;
  if (query.subject === undefined) return true;
  const wanted = query.subject.toLowerCase();
  return [event.subject, event.email, event.externalId, event.targetId].some((name) =>
    name?.toLowerCase().includes(wanted),
  );
}
