import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { serializerCompiler } from 'fastify-type-provider-zod';
import { AuditLog } from './audit.js';
import { TokenBook } from './auth.js';
import { registerConsole } from './console/routes.js';
import { registerDashboard } from './dashboard.js';
import type { ApiDependencies } from './dependencies.js';
import { createGuard, routeRequirement } from './guard.js';
import { addHardeningHeaders } from './headers.js';
import {
  clip,
  HttpError,
  isUpstreamError,
  sendHttpError,
  statusName,
  upstreamHttpError,
} from './httpErrors.js';
import { registerApiDocs, registerDocsPage } from './openapi.js';
import { registerAuditRoute } from './routes/audit.js';
import { registerExplainRoute } from './routes/explain.js';
import { registerHealthRoutes } from './routes/health.js';
import { registerMetricsRoute } from './routes/metrics.js';
import { registerProvisionRoute } from './routes/provision.js';
import { registerRunRoutes } from './routes/runs.js';
import { registerSuggestionsRoute } from './routes/suggestions.js';
import { registerTenantRoutes } from './routes/tenants.js';
import { DashboardSessions } from './sessions.js';
import { tenantRuntimes } from './tenantRuntimes.js';
import { createFailedAuthThrottle } from './throttle.js';
import { zodValidatorCompiler } from './validation.js';

export type { ApiDependencies } from './dependencies.js';

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** Answers a client should hear about at warn: refused credentials, refused access, throttling. */
const REFUSALS = new Set([401, 403, 429]);

/**
 * The admin API (README, "Admin API"), ready to `listen` or to `inject` in tests. Each route states the access
 * it needs in its config; one hook enforces it before anything else runs.
 */
export async function buildApi(deps: ApiDependencies): Promise<FastifyInstance> {
  const app = Fastify({
    logger: false,
    bodyLimit: 1_048_576,
    trustProxy: deps.config.api.trustProxy as boolean | string[],
    genReqId: () => randomUUID(),
    // fastify's own answers to a bad or overlong URL repeat the URL; these do not.
    frameworkErrors: (error, _request, reply) => {
      const status = error.statusCode ?? 400;
      (reply as FastifyReply)
        .code(status)
        .send({ error: statusName(status), message: 'the URL is malformed or too long' });
    },
  });
  const book = new TokenBook(deps.config.api.tokens);
  const sessions = new DashboardSessions(deps.stores.redis, book);
  const throttle = await createFailedAuthThrottle(app);
  const audit = new AuditLog(deps.stores.redis);
  const guard = createGuard({
    book,
    sessions,
    throttle,
    tenants: new Set(deps.config.tenants.map((tenant) => tenant.id)),
  });

  app.setValidatorCompiler(zodValidatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorateRequest('principal', null);
  addHardeningHeaders(app);
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
    const requirement = routeRequirement(request);
    if (requirement) await guard(request, requirement);
  });
  app.addHook('onResponse', async (request, reply) => {
    // The route pattern, never the URL: a query string may carry a dashboard token.
    const line = {
      requestId: request.id,
      method: request.method,
      route: request.routeOptions.url ?? 'unmatched',
      status: reply.statusCode,
      address: request.ip,
      ...(request.principal ? { token: request.principal.label } : {}),
      ms: Math.round(reply.elapsedTime),
    };
    if (REFUSALS.has(reply.statusCode)) deps.logger.warn(line, 'api request refused');
    else deps.logger.debug(line, 'api request');
    if (request.principal && !READ_METHODS.has(request.method)) {
      await audit
        .append({
          at: new Date().toISOString(),
          requestId: line.requestId,
          method: line.method,
          route: line.route,
          ...tenantOf(request),
          token: request.principal.label,
          address: line.address,
          status: line.status,
          ms: line.ms,
        })
        .catch((error: unknown) =>
          deps.logger.error({ reason: (error as Error).message }, 'audit entry not written'),
        );
    }
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
      return reply.code(status).send({ error: statusName(status), message: clip((error as Error).message) });
    }
    deps.logger.error(
      { route: request.routeOptions.url, reason: (error as Error).message },
      'api request failed',
    );
    return reply.code(500).send({ error: 'internal', message: 'the request failed; see the service log' });
  });

  await registerApiDocs(app);
  registerHealthRoutes(app, deps);
  registerMetricsRoute(app, deps);
  registerTenantRoutes(app, deps);
  registerRunRoutes(app, deps);
  const runtimeOf = tenantRuntimes(app, deps);
  registerProvisionRoute(app, deps, runtimeOf);
  registerExplainRoute(app, deps, runtimeOf);
  registerSuggestionsRoute(app, deps, runtimeOf);
  registerAuditRoute(app, audit);
  await registerDocsPage(app);
  await registerDashboard(app, { deps, guard, book, sessions, throttle });
  await registerConsole(app, { deps, guard, book, sessions, throttle, runtimeOf });
  return app;
}

function tenantOf(request: FastifyRequest): { tenant?: string } {
  const tenant = (request.params as { tenant?: unknown } | undefined)?.tenant;
  return typeof tenant === 'string' ? { tenant } : {};
}
