import type { FastifyInstance } from 'fastify';
import { createTenantRuntime } from '../../runs/runtime.js';
import { testTenantConnection } from '../../service/connectionTest.js';
import { resetTenant } from '../../service/quarantineStatus.js';
import { tenantStatus } from '../../service/tenantStatus.js';
import { canSee } from '../auth.js';
import { type ApiDependencies, tenantOf } from '../dependencies.js';
import { upstreamHttpError } from '../httpErrors.js';

export function registerTenantRoutes(app: FastifyInstance, deps: ApiDependencies): void {
  app.get('/v1/tenants', { config: { access: 'read' } }, async (request) => {
    const principal = request.principal!;
    const visible = deps.config.tenants.filter((tenant) => canSee(principal, tenant.id));
    return { tenants: await Promise.all(visible.map((tenant) => tenantStatus(deps, tenant))) };
  });

  app.get('/v1/tenants/:tenant', { config: { access: 'read' } }, async (request) =>
    tenantStatus(deps, tenantOf(deps, request.params)),
  );

  app.post('/v1/tenants/:tenant/test-connection', { config: { access: 'write' } }, async (request) => {
    const report = await testTenantConnection(
      createTenantRuntime(tenantOf(deps, request.params), deps.logger),
    );
    // A side that answered an error fails the request as any upstream failure does, report included.
    const failed = report.checks.find((check) => !check.ok && check.upstream !== undefined);
    if (failed?.upstream)
      throw upstreamHttpError({ ...failed.upstream, message: failed.message }, { ...report });
    return report;
  });

  app.post('/v1/tenants/:tenant/reset', { config: { access: 'write' } }, async (request) => {
    const tenant = tenantOf(deps, request.params);
    await resetTenant(deps.stores, tenant.id);
    deps.logger.info(
      { tenant: tenant.id },
      'tenant reset by an operator: cursor forgotten, quarantine cleared',
    );
    return { tenant: tenant.id, cursorForgotten: true, quarantineCleared: true };
  });
}
