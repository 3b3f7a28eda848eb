import type { FastifyInstance } from 'fastify';
import type { AuditLog } from '../audit.js';
import { forbidden } from '../httpErrors.js';
import { auditPageAnswer, errors } from '../responses.js';
import { auditQuery } from '../schemas.js';
import type { ZodRequestTypeProvider } from '../validation.js';

/** The audit log, for operators; a tenant-scoped operator reads its tenants' entries only. */
export function registerAuditRoute(app: FastifyInstance, audit: AuditLog): void {
  app.withTypeProvider<ZodRequestTypeProvider>().get(
    '/v1/audit',
    {
      config: { access: 'read' },
      schema: {
        summary:
          'Audit log of write requests (operator tokens; a tenant-scoped token sees its tenants), oldest first',
        querystring: auditQuery,
        response: { 200: auditPageAnswer, ...errors(400) },
      },
    },
    async (request) => {
      const principal = request.principal!;
      if (principal.role !== 'operator') throw forbidden('the audit log is for operator tokens');
      return audit.read(principal, request.query);
    },
  );
}
