import Fastify, { type FastifyInstance } from 'fastify';
import { TokenBook } from './auth.js';
import { registerDashboard } from './dashboard.js';
import type { ApiDependencies } from './dependencies.js';
import { createGuard, routeRequirement } from './guard.js';
import { HttpError, isUpstreamError, sendHttpError, statusName, upstreamHttpError } from './httpErrors.js';
import { docsPage, openApiDocument } from './openapi.js';
import { registerHealthRoutes } from './routes/health.js';
import { registerMetricsRoute } from './routes/metrics.js';
import { registerProvisionRoute } from './routes/provision.js';
import { registerRunRoutes } from './routes/runs.js';
import { registerTenantRoutes } from './routes/tenants.js';
import { DashboardSessions } from './sessions.js';

export type { ApiDependencies } from './dependencies.js';

/**
 * The admin API of SPEC §8, ready to `listen` or to `inject` in tests. Each route states the access
 * it needs in its config; one hook enforces it before anything else runs.
 */
export async function buildApi(deps: ApiDependencies): Promise<FastifyInstance> {
  const app = Fastify({ logger: false, bodyLimit: 1_048_576 });
  const book = new TokenBook(deps.config.api.tokens);
  const sessions = new DashboardSessions(deps.stores.redis, book);
  const guard = createGuard({
    book,
    sessions,
    tenants: new Set(deps.config.tenants.map((tenant) => tenant.id)),
  });

  app.decorateRequest('principal', null);
  app.addHook('onRequest', async (request) => {
    const requirement = routeRequirement(request);
    if (requirement) await guard(request, requirement);
  });
  app.addHook('onResponse', async (request, reply) => {
    // The route pattern, never the URL: a query string may carry a dashboard token.
    deps.logger.debug(
      {
        method: request.method,
        route: request.routeOptions.url ?? 'unmatched',
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime),
      },
      'api request',
    );
  });
  app.setErrorHandler(async (error, request, reply) => {
    if (error instanceof HttpError) return sendHttpError(reply, error);
    if (isUpstreamError(error)) {
      deps.logger.warn(
        {
          route: request.routeOptions.url,
          origin: error.origin,
          status: error.status,
          reason: error.message,
        },
        'api request failed upstream',
      );
      return sendHttpError(reply, upstreamHttpError(error));
    }
    const status = (error as { statusCode?: number }).statusCode;
    if (status && status >= 400 && status < 500) {
      return reply.code(status).send({ error: statusName(status), message: (error as Error).message });
    }
    deps.logger.error(
      { route: request.routeOptions.url, reason: (error as Error).message },
      'api request failed',
    );
    return reply.code(500).send({ error: 'internal', message: 'the request failed; see the service log' });
  });

  registerHealthRoutes(app, deps);
  registerMetricsRoute(app, deps);
  registerTenantRoutes(app, deps);
  registerRunRoutes(app, deps);
  registerProvisionRoute(app, deps);
  const document = openApiDocument();
  app.get('/docs/openapi.json', async () => document);
  app.get('/docs', async (_request, reply) => reply.type('text/html').send(docsPage(document)));
  await registerDashboard(app, { deps, guard, book, sessions });
  return app;
}
