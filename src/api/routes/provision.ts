import type { FastifyInstance } from 'fastify';
import { type ProvisionDependencies, provisionOnDemand } from '../../runs/provision.js';
import type { TenantRuntime } from '../../runs/runtime.js';
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
      return await provisionOnDemand(request.body, provisionDependencies(deps, runtimeOf(tenant)));
    },
  );
}

/** What provision on demand needs in the API process, for the API route and the console alike. */
export function provisionDependencies(deps: ApiDependencies, runtime: TenantRuntime): ProvisionDependencies {
  return {
    stores: deps.stores,
    queues: deps.queues,
    runtime,
    logger: deps.logger,
    requestFollowUp: async () =>
      (await triggerRun(deps, { tenant: runtime.config.id, mode: 'full', trigger: 'provision' })).run.id,
  };
}
