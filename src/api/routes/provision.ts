import type { FastifyInstance } from 'fastify';
import { provisionOnDemand } from '../../runs/provision.js';
import { triggerRun } from '../../service/runTrigger.js';
import { type ApiDependencies, tenantOf } from '../dependencies.js';
import { errors, provisionAnswer } from '../responses.js';
import { provisionBody, tenantParams } from '../schemas.js';
import type { RuntimeOf } from '../tenantRuntimes.js';
import type { ZodRequestTypeProvider } from '../validation.js';

/**
 * Provision on demand (README, "On demand"): the API process itself looks the subjects up and plans; the ops go to the tenant's
 * queue ahead of scheduled work and the workers apply them, while this request waits for them.
 */
export function registerProvisionRoute(
  app: FastifyInstance,
  deps: ApiDependencies,
  runtimeOf: RuntimeOf,
): void {
  app.withTypeProvider<ZodRequestTypeProvider>().post(
    '/v1/tenants/:tenant/provision',
    {
      config: { access: 'write' },
      schema: {
        summary:
          'Provision chosen users or groups now, ahead of scheduled work, with a step trace per subject',
        params: tenantParams,
        body: provisionBody,
        response: { 200: provisionAnswer, ...errors(400, 413, 502) },
      },
    },
    async (request) => {
      const tenant = tenantOf(deps, request.params);
      // A platform that refuses or fails the whole request is answered 502 by the app's error handler.
      return await provisionOnDemand(request.body, {
        stores: deps.stores,
        queues: deps.queues,
        runtime: runtimeOf(tenant),
        logger: deps.logger,
        requestFollowUp: async () =>
          (await triggerRun(deps, { tenant: tenant.id, mode: 'full', trigger: 'provision' })).run.id,
      });
    },
  );
}
