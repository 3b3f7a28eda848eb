import { promisify } from 'node:util';
import { constants, gunzip, gzip } from 'node:zlib';
import type { ChainableCommander } from 'ioredis';
import type { DirectorySnapshot } from '../../model/directory.js';
import { keys } from '../keys.js';
import { type ObjectKind, OwnershipChanges } from '../ownershipChanges.js';
import type { SourceCheckpoint, TenantState, WriteBatch } from '../ports.js';
import { commandsOf, inBatch } from './batch.js';
import type { RedisConnection } from './connection.js';

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);
/**
 * Every run rewrites the snapshot, an incremental one too, so packing it is on each run's path: at
 * 100,000 users and 1,000,000 memberships (74 MB of JSON, mostly object ids that hardly compress)
 * the fastest level packs it in under half the default's time for 6% more bytes.
 */
const SNAPSHOT_GZIP = { level: constants.Z_BEST_SPEED };
/** Links read per HMGET: a batch of large groups can name tens of thousands of members. */
const LINKS_PER_LOOKUP = 10_000;

/**
 * A tenant's durable state between runs: the source checkpoint, which platform objects it owns,
 * the platform ids it knows (a cache: every full run re-reads the platform), and the objects a
 * failed op left behind for the next incremental run.
 */
export class RedisTenantState implements TenantState {
  constructor(private readonly redis: RedisConnection) {}

  async checkpoint(tenant: string): Promise<SourceCheckpoint | undefined> {
    const [stored, cursor, committedAt] = await Promise.all([
      this.redis.getBuffer(keys.snapshot(tenant)),
      this.redis.hget(keys.cursor(tenant), 'cursor'),
      this.redis.hget(keys.cursor(tenant), 'committedAt'),
    ]);
    if (!stored || !committedAt) return undefined;
    const snapshot = JSON.parse((await gunzipAsync(stored)).toString('utf8')) as DirectorySnapshot;
    return { snapshot, committedAt, ...(cursor ? { cursor } : {}) };
  }

  /** Written only once a run's ops are safely enqueued. */
  async commitCheckpoint(tenant: string, checkpoint: SourceCheckpoint): Promise<void> {
    const packed = await gzipAsync(Buffer.from(JSON.stringify(checkpoint.snapshot)), SNAPSHOT_GZIP);
    const fields: Record<string, string> = { committedAt: checkpoint.committedAt };
    if (checkpoint.cursor) fields.cursor = checkpoint.cursor;
    await this.redis
      .multi()
      .set(keys.snapshot(tenant), packed)
      .del(keys.cursor(tenant))
      .hset(keys.cursor(tenant), fields)
      .exec();
  }

  async cursorCommittedAt(tenant: string): Promise<string | undefined> {
    return (await this.redis.hget(keys.cursor(tenant), 'committedAt')) ?? undefined;
  }

  /** Forgets the cursor and snapshot so the next run is full; ownership and links stay. */
  async reset(tenant: string): Promise<void> {
    await this.redis.del(keys.cursor(tenant), keys.snapshot(tenant));
  }

  async owned(tenant: string): Promise<{ users: Set<string>; groups: Set<string> }> {
    const [users, groups] = await Promise.all([
      this.redis.smembers(keys.ownedUsers(tenant)),
      this.redis.smembers(keys.ownedGroups(tenant)),
    ]);
    return { users: new Set(users), groups: new Set(groups) };
  }

  async own(tenant: string, kind: ObjectKind, externalId: string, platformId: string): Promise<void> {
    const changes = new OwnershipChanges();
    changes.own(kind, externalId, platformId);
    await inBatch(this.redis, undefined, (queue) => queueOwnershipOn(queue, tenant, changes));
  }

  async disown(tenant: string, kind: ObjectKind, externalId: string): Promise<void> {
    const changes = new OwnershipChanges();
    changes.disown(kind, externalId);
    await inBatch(this.redis, undefined, (queue) => queueOwnershipOn(queue, tenant, changes));
  }

  queueOwnership(tenant: string, changes: OwnershipChanges, batch: WriteBatch): void {
    queueOwnershipOn(commandsOf(batch), tenant, changes);
  }

  /** Platform ids of users by externalId, as last seen; absent ones are unknown. */
  async userLinks(tenant: string, externalIds: readonly string[]): Promise<Map<string, string>> {
    return this.links(keys.userLinks(tenant), externalIds);
  }

  async groupLinks(tenant: string, externalIds: readonly string[]): Promise<Map<string, string>> {
    return this.links(keys.groupLinks(tenant), externalIds);
  }

  /** Records the links a full run read, so workers resolve members without a lookup. */
  async rememberLinks(
    tenant: string,
    kind: 'user' | 'group',
    links: ReadonlyMap<string, string>,
  ): Promise<void> {
    if (links.size === 0) return;
    const key = kind === 'user' ? keys.userLinks(tenant) : keys.groupLinks(tenant);
    const entries = [...links];
    for (let start = 0; start < entries.length; start += 10_000) {
      await this.redis.hset(key, Object.fromEntries(entries.slice(start, start + 10_000)));
    }
  }

  async forgetLink(tenant: string, kind: 'user' | 'group', externalId: string): Promise<void> {
    await this.redis.hdel(kind === 'user' ? keys.userLinks(tenant) : keys.groupLinks(tenant), externalId);
  }

  async markForRetry(
    tenant: string,
    kind: 'user' | 'group',
    externalId: string,
    batch?: WriteBatch,
  ): Promise<void> {
    await inBatch(this.redis, batch, (queue) => queue.sadd(keys.retry(tenant), `${kind}:${externalId}`));
  }

  /** Takes the objects left for retry; the run that takes them plans them again. */
  async takeRetries(tenant: string): Promise<{ users: string[]; groups: string[] }> {
    const [entries] = ((await this.redis
      .multi()
      .smembers(keys.retry(tenant))
      .del(keys.retry(tenant))
      .exec()) ?? []) as [[Error | null, string[]]];
    const members = entries?.[1] ?? [];
    return {
      users: members.filter((entry) => entry.startsWith('user:')).map((entry) => entry.slice(5)),
      groups: members.filter((entry) => entry.startsWith('group:')).map((entry) => entry.slice(6)),
    };
  }

  private async links(key: string, externalIds: readonly string[]): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    for (let start = 0; start < externalIds.length; start += LINKS_PER_LOOKUP) {
      const slice = externalIds.slice(start, start + LINKS_PER_LOOKUP);
      const values = await this.redis.hmget(key, ...slice);
      slice.forEach((externalId, index) => {
        const value = values[index];
        if (value) found.set(externalId, value);
      });
    }
    return found;
  }
}

/** At most two commands per kind and direction. */
function queueOwnershipOn(batch: ChainableCommander, tenant: string, changes: OwnershipChanges): void {
  for (const kind of ['user', 'group'] as const) {
    const [ownedKey, linkKey] = ownershipKeys(tenant, kind);
    const owned = changes.owned[kind];
    if (owned.size > 0) batch.sadd(ownedKey, ...owned.keys()).hset(linkKey, Object.fromEntries(owned));
    const disowned = [...changes.disowned[kind]];
    if (disowned.length > 0) batch.srem(ownedKey, ...disowned).hdel(linkKey, ...disowned);
  }
}

function ownershipKeys(tenant: string, kind: 'user' | 'group'): [owned: string, links: string] {
  return kind === 'user'
    ? [keys.ownedUsers(tenant), keys.userLinks(tenant)]
    : [keys.ownedGroups(tenant), keys.groupLinks(tenant)];
}
