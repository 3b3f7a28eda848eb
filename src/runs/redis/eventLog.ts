import type { ProvisioningEvent } from '../../model/run.js';
import { scanEvents } from '../eventScan.js';
import { keys } from '../keys.js';
import type { EventLog, EventPage, EventQuery, WriteBatch } from '../ports.js';
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
 * the cursor a reader passes back as `after` (or `before`, reading newest first).
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

  /** Oldest first by XRANGE from `after`, newest first by XREVRANGE from `before`: both exclusive. */
  async read(tenant: string, query: EventQuery = {}): Promise<EventPage> {
    const key = keys.events(tenant);
    const entries = (from: string | undefined, count: number) =>
      query.order === 'newest'
        ? this.redis.xrevrange(key, from ? `(${from}` : '+', '-', 'COUNT', count)
        : this.redis.xrange(key, from ? `(${from}` : '-', '+', 'COUNT', count);
    return scanEvents(query, async (from, count) =>
      (await entries(from, count)).map(([id, fields]) => ({
        id,
        ...(JSON.parse(fields[1] ?? '{}') as Omit<ProvisioningEvent, 'id'>),
      })),
    );
  }
}
