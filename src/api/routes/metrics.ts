import type { FastifyInstance } from 'fastify';
import { DirsyncMetrics } from '../../observability/metrics.js';
import { readMetricsSnapshot } from '../../service/metricsSnapshot.js';
import type { ApiDependencies } from '../dependencies.js';
import { textAnswer } from '../responses.js';

/** Prometheus text, read from Redis at each scrape: the same numbers whichever api replica answers. */
export function registerMetricsRoute(app: FastifyInstance, deps: ApiDependencies): void {
  const metrics = new DirsyncMetrics();
  const tenants = deps.config.tenants.map((tenant) => tenant.id);
  app.get(
    '/metrics',
    {
      config: { access: 'read', scope: 'all' },
      schema: {
        summary: 'Prometheus metrics (a token for all tenants)',
        response: { 200: textAnswer('Prometheus text exposition', 'text/plain') },
      },
    },
    async (_request, reply) => {
      const snapshot = await readMetricsSnapshot({ ...deps, tenants });
      return reply.header('content-type', metrics.contentType).send(await metrics.render(snapshot));
    },
  );
}
