import type { FastifyInstance } from 'fastify';
import { suggestSubjects } from '../../service/suggestions.js';
import { type ApiDependencies, tenantOf } from '../dependencies.js';
import { errors, suggestionsAnswer } from '../responses.js';
import { suggestionsQuery, tenantParams } from '../schemas.js';
import type { RuntimeOf } from '../tenantRuntimes.js';
import type { ZodRequestTypeProvider } from '../validation.js';

/** A typeahead for provision on demand: a read of the source's own prefix search, nothing written. */
export function registerSuggestionsRoute(
  app: FastifyInstance,
  deps: ApiDependencies,
  runtimeOf: RuntimeOf,
): void {
  app.withTypeProvider<ZodRequestTypeProvider>().get(
    '/v1/tenants/:tenant/suggestions',
    {
      config: { access: 'read' },
      schema: {
        summary:
          'Users or groups of the source whose name starts with a text, for picking subjects to provision',
        params: tenantParams,
        querystring: suggestionsQuery,
        response: { 200: suggestionsAnswer, ...errors(400, 502) },
      },
    },
    async (request) => {
      const tenant = tenantOf(deps, request.params);
      const { kind, text, limit } = request.query;
      // A source that refuses or fails is answered 502 by the app's error handler.
      return { suggestions: await suggestSubjects(runtimeOf(tenant), kind, text, limit) };
    },
  );
}
