import { Redis } from 'ioredis';

/** BullMQ workers block on Redis; they need connections that never give up on a command. */
export function connectRedis(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: null, enableReadyCheck: true });
}
