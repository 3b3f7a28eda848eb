import type { FastifyInstance } from 'fastify';
import { approveThroughQueue } from '../../service/approval.js';
import { triggerRun } from '../../service/runTrigger.js';
import { type ApiDependencies, tenantOf } from '../dependencies.js';
import { HttpError, notFound, parseInput } from '../httpErrors.js';
import { eventsQuery, runId as runIdSchema, runOrderBody, runsQuery } from '../schemas.js';

/** The run a path names; an id that no run could have is not found, and never reaches Redis. */
function runIdOf(params: unknown): string {
  const { runId } = params as { runId: string };
  if (!runIdSchema.safeParse(runId).success) throw notFound('run');
  return runId;
}

export function registerRunRoutes(app: FastifyInstance, deps: ApiDependencies): void {
  app.post('/v1/tenants/:tenant/runs', { config: { access: 'write' } }, async (request, reply) => {
    const tenant = tenantOf(deps, request.params);
    const order = parseInput(runOrderBody, request.body, 'body');
    const triggered = await triggerRun(deps, { tenant: tenant.id, ...order, trigger: 'api' });
    return reply
      .code(202)
      .header('location', `/v1/tenants/${tenant.id}/runs/${triggered.run.id}`)
      .send({
        runId: triggered.run.id,
        status: triggered.run.status,
        mode: triggered.run.requestedMode,
        dryRun: triggered.run.dryRun,
        coalesced: triggered.coalesced,
        ...(triggered.behind ? { behind: triggered.behind } : {}),
      });
  });

  app.get('/v1/tenants/:tenant/runs', { config: { access: 'read' } }, async (request) => {
    const tenant = tenantOf(deps, request.params);
    const { limit } = parseInput(runsQuery, request.query, 'query');
    const runs = await deps.stores.runs.list(tenant.id, limit);
    // The history stays light: a run's plan is read with the run itself.
    return { runs: runs.map(({ plan: _plan, ...run }) => run) };
  });

  app.get('/v1/tenants/:tenant/runs/:runId', { config: { access: 'read' } }, async (request) => {
    const tenant = tenantOf(deps, request.params);
    const runId = runIdOf(request.params);
    const run = await deps.stores.runs.get(tenant.id, runId);
    if (!run) throw notFound(`run ${runId}`);
    return run;
  });

  app.post(
    '/v1/tenants/:tenant/runs/:runId/approve',
    { config: { access: 'write' } },
    async (request, reply) => {
      const tenant = tenantOf(deps, request.params);
      const runId = runIdOf(request.params);
      const outcome = await approveThroughQueue(deps, tenant.id, runId);
      if (!outcome.approved) {
        throw outcome.problem === 'unknownRun'
          ? notFound(`run ${runId}`)
          : new HttpError(409, outcome.message);
      }
      deps.logger.info({ tenant: tenant.id, runId }, 'held run approved');
      return reply.code(202).send({ runId, status: outcome.run.status });
    },
  );

  app.get('/v1/tenants/:tenant/events', { config: { access: 'read' } }, async (request) => {
    const tenant = tenantOf(deps, request.params);
    const query = parseInput(eventsQuery, request.query, 'query');
    return deps.stores.events.read(tenant.id, query);
  });
}
