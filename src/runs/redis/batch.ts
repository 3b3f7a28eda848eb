import type { ChainableCommander } from 'ioredis';
import type { WriteBatch } from '../ports.js';
import type { RedisConnection } from './connection.js';

/** Commands queued for one MULTI: several stores' writes about one event go to Redis in one round trip. */
export class RedisWriteBatch implements WriteBatch {
  readonly commands: ChainableCommander;

  constructor(redis: RedisConnection) {
    this.commands = redis.multi();
  }

  async exec(): Promise<void> {
    await this.commands.exec();
  }
}

/** The MULTI behind a batch of this adapter; a batch of another adapter is a wiring mistake. */
export function commandsOf(batch: WriteBatch): ChainableCommander {
  if (!(batch instanceof RedisWriteBatch))
    throw new Error('a RedisConnection store was handed a batch of another store');
  return batch.commands;
}

/** Queues `build`'s commands on `batch` when given (the caller executes it), else runs them at once. */
export async function inBatch(
  redis: RedisConnection,
  batch: WriteBatch | undefined,
  build: (queue: ChainableCommander) => void,
): Promise<void> {
  if (batch) {
    build(commandsOf(batch));
    return;
  }
  const own = redis.multi();
  build(own);
  await own.exec();
}
