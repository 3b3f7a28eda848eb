import { gunzipSync } from 'node:zlib';
import type { Redis } from 'ioredis';

/** One Redis key and everything it holds, as text a search can read. */
export interface DumpedKey {
  readonly key: string;
  readonly type: string;
  readonly text: string;
}

const GZIP_MAGIC = [0x1f, 0x8b];

/**
 * Every key of the database with its whole content, whatever its type: strings (gzipped ones
 * unpacked too), hashes, lists, sets, sorted sets and streams — BullMQ's job hashes included.
 */
export async function dumpRedis(redis: Redis): Promise<DumpedKey[]> {
  const dumped: DumpedKey[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'COUNT', 500);
    cursor = next;
    for (const key of keys) dumped.push({ key, ...(await contentOf(redis, key)) });
  } while (cursor !== '0');
  return dumped;
}

async function contentOf(redis: Redis, key: string): Promise<{ type: string; text: string }> {
  const type = await redis.type(key);
  switch (type) {
    case 'string':
      return { type, text: readable(await redis.getBuffer(key)) };
    case 'hash':
      return { type, text: flatten(await redis.hgetall(key)) };
    case 'list':
      return { type, text: (await redis.lrange(key, 0, -1)).join('\n') };
    case 'set':
      return { type, text: (await redis.smembers(key)).join('\n') };
    case 'zset':
      return { type, text: (await redis.zrange(key, '0', '-1', 'WITHSCORES')).join('\n') };
    case 'stream':
      return {
        type,
        text: (await redis.xrange(key, '-', '+'))
          .map(([id, fields]) => `${id} ${fields.join(' ')}`)
          .join('\n'),
      };
    default:
      // A key that expired between SCAN and TYPE holds nothing any more.
      return { type, text: '' };
  }
}

function readable(value: Buffer | null): string {
  if (!value) return '';
  const gzipped = value[0] === GZIP_MAGIC[0] && value[1] === GZIP_MAGIC[1];
  return gzipped
    ? `${value.toString('latin1')}\n${gunzipSync(value).toString('utf8')}`
    : value.toString('utf8');
}

function flatten(fields: Record<string, string>): string {
  return Object.entries(fields)
    .map(([field, value]) => `${field}=${value}`)
    .join('\n');
}
