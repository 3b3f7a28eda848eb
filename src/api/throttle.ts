import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { HttpError } from './httpErrors.js';

/** Failed authentications a client address may make per window before every attempt is refused. */
const FAILED_AUTH_LIMIT = 20;
const WINDOW_MS = 60_000;

/**
 * Failed authentication counted per client address, in this process's memory. Past the limit the
 * address is refused (429 with Retry-After) whatever it presents, so a right guess cannot be told
 * from a wrong one until the window ends; requests from other addresses are untouched.
 */
export interface FailedAuthThrottle {
  /** Throws 429 while the request's address is over the limit. */
  check(request: FastifyRequest): Promise<void>;
  /** Counts one failure of the request's address; throws 429 once that puts it over the limit. */
  fail(request: FastifyRequest): Promise<void>;
}

export async function createFailedAuthThrottle(app: FastifyInstance): Promise<FailedAuthThrottle> {
  await app.register(rateLimit, { global: false });
  const limiter = app.createRateLimit({
    max: FAILED_AUTH_LIMIT,
    timeWindow: WINDOW_MS,
    keyGenerator: (request) => request.ip,
  });
  const refuseWhenExceeded = async (request: FastifyRequest, increment: boolean) => {
    const verdict = await limiter(request, { increment });
    if (verdict.isAllowed || !verdict.isExceeded) return;
    throw new HttpError(
      429,
      `too many failed authentications from this address; retry in ${verdict.ttlInSeconds} s`,
      {},
      { 'retry-after': String(verdict.ttlInSeconds) },
    );
  };
  return {
    check: (request) => refuseWhenExceeded(request, false),
    fail: (request) => refuseWhenExceeded(request, true),
  };
}
