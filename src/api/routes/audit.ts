import type { FastifyInstance } from 'fastify';
import type { AuditLog } from '../audit.js';
import { forbidden, parseInput } from '../httpErrors.js';
import { auditQuery } from '../schemas.js';

/** The audit log, for operators; a tenant-scoped operator reads its tenants' entries only. */
export function registerAuditRoute(app: FastifyInstance, audit: AuditLog): void {
  app.get('/v1/audit', { config: { access: 'read' } }, async (request) => {
    const principal = request.principal!;
    if (principal.role !== 'operator') throw forbidden('the audit log is for operator tokens');
    return audit.read(principal, parseInput(auditQuery, request.query, 'query'));
  });
}
