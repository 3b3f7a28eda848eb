import type { ChainableCommander, Redis } from 'ioredis';

/** Commands queued for one MULTI: several stores' writes about one event go to Redis in one round trip. */
export type Batch = ChainableCommander;

/** Queues `build`'s commands on `batch` when given (the caller executes it), else runs them at once. */
export async function inBatch(
  redis: Redis,
  batch: Batch | undefined,
  build: (queue: Batch) => void,
): Promise<void> {
  if (batch) {
    build(batch);
    return;
  }
  const own = redis.multi();
  build(own);
  await own.exec();
}
