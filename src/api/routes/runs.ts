import type { FastifyInstance } from 'fastify';
import { approveThroughQueue } from '../../service/approval.js';
import { triggerRun } from '../../service/runTrigger.js';
import { type ApiDependencies, tenantOf } from '../dependencies.js';
import { HttpError, notFound } from '../httpErrors.js';
import {
  approvalAnswer,
  errors,
  eventPageAnswer,
  runAnswer,
  runListAnswer,
  runOrderAnswer,
} from '../responses.js';
import {
  eventsQuery,
  runId as runIdSchema,
  runOrderBody,
  runParams,
  runsQuery,
  tenantParams,
} from '../schemas.js';
import type { ZodRequestTypeProvider } from '../validation.js';

/** The run a path names; an id that no run could have is not found, and never reaches Redis. */
function runIdOf(params: { runId: string }): string {
  if (!runIdSchema.safeParse(params.runId).success) throw notFound('run');
  return params.runId;
}

export function registerRunRoutes(app: FastifyInstance, deps: ApiDependencies): void {
  const api = app.withTypeProvider<ZodRequestTypeProvider>();
  api.post(
    '/v1/tenants/:tenant/runs',
    {
      config: { access: 'write' },
      schema: {
        summary: 'On-demand resync; coalesced into one follow-up run while a run is in flight',
        params: tenantParams,
        body: runOrderBody,
        response: { 202: runOrderAnswer, ...errors(400, 413) },
      },
    },
    async (request, reply) => {
      const tenant = tenantOf(deps, request.params);
      const triggered = await triggerRun(deps, { tenant: tenant.id, ...request.body, trigger: 'api' });
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
    },
  );

  api.get(
    '/v1/tenants/:tenant/runs',
    {
      config: { access: 'read' },
      schema: {
        summary: 'Run history, newest first',
        params: tenantParams,
        querystring: runsQuery,
        response: { 200: runListAnswer, ...errors(400) },
      },
    },
    async (request) => {
      const tenant = tenantOf(deps, request.params);
      const runs = await deps.stores.runs.list(tenant.id, request.query.limit);
      // The history stays light: a run's plan is read with the run itself.
      return { runs: runs.map(({ plan: _plan, ...run }) => run) };
    },
  );

  api.get(
    '/v1/tenants/:tenant/runs/:runId',
    {
      config: { access: 'read' },
      schema: {
        summary: 'One run with counts, failures, and its plan when dry or held',
        params: runParams,
        response: { 200: runAnswer },
      },
    },
    async (request) => {
      const tenant = tenantOf(deps, request.params);
      const runId = runIdOf(request.params);
      const run = await deps.stores.runs.get(tenant.id, runId);
      if (!run) throw notFound(`run ${runId}`);
      return run;
    },
  );

  api.post(
    '/v1/tenants/:tenant/runs/:runId/approve',
    {
      config: { access: 'write' },
      schema: {
        summary: 'Release a run held by a safety guard',
        params: runParams,
        response: { 202: approvalAnswer, ...errors(409) },
      },
    },
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

  api.get(
    '/v1/tenants/:tenant/events',
    {
      config: { access: 'read' },
      schema: {
        summary:
          'Provisioning log, oldest or newest first, searched by subject, run and outcome; pass `next` as `after` (or `before`) to read on',
        params: tenantParams,
        querystring: eventsQuery,
        response: { 200: eventPageAnswer, ...errors(400) },
      },
    },
    async (request) => {
      const tenant = tenantOf(deps, request.params);
      return deps.stores.events.read(tenant.id, request.query);
    },
  );
}
