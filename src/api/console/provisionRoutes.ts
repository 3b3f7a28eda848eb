import { PassThrough } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { describeError } from '../../runs/errors.js';
import { ProvisionLimitError, provisionOnDemand } from '../../runs/provision.js';
import type { ProvisionProgress } from '../../runs/provisionTrace.js';
import { suggestSubjects } from '../../service/suggestions.js';
import { type ApiDependencies, tenantOf } from '../dependencies.js';
import { HttpError, isUpstreamError, parseInput } from '../httpErrors.js';
import { provisionDependencies } from '../routes/provision.js';
import { consoleProvisionForm, provisionBody, suggestionsQuery } from '../schemas.js';
import type { RuntimeOf } from '../tenantRuntimes.js';
import { CONSOLE_PATH, type PageContext } from './layout.js';
import { provisionPage, provisionResults, stageText } from './provisionPage.js';

const ROUTE = `${CONSOLE_PATH}/tenants/:tenant/provision`;

/** The media type of the step stream: one JSON object per line, each sent as soon as it is known. */
const STEP_STREAM_TYPE = 'application/x-ndjson';

/** The console's check of a request: the signed-in principal, its access, and (for actions) the CSRF token. */
export type ConsoleContext = (
  request: FastifyRequest,
  access: 'read' | 'write',
  tenant?: string,
) => Promise<{ id: string; page: PageContext }>;

interface ProvisionPagesOptions {
  readonly deps: ApiDependencies;
  readonly runtimeOf: RuntimeOf;
  readonly context: ConsoleContext;
}

type TenantRequest = FastifyRequest<{ Params: { tenant: string } }>;

/**
 * Provision on demand in the console: the page (any signed-in reader), the typeahead's
 * suggestions (a read), and the run (operators). A run posted by the page's script streams its
 * steps as lines of JSON; a plain form post waits and answers the page with the final traces.
 */
export function registerProvisionPages(pages: FastifyInstance, options: ProvisionPagesOptions): void {
  const { deps, runtimeOf, context } = options;

  pages.get(ROUTE, async (request: TenantRequest, reply) => {
    const { page } = await context(request, 'read', request.params.tenant);
    const tenant = tenantOf(deps, request.params);
    return reply.type('text/html').send(provisionPage(tenant.id, page));
  });

  pages.get(`${ROUTE}/suggestions`, async (request: TenantRequest, reply) => {
    await context(request, 'read', request.params.tenant);
    const tenant = tenantOf(deps, request.params);
    const { kind, text, limit } = parseInput(suggestionsQuery, request.query, 'query');
    try {
      const suggestions = await suggestSubjects(runtimeOf(tenant), kind, text, limit);
      return reply.type('application/json').send({ suggestions });
    } catch (error) {
      throw asPageError(error);
    }
  });

  pages.post(ROUTE, async (request: TenantRequest, reply) => {
    const { page } = await context(request, 'write', request.params.tenant);
    const tenant = tenantOf(deps, request.params);
    const form = parseInput(consoleProvisionForm, request.body, 'body');
    const subjects = parseInput(provisionBody, { users: form.users, groups: form.groups }, 'body');
    deps.logger.info(
      {
        tenant: tenant.id,
        token: page.principal.label,
        subjects: subjects.users.length + subjects.groups.length,
      },
      'provision on demand from the console',
    );
    const provisionDeps = provisionDependencies(deps, runtimeOf(tenant));

    if (!(request.headers.accept ?? '').includes(STEP_STREAM_TYPE)) {
      try {
        const answer = await provisionOnDemand(subjects, provisionDeps);
        const view = { stage: 'applied' as const, ...answer };
        return reply.type('text/html').send(provisionPage(tenant.id, page, subjects, view));
      } catch (error) {
        throw asPageError(error);
      }
    }

    // The page's script: each stage as one line, the import step before the action's outcome.
    const stream = new PassThrough();
    const send = (line: object) => stream.write(`${JSON.stringify(line)}\n`);
    const sendProgress = (progress: ProvisionProgress) =>
      send({
        ...progress,
        status: stageText(progress.stage),
        html: provisionResults(tenant.id, progress).text,
      });
    void provisionOnDemand(subjects, { ...provisionDeps, onSteps: sendProgress })
      .catch((error: unknown) => {
        const failure = pageErrorOf(error);
        if (!failure)
          deps.logger.error({ tenant: tenant.id, reason: describeError(error) }, 'console provision failed');
        send({ stage: 'failed', status: failure?.message ?? 'the provision failed; see the service log' });
      })
      .finally(() => stream.end());
    return reply.type(`${STEP_STREAM_TYPE}; charset=utf-8`).send(stream);
  });
}

/** A failure the console shows on its page: the source's or platform's answer (502), a limit (400). */
function pageErrorOf(error: unknown): HttpError | undefined {
  if (error instanceof HttpError) return error;
  if (error instanceof ProvisionLimitError) return new HttpError(400, error.message);
  if (isUpstreamError(error)) return new HttpError(502, describeError(error));
  return undefined;
}

/** The page's failure, or the error itself for the app to answer as dirsync's own fault. */
function asPageError(error: unknown): unknown {
  return pageErrorOf(error) ?? error;
}
