import type { FastifyInstance } from 'fastify';
import { explainSubject } from '../../runs/explain.js';
import { type ApiDependencies, tenantOf } from '../dependencies.js';
import { errors, explainAnswer } from '../responses.js';
import { explainQuery, tenantParams } from '../schemas.js';
import type { RuntimeOf } from '../tenantRuntimes.js';
import type { ZodRequestTypeProvider } from '../validation.js';

/** Explain (README, "On demand"): a read — the source and the platform are asked, nothing is written. */
export function registerExplainRoute(
  app: FastifyInstance,
  deps: ApiDependencies,
  runtimeOf: RuntimeOf,
): void {
  app.withTypeProvider<ZodRequestTypeProvider>().get(
    '/v1/tenants/:tenant/explain',
    {
      config: { access: 'read' },
      schema: {
        summary:
          'Why a user or group is (not) on the platform and what the next run would do: a dry-run trace that changes nothing',
        params: tenantParams,
        querystring: explainQuery,
        response: { 200: explainAnswer, ...errors(400, 502) },
      },
    },
    async (request) => {
      const tenant = tenantOf(deps, request.params);
      const { subject, kind } = request.query;
      // A platform that refuses or fails the whole request is answered 502 by the app's error handler.
      return await explainSubject(subject, kind, { stores: deps.stores, runtime: runtimeOf(tenant) });
    },
  );
}
