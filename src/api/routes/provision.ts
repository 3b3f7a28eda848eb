import type { FastifyInstance } from 'fastify';
import { PlatformError } from '../../model/platform.js';
import { describeError } from '../../runs/errors.js';
import { provisionOnDemand } from '../../runs/provision.js';
import { createTenantRuntime, type TenantRuntime } from '../../runs/runtime.js';
import { triggerRun } from '../../service/runTrigger.js';
import { type ApiDependencies, tenantOf } from '../dependencies.js';
import { clip, HttpError, parseInput } from '../httpErrors.js';
import { provisionBody } from '../schemas.js';

/**
 * Provision on demand (README, "On demand"): the API process itself looks the subjects up and plans; the ops go to the tenant's
 * queue ahead of scheduled work and the workers apply them, while this request waits for them.
 */
export function registerProvisionRoute(app: FastifyInstance, deps: ApiDependencies): void {
  const runtimes = new Map<string, TenantRuntime>();
  app.addHook('onClose', async () => {
    for (const runtime of runtimes.values()) runtime.close();
  });

  app.post('/v1/tenants/:tenant/provision', { config: { access: 'write' } }, async (request) => {
    const tenant = tenantOf(deps, request.params);
    const body = parseInput(provisionBody, request.body, 'body');
    let runtime = runtimes.get(tenant.id);
    if (!runtime) {
      runtime = createTenantRuntime(tenant, deps.logger);
      runtimes.set(tenant.id, runtime);
    }
    try {
      return await provisionOnDemand(body, {
        stores: deps.stores,
        queues: deps.queues,
        runtime,
        logger: deps.logger,
        requestFollowUp: async () =>
          (await triggerRun(deps, { tenant: tenant.id, mode: 'full', trigger: 'provision' })).run.id,
      });
    } catch (error) {
      throw upstreamFailure(error) ?? error;
    }
  });
}

/**
 * 502 when the whole request could not proceed because the platform refused or failed it: the
 * subjects were looked up but nothing could be matched or applied. (A source that fails the
 * lookup ends each subject's trace instead.) The run record keeps the same reason.
 */
function upstreamFailure(error: unknown): HttpError | undefined {
  if (!(error instanceof PlatformError)) return undefined;
  return new HttpError(502, 'the platform refused or failed the request', {
    error: 'platform',
    status: error.status,
    ...(error.scimType ? { code: error.scimType } : {}),
    detail: clip(describeError(error)),
  });
}
