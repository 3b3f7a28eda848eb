import { keys } from '../runs/keys.js';
import type { RedisConnection } from '../runs/redis/connection.js';

/**
 * A token bucket in Redis, refilled at `rate` per second up to `burst`, on Redis's clock. Takes `n`
 * tokens and answers 0, or takes none and answers how many ms until `n` are there.
 */
const TAKE = `
local now = redis.call('TIME')
local nowMs = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local wanted = tonumber(ARGV[3])
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1]) or burst
local at = tonumber(state[2]) or nowMs
tokens = math.min(burst, tokens + math.max(0, nowMs - at) * rate / 1000)
local wait = 0
if tokens >= wanted then tokens = tokens - wanted else wait = math.ceil((wanted - tokens) * 1000 / rate) end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(nowMs))
redis.call('PEXPIRE', KEYS[1], math.ceil(burst * 1000 / rate) + 1000)
return wait`;

/**
 * Paces a tenant's platform requests at `maxRequestsPerSecond`, across every worker process: a
 * batch takes one token per op before it starts. Paced by ops, not jobs, a run of 4 user ops and
 * 3 group ops sends its groups at once, where a limit of one job per second held them back a
 * second. The budget holds at most one second of requests, the most a batch carries (see
 * opsPerJob), so every batch can be paid for.
 */
export class OpPacer {
  readonly #burst: number;

  constructor(
    private readonly redis: RedisConnection,
    private readonly tenant: string,
    private readonly perSecond: number,
  ) {
    this.#burst = Math.max(1, Math.floor(perSecond));
  }

  /** Resolves once `ops` requests may go out. */
  async take(ops: number): Promise<void> {
    const wanted = Math.min(ops, this.#burst);
    for (;;) {
      const waitMs = Number(
        await this.redis.eval(
          TAKE,
          1,
          keys.pace(this.tenant),
          String(this.perSecond),
          String(this.#burst),
          String(wanted),
        ),
      );
      if (waitMs <= 0) return;
      await new Promise((wake) => setTimeout(wake, waitMs));
    }
  }
}
