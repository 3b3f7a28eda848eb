import type { FastifyInstance } from 'fastify';
import { explainSubject } from '../../runs/explain.js';
import { type ApiDependencies, tenantOf } from '../dependencies.js';
import { parseInput } from '../httpErrors.js';
import { explainQuery } from '../schemas.js';
import type { RuntimeOf } from '../tenantRuntimes.js';

/** Explain (README, "On demand"): a read — the source and the platform are asked, nothing is written. */
export function registerExplainRoute(
  app: FastifyInstance,
  deps: ApiDependencies,
  runtimeOf: RuntimeOf,
): void {
  app.get('/v1/tenants/:tenant/explain', { config: { access: 'read' } }, async (request) => {
    const tenant = tenantOf(deps, request.params);
    const { subject, kind } = parseInput(explainQuery, request.query, 'query');
    // A platform that refuses or fails the whole request is answered 502 by the app's error handler.
    return await explainSubject(subject, kind, { stores: deps.stores, runtime: runtimeOf(tenant) });
  });
}
