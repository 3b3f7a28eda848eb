import type { FastifyInstance } from 'fastify';
import type { ApiDependencies } from '../dependencies.js';
import { healthAnswer, readinessAnswer } from '../responses.js';

const PING_TIMEOUT_MS = 2000;

/** Liveness and readiness, without auth: what an orchestrator probes. */
export function registerHealthRoutes(app: FastifyInstance, deps: ApiDependencies): void {
  app.get('/healthz', { schema: { summary: 'Liveness', response: { 200: healthAnswer } } }, async () => ({
    ok: true,
  }));

  const readiness = {
    summary: 'Readiness: Redis reachable, config loaded',
    response: { 200: readinessAnswer, 503: readinessAnswer.describe('not ready: `redis` says why') },
  };
  app.get('/readyz', { schema: readiness }, async (_request, reply) => {
    const redis = await pingWithin(deps, PING_TIMEOUT_MS);
    const ready = redis === 'ok';
    return reply.code(ready ? 200 : 503).send({ ready, redis, tenants: deps.config.tenants.length });
  });
}

async function pingWithin(deps: ApiDependencies, timeoutMs: number): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string>((resolveTimeout) => {
    timer = setTimeout(() => resolveTimeout(`no answer within ${timeoutMs} ms`), timeoutMs);
  });
  try {
    return await Promise.race([
      deps.stores.redis.ping().then(
        () => 'ok',
        (error: unknown) => (error as Error).message,
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
