import type { ProvisioningEvent } from '../../model/run.js';
import { keys } from '../keys.js';
import type { EventLog, EventQuery, WriteBatch } from '../ports.js';
import { inBatch } from './batch.js';
import type { RedisConnection } from './connection.js';

/** Events kept per tenant (approximately: Redis trims whole stream nodes). */
const MAX_EVENTS_KEPT = 100_000;

/**
 * Adds each event as its own stream entry, in order, in one command: a batch of ops logs its
 * events with one round of client work instead of one command per event.
 */
const APPEND_EACH = `
for index = 2, #ARGV do
  redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', 'event', ARGV[index])
end
return #ARGV - 1`;

/**
 * The provisioning log: one Redis stream per tenant, so events are ordered and the stream id is
 * the cursor a reader passes back as `after`.
 */
export class RedisEventLog implements EventLog {
  constructor(private readonly redis: RedisConnection) {}

  async append(tenant: string, event: Omit<ProvisioningEvent, 'id'>, batch?: WriteBatch): Promise<void> {
    await this.appendAll(tenant, [event], batch);
  }

  async appendAll(
    tenant: string,
    events: readonly Omit<ProvisioningEvent, 'id'>[],
    batch?: WriteBatch,
  ): Promise<void> {
    if (events.length === 0) return;
    const texts = events.map((event) => JSON.stringify(event));
    await inBatch(this.redis, batch, (queue) =>
      queue.eval(APPEND_EACH, 1, keys.events(tenant), String(MAX_EVENTS_KEPT), ...texts),
    );
  }

  /** Stream ids begin with their time in ms. */
  cursorAt(time: Date): string {
    return `${time.getTime() - 1}-0`;
  }

  async read(
    tenant: string,
    query: EventQuery = {},
  ): Promise<{ events: ProvisioningEvent[]; next?: string }> {
    const limit = Math.min(Math.max(query.limit ?? 100, 1), 1000);
    const events: ProvisioningEvent[] = [];
    let start = query.after ? `(${query.after}` : '-';
    // Filters are applied while scanning so that a page holds `limit` matching events.
    for (;;) {
      const batch = await this.redis.xrange(
        keys.events(tenant),
        start,
        '+',
        'COUNT',
        Math.max(limit * 4, 200),
      );
      if (batch.length === 0) break;
      for (const [id, fields] of batch) {
        const event = { id, ...(JSON.parse(fields[1] ?? '{}') as Omit<ProvisioningEvent, 'id'>) };
        if (matches(event, query)) events.push(event);
        if (events.length === limit) return { events, next: id };
      }
      start = `(${batch.at(-1)![0]}`;
    }
    return { events, ...(events.length > 0 ? { next: events.at(-1)!.id } : {}) };
  }
}

function matches(event: ProvisioningEvent, query: EventQuery): boolean {
  if (query.runId && event.runId !== query.runId) return false;
  if (query.subject) {
    const wanted = query.subject.toLowerCase();
    return event.externalId === query.subject || (event.subject ?? '').toLowerCase() === wanted;
  }
  return true;
}
