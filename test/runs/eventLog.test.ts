import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import type { ProvisioningEvent } from '../../src/model/run.js';
import { EVENT_SCAN_BOUND } from '../../src/runs/eventScan.js';
import { keys } from '../../src/runs/keys.js';
import type { EventLog, EventQuery } from '../../src/runs/ports.js';
import { createStores } from '../../src/runs/redis/stores.js';
import { connectRedis } from '../../src/service/redis.js';
import { memoryStores } from '../support/memoryStores.js';

/**
 * The provisioning log as support staff search it, on both of its adapters: the Redis stream
 * (against the suite's real Redis) and the in-memory one the pipeline's unit tests use.
 */
const redis = connectRedis({ url: process.env.REDIS_URL! });
const tenants: string[] = [];
afterAll(async () => {
  await Promise.all(tenants.map((tenant) => redis.del(keys.events(tenant))));
  redis.disconnect();
});

const ADAPTERS: readonly { name: string; log: () => EventLog }[] = [
  { name: 'Redis stream', log: () => createStores(redis).events },
  { name: 'memory', log: () => memoryStores().events },
];

type NewEvent = Omit<ProvisioningEvent, 'id'>;
const event = (externalId: string, fields: Partial<NewEvent> = {}): NewEvent => ({
  runId: 'run-1',
  at: new Date().toISOString(),
  objectType: 'user',
  externalId,
  op: 'updateUser',
  outcome: 'success',
  ...fields,
});

/** Every event a query finds, page after page, following `next` in the query's order. */
async function readAll(log: EventLog, tenant: string, query: EventQuery): Promise<ProvisioningEvent[]> {
  const found: ProvisioningEvent[] = [];
  let cursor: string | undefined;
  for (let pages = 0; pages < 100; pages++) {
    const page = await log.read(tenant, {
      ...query,
      ...(cursor ? (query.order === 'newest' ? { before: cursor } : { after: cursor }) : {}),
    });
    found.push(...page.events);
    if (!page.next || (page.events.length === 0 && !page.scanLimited)) return found;
    cursor = page.next;
  }
  throw new Error('the log never ended');
}

describe.each(ADAPTERS)('the provisioning log ($name)', ({ log: makeLog }) => {
  const tenant = () => {
    const id = `eventlog-${randomBytes(4).toString('hex')}`;
    tenants.push(id);
    return id;
  };

  it('reads newest first, back in time page by page, each event once, ending without a cursor', async () => {
    const log = makeLog();
    const id = tenant();
    await log.appendAll(
      id,
      Array.from({ length: 7 }, (_, index) => event(`u-${index}`)),
    );
    const first = await log.read(id, { order: 'newest', limit: 3 });
    expect(first.events.map((each) => each.externalId)).toEqual(['u-6', 'u-5', 'u-4']);
    const second = await log.read(id, { order: 'newest', limit: 3, before: first.next! });
    expect(second.events.map((each) => each.externalId)).toEqual(['u-3', 'u-2', 'u-1']);
    const last = await log.read(id, { order: 'newest', limit: 3, before: second.next! });
    expect(last.events.map((each) => each.externalId)).toEqual(['u-0']);
    expect(last.next).toBeUndefined();
    // Oldest first stays as it was: `next` is where a reader waits for events still to come.
    const oldest = await log.read(id, { limit: 10 });
    expect(oldest.events.map((each) => each.externalId)).toEqual([
      'u-0',
      'u-1',
      'u-2',
      'u-3',
      'u-4',
      'u-5',
      'u-6',
    ]);
    expect(oldest.next).toBe(oldest.events.at(-1)!.id);
  });

  it('finds a subject by part of its userName, email, group name, source id or platform id, without case', async () => {
    const log = makeLog();
    const id = tenant();
    await log.appendAll(id, [
      event('u-ada', { subject: 'ada@example.com', email: 'ada.lovelace@example.com', targetId: 'p-0001' }),
      event('u-grace', {
        subject: 'grace@example.com',
        email: 'grace.hopper@example.com',
        targetId: 'p-0002',
      }),
      event('g-eng', { objectType: 'group', op: 'addMembers', subject: 'Engineering', targetId: 'p-0003' }),
      event('u-alan', { subject: 'alan@example.com', outcome: 'failure', reason: 'refused', runId: 'run-2' }),
    ]);
    const subjects = async (query: EventQuery) =>
      (await log.read(id, { order: 'newest', ...query })).events.map((each) => each.externalId);
    expect(await subjects({ subject: 'LOVELACE@' })).toEqual(['u-ada']);
    expect(await subjects({ subject: 'Grace@Example' })).toEqual(['u-grace']);
    expect(await subjects({ subject: 'engin' })).toEqual(['g-eng']);
    expect(await subjects({ subject: 'u-al' })).toEqual(['u-alan']);
    expect(await subjects({ subject: 'P-0002' })).toEqual(['u-grace']);
    expect(await subjects({ subject: 'example.com' })).toEqual(['u-alan', 'u-grace', 'u-ada']);
    expect(await subjects({ subject: 'nobody' })).toEqual([]);
    expect(await subjects({ outcome: 'failure' })).toEqual(['u-alan']);
    expect(await subjects({ outcome: 'success', subject: 'example.com' })).toEqual(['u-grace', 'u-ada']);
    expect(await subjects({ runId: 'run-1', subject: 'a' })).toEqual(['u-grace', 'u-ada']);
  });

  it(`stops a search after ${EVENT_SCAN_BOUND} entries, and carries on from where it stopped`, async () => {
    const log = makeLog();
    const id = tenant();
    await log.append(id, event('u-needle', { subject: 'needle@example.com', outcome: 'failure' }));
    const hay = Array.from({ length: EVENT_SCAN_BOUND + 500 }, (_, index) => event(`u-${index}`));
    for (let start = 0; start < hay.length; start += 2000)
      await log.appendAll(id, hay.slice(start, start + 2000));

    const newest = await log.read(id, { order: 'newest', subject: 'needle' });
    expect(newest).toMatchObject({ events: [], scanLimited: true });
    const older = await log.read(id, { order: 'newest', subject: 'needle', before: newest.next! });
    expect(older.events.map((each) => each.externalId)).toEqual(['u-needle']);
    expect(older.scanLimited).toBeUndefined();
    expect(older.next).toBeUndefined();

    const tail = await log.read(id, { outcome: 'success', after: older.events[0]!.id, limit: 1000 });
    expect(tail.events).toHaveLength(1000);
    expect(await readAll(log, id, { order: 'newest', outcome: 'failure' })).toHaveLength(1);
    expect(await readAll(log, id, { outcome: 'failure' })).toHaveLength(1);
  });
});
