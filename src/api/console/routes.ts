import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { explainSubject } from '../../runs/explain.js';
import { approveThroughQueue } from '../../service/approval.js';
import { testConnectionOnce } from '../../service/connectionTest.js';
import { resetTenant } from '../../service/quarantineStatus.js';
import { triggerRun } from '../../service/runTrigger.js';
import { tenantStatus } from '../../service/tenantStatus.js';
import { canSee, type Principal, type TokenBook } from '../auth.js';
import { refuseCrossSite } from '../csrf.js';
import { type ApiDependencies, tenantOf } from '../dependencies.js';
import type { Guard } from '../guard.js';
import { HttpError, isUpstreamError, parseInput, upstreamHttpError } from '../httpErrors.js';
import {
  consoleExplainQuery,
  consoleLogQuery,
  consoleRunOrder,
  loginForm,
  runId as runIdSchema,
} from '../schemas.js';
import {
  cookieValue,
  csrfTokenOf,
  type DashboardSessions,
  expiredSessionCookie,
  SESSION_COOKIE,
  sessionCookie,
} from '../sessions.js';
import type { RuntimeOf } from '../tenantRuntimes.js';
import type { FailedAuthThrottle } from '../throttle.js';
import { CONSOLE_CSS } from './assets.js';
import { loadClientScripts } from './clientScripts.js';
import { explainPage } from './explainPage.js';
import { CONSOLE_PATH, loginPage, messagePage, type PageContext } from './layout.js';
import { LiveRunStreams } from './liveRun.js';
import { LOG_PAGE_SIZE, logPage } from './logPage.js';
import { changesFromEvents, changesFromPlan } from './objectChanges.js';
import { registerProvisionPages } from './provisionRoutes.js';
import { runPage } from './runPage.js';
import { tenantPage, tenantPath } from './tenantPage.js';
import { runPath, type TenantRow, tenantsPage } from './tenantsPage.js';

/** Runs of a tenant looked through for held ones, and shown in its history. */
const HISTORY_LENGTH = 50;
/** Provisioning-log events a run page shows. */
const EVENTS_SHOWN = 1000;
/**
 * Only this host's scripts, styles, forms and requests (the typeahead and the step stream): no
 * inline script can run even if markup slipped through.
 */
const CONSOLE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

export interface ConsoleOptions {
  readonly deps: ApiDependencies;
  readonly guard: Guard;
  readonly book: TokenBook;
  readonly sessions: DashboardSessions;
  readonly throttle: FailedAuthThrottle;
  /** The API's runtime per tenant: explain, provision and its typeahead read the source and platform through it. */
  readonly runtimeOf: RuntimeOf;
}

/**
 * The support console at /console: server-rendered pages behind the API's tokens. A token signs in
 * once for an 8-hour session cookie scoped to /console; viewers see their tenants, operators also
 * act. Every action must come from a console page (Origin check) and carry the session's CSRF token.
 */
export async function registerConsole(app: FastifyInstance, options: ConsoleOptions): Promise<void> {
  const { deps, guard } = options;
  await app.register(async (pages) => {
    // Pages for a browser, not API operations: the OpenAPI document leaves them out, as it does /docs.
    pages.addHook('onRoute', (route) => {
      route.schema = { ...route.schema, hide: true };
    });
    pages.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string' },
      (_request, body, done) => done(null, Object.fromEntries(new URLSearchParams(String(body)))),
    );
    pages.addHook('onSend', async (_request, reply, payload) => {
      // A browser sends `Origin: null` on a form post under `no-referrer`: the Origin check needs it.
      reply.header('content-security-policy', CONSOLE_CSP).header('referrer-policy', 'same-origin');
      return payload;
    });
    pages.addHook('onRequest', async (request) => refuseCrossSite(request));
    pages.setErrorHandler(async (thrown, request, reply) => {
      // A source or platform failing a read (explain) is shown as a page, as the API answers 502.
      const error = isUpstreamError(thrown) ? upstreamHttpError(thrown) : thrown;
      if (!(error instanceof HttpError)) throw error;
      if (error.status === 401 && request.method === 'GET')
        return reply.redirect(`${CONSOLE_PATH}/login`, 303);
      return reply
        .code(error.status)
        .type('text/html')
        .send(messagePage(titleOf(error.status), error.message));
    });

    pages.get(`${CONSOLE_PATH}/assets/console.css`, async (_request, reply) =>
      reply.type('text/css; charset=utf-8').send(CONSOLE_CSS),
    );
    const scripts = loadClientScripts();
    pages.get<{ Params: { script: string } }>(`${CONSOLE_PATH}/assets/:script`, async (request, reply) => {
      const script = scripts.get(request.params.script);
      if (script === undefined) throw new HttpError(404, `no console asset ${request.params.script}`);
      return reply.type('text/javascript; charset=utf-8').send(script);
    });
    pages.get(`${CONSOLE_PATH}/login`, async (_request, reply) => reply.type('text/html').send(loginPage()));
    pages.post(`${CONSOLE_PATH}/login`, async (request, reply) =>
      signIn(options, request, parseInput(loginForm, request.body, 'body').token, reply),
    );
    pages.post(`${CONSOLE_PATH}/logout`, async (request, reply) => {
      const session = await context(request, 'read');
      await options.sessions.close(session.id);
      return reply
        .header('set-cookie', expiredSessionCookie(request.protocol === 'https', CONSOLE_PATH))
        .redirect(`${CONSOLE_PATH}/login`, 303);
    });

    pages.get(CONSOLE_PATH, async (request, reply) => {
      const { page } = await context(request, 'read');
      const visible = deps.config.tenants.filter((tenant) => canSee(page.principal, tenant.id));
      const rows = await Promise.all(
        visible.map(async (tenant): Promise<TenantRow> => {
          const [status, runs] = await Promise.all([
            tenantStatus(deps, tenant, page.now),
            deps.stores.runs.list(tenant.id, HISTORY_LENGTH),
          ]);
          return { status, heldRuns: runs.filter((run) => run.status === 'held').map((run) => run.id) };
        }),
      );
      return reply.type('text/html').send(tenantsPage(rows, page));
    });

    pages.get(`${CONSOLE_PATH}/tenants/:tenant`, async (request, reply) => {
      const { page } = await context(request, 'read', tenantParam(request));
      const tenant = tenantOf(deps, request.params);
      const runs = await deps.stores.runs.list(tenant.id, HISTORY_LENGTH);
      return reply.type('text/html').send(tenantPage(tenant, runs, page));
    });

    pages.post(`${CONSOLE_PATH}/tenants/:tenant/runs`, async (request, reply) => {
      await context(request, 'write', tenantParam(request));
      const tenant = tenantOf(deps, request.params);
      const { mode, dryRun } = parseInput(consoleRunOrder, request.body, 'body');
      const { run } = await triggerRun(deps, { tenant: tenant.id, mode, dryRun, trigger: 'api' });
      return reply.redirect(runPath(tenant.id, run.id), 303);
    });

    pages.post(`${CONSOLE_PATH}/tenants/:tenant/test-connection`, async (request, reply) => {
      const { page } = await context(request, 'write', tenantParam(request));
      const tenant = tenantOf(deps, request.params);
      const [report, runs] = await Promise.all([
        testConnectionOnce(tenant, deps.logger),
        deps.stores.runs.list(tenant.id, HISTORY_LENGTH),
      ]);
      return reply.type('text/html').send(tenantPage(tenant, runs, page, report));
    });

    pages.post(`${CONSOLE_PATH}/tenants/:tenant/reset`, async (request, reply) => {
      const { page } = await context(request, 'write', tenantParam(request));
      const tenant = tenantOf(deps, request.params);
      await resetTenant(deps.stores, tenant.id);
      deps.logger.info(
        { tenant: tenant.id, token: page.principal.label },
        'tenant reset by an operator: cursor forgotten, quarantine cleared',
      );
      return reply.redirect(tenantPath(tenant.id), 303);
    });

    pages.get(`${CONSOLE_PATH}/tenants/:tenant/runs/:runId`, async (request, reply) => {
      const tenant = tenantParam(request);
      const { page } = await context(request, 'read', tenant);
      const runId = runIdParam(request);
      const run = await deps.stores.runs.get(tenant, runId);
      if (!run) throw new HttpError(404, `run ${runId} not found`);
      // The run's events all come after it was recorded: the search starts there.
      const { events, scanLimited } = await deps.stores.events.read(tenant, {
        runId,
        limit: EVENTS_SHOWN,
        after: deps.stores.events.cursorAt(new Date(run.createdAt)),
      });
      const objects =
        run.plan && events.length === 0 ? changesFromPlan(run.plan.ops) : changesFromEvents(events);
      const truncated = events.length === EVENTS_SHOWN || scanLimited === true;
      return reply.type('text/html').send(runPage({ run, objects, truncated }, page));
    });

    pages.get(`${CONSOLE_PATH}/tenants/:tenant/log`, async (request, reply) => {
      const { page } = await context(request, 'read', tenantParam(request));
      const tenant = tenantOf(deps, request.params);
      const search = parseInput(consoleLogQuery, request.query, 'query');
      const found = await deps.stores.events.read(tenant.id, {
        ...search,
        order: 'newest',
        limit: LOG_PAGE_SIZE,
      });
      return reply.type('text/html').send(logPage(tenant.id, search, found, page));
    });

    // A read, as GET /v1/tenants/:tenant/explain: viewers may ask too.
    pages.get(`${CONSOLE_PATH}/tenants/:tenant/explain`, async (request, reply) => {
      const { page } = await context(request, 'read', tenantParam(request));
      const tenant = tenantOf(deps, request.params);
      const search = parseInput(consoleExplainQuery, request.query, 'query');
      const answer =
        search.subject === undefined
          ? undefined
          : await explainSubject(search.subject, search.kind, {
              stores: deps.stores,
              runtime: options.runtimeOf(tenant),
            });
      return reply.type('text/html').send(explainPage(tenant.id, search, answer, page));
    });

    const live = new LiveRunStreams(deps.logger);
    pages.addHook('preClose', async () => live.closeAll());
    pages.get(`${CONSOLE_PATH}/tenants/:tenant/runs/:runId/live`, async (request, reply) => {
      const tenant = tenantParam(request);
      await context(request, 'read', tenant);
      const runId = runIdParam(request);
      if (!(await deps.stores.runs.get(tenant, runId))) throw new HttpError(404, `run ${runId} not found`);
      return (
        reply
          .type('text/event-stream; charset=utf-8')
          .header('cache-control', 'no-store')
          .header('x-accel-buffering', 'no')
          // A stream ends with its connection: one left idle would hold a closing server for its keep-alive.
          .header('connection', 'close')
          .send(live.follow(() => deps.stores.runs.get(tenant, runId)))
      );
    });

    registerProvisionPages(pages, { deps, runtimeOf: options.runtimeOf, context });

    pages.post(`${CONSOLE_PATH}/tenants/:tenant/runs/:runId/approve`, async (request, reply) => {
      const tenant = tenantParam(request);
      const { page } = await context(request, 'write', tenant);
      const runId = runIdParam(request);
      const outcome = await approveThroughQueue(deps, tenant, runId);
      if (!outcome.approved) {
        throw new HttpError(outcome.problem === 'unknownRun' ? 404 : 409, outcome.message);
      }
      deps.logger.info({ tenant, runId, token: page.principal.label }, 'held run approved');
      return reply.redirect(`${CONSOLE_PATH}/tenants/${tenant}/runs/${runId}`, 303);
    });
  });

  /**
   * The signed-in principal of a console request, checked for the access it needs, and the
   * session behind it; an action must also carry the session's CSRF token.
   */
  async function context(
    request: FastifyRequest,
    access: 'read' | 'write',
    tenant?: string,
  ): Promise<{ id: string; page: PageContext }> {
    const principal: Principal = await guard(
      request,
      tenant === undefined ? { access } : { access, scope: tenant },
    );
    const id = cookieValue(request.headers.cookie, SESSION_COOKIE) ?? '';
    const csrf = csrfTokenOf(id);
    if (request.method !== 'GET') {
      // Console actions are for signed-in browsers; scripts act through /v1 with their bearer token.
      if (id === '') throw new HttpError(403, 'console actions need a console sign-in; scripts use /v1');
      if ((request.body as { csrf?: unknown } | undefined)?.csrf !== csrf) {
        throw new HttpError(403, 'this console action lacks its CSRF token: reload the page and try again');
      }
    }
    return { id, page: { principal, csrf, now: new Date() } };
  }

  function tenantParam(request: FastifyRequest): string {
    const { tenant } = request.params as { tenant: string };
    return tenant;
  }
}

function runIdParam(request: FastifyRequest): string {
  const { runId } = request.params as { runId: string };
  if (!runIdSchema.safeParse(runId).success) throw new HttpError(404, 'run not found');
  return runId;
}

function titleOf(status: number): string {
  if (status === 502) return 'The source or the platform failed';
  return status === 403 ? 'Not allowed' : status === 404 ? 'Not found' : 'Refused';
}

async function signIn(
  options: ConsoleOptions,
  request: FastifyRequest,
  token: string,
  reply: FastifyReply,
): Promise<FastifyReply> {
  await options.throttle.check(request);
  const principal = options.book.identify(token);
  if (!principal) {
    await options.throttle.fail(request);
    return reply.code(401).type('text/html').send(loginPage('That token is not valid.'));
  }
  request.principal = principal;
  const session = await options.sessions.open(principal);
  return reply
    .header('set-cookie', sessionCookie(session, request.protocol === 'https', CONSOLE_PATH))
    .redirect(CONSOLE_PATH, 303);
}
