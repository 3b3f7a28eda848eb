import type { FastifyInstance } from 'fastify';
import type { TenantConfig } from '../config/load.js';
import { createTenantRuntime, type TenantRuntime } from '../runs/runtime.js';
import type { ApiDependencies } from './dependencies.js';

/** A tenant's runtime, made on first use and kept: its clients hold tokens and connections worth reusing. */
export type RuntimeOf = (tenant: TenantConfig) => TenantRuntime;

/** The routes that read the source and the platform in the API process share one runtime per tenant, closed with the app. */
export function tenantRuntimes(app: FastifyInstance, deps: ApiDependencies): RuntimeOf {
  const runtimes = new Map<string, TenantRuntime>();
  app.addHook('onClose', async () => {
    for (const runtime of runtimes.values()) runtime.close();
  });
  return (tenant) => {
    let runtime = runtimes.get(tenant.id);
    if (!runtime) {
      runtime = createTenantRuntime(tenant, deps.logger);
      runtimes.set(tenant.id, runtime);
    }
    return runtime;
  };
}
