import type { FastifyInstance } from 'fastify';
import { testConnectionOnce } from '../../service/connectionTest.js';
import { resetTenant } from '../../service/quarantineStatus.js';
import { tenantStatus } from '../../service/tenantStatus.js';
import { canSee } from '../auth.js';
import { type ApiDependencies, tenantOf } from '../dependencies.js';
import { upstreamHttpError } from '../httpErrors.js';
import {
  connectionFailureAnswer,
  connectionReportAnswer,
  resetAnswer,
  tenantListAnswer,
  tenantStatusAnswer,
} from '../responses.js';
import { tenantParams } from '../schemas.js';
import type { ZodRequestTypeProvider } from '../validation.js';

export function registerTenantRoutes(app: FastifyInstance, deps: ApiDependencies): void {
  const api = app.withTypeProvider<ZodRequestTypeProvider>();
  api.get(
    '/v1/tenants',
    {
      config: { access: 'read' },
      schema: { summary: 'Status of the tenants this token may see', response: { 200: tenantListAnswer } },
    },
    async (request) => {
      const principal = request.principal!;
      const visible = deps.config.tenants.filter((tenant) => canSee(principal, tenant.id));
      return { tenants: await Promise.all(visible.map((tenant) => tenantStatus(deps, tenant))) };
    },
  );

  api.get(
    '/v1/tenants/:tenant',
    {
      config: { access: 'read' },
      schema: {
        summary: 'Status: last run, next run, quarantine, cursor age',
        params: tenantParams,
        response: { 200: tenantStatusAnswer },
      },
    },
    async (request) => tenantStatus(deps, tenantOf(deps, request.params)),
  );

  api.post(
    '/v1/tenants/:tenant/test-connection',
    {
      config: { access: 'write' },
      schema: {
        summary: 'Source and target reachable, credentials and permissions enough',
        params: tenantParams,
        response: {
          200: connectionReportAnswer,
          502: connectionFailureAnswer,
        },
      },
    },
    async (request) => {
      const report = await testConnectionOnce(tenantOf(deps, request.params), deps.logger);
      // A side that answered an error fails the request as any upstream failure does, report included.
      const failed = report.checks.find((check) => !check.ok && check.upstream !== undefined);
      if (failed?.upstream)
        throw upstreamHttpError({ ...failed.upstream, message: failed.message }, { ...report });
      return report;
    },
  );

  api.post(
    '/v1/tenants/:tenant/reset',
    {
      config: { access: 'write' },
      schema: {
        summary: 'Forget cursors (next run is full) and clear the quarantine',
        params: tenantParams,
        response: { 200: resetAnswer },
      },
    },
    async (request) => {
      const tenant = tenantOf(deps, request.params);
      await resetTenant(deps.stores, tenant.id);
      deps.logger.info(
        { tenant: tenant.id },
        'tenant reset by an operator: cursor forgotten, quarantine cleared',
      );
      return { tenant: tenant.id, cursorForgotten: true, quarantineCleared: true };
    },
  );
}
