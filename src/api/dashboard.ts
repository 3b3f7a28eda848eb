import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import type { TokenBook } from './auth.js';
import { refuseCrossSite } from './csrf.js';
import type { ApiDependencies } from './dependencies.js';
import type { Guard } from './guard.js';
import { HttpError, sendHttpError } from './httpErrors.js';
import { emptyAnswer, errors, textAnswer } from './responses.js';
import { loginForm, loginQuery, logoutQuery } from './schemas.js';
import {
  cookieValue,
  type DashboardSessions,
  expiredSessionCookie,
  SESSION_COOKIE,
  sessionCookie,
} from './sessions.js';
import { trimDashboardStackTraces } from './stackTraces.js';
import type { FailedAuthThrottle } from './throttle.js';
import type { ZodRequestTypeProvider } from './validation.js';

export const DASHBOARD_PATH = '/admin/queues';

export interface DashboardOptions {
  readonly deps: ApiDependencies;
  readonly guard: Guard;
  readonly book: TokenBook;
  readonly sessions: DashboardSessions;
  readonly throttle: FailedAuthThrottle;
}

/**
 * bull-board at /admin/queues, behind the API's tokens. Browsers either sign in once at
 * /admin/login (the token, posted or as `?token=`, buys an 8-hour HttpOnly session cookie) or
 * answer the Basic-auth prompt with the token as password. Viewers see; only operators act.
 * Every state-changing request under /admin must come from a page of this host.
 */
export async function registerDashboard(app: FastifyInstance, options: DashboardOptions): Promise<void> {
  const { deps } = options;
  await app.register(async (admin) => {
    admin.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
      try {
        refuseCrossSite(request);
      } catch (error) {
        if (error instanceof HttpError) return sendHttpError(reply, error);
        throw error;
      }
    });
    await admin.register(async (login) => {
      // The one route that takes a form: everywhere else a urlencoded body is refused (415).
      login.addContentTypeParser(
        'application/x-www-form-urlencoded',
        { parseAs: 'string' },
        (_request, body, done) => {
          done(null, Object.fromEntries(new URLSearchParams(String(body))));
        },
      );
      login.withTypeProvider<ZodRequestTypeProvider>().post(
        '/admin/login',
        {
          schema: {
            summary:
              'Dashboard sign-in: a form with `token` (a token for every tenant); sets the session cookie',
            consumes: ['application/x-www-form-urlencoded'],
            body: loginForm,
            response: {
              303: emptyAnswer('signed in: redirect to /admin/queues'),
              401: textAnswer('the token is not valid for the dashboard: the form again', 'text/html'),
              ...errors(400, 429),
            },
          },
        },
        async (request, reply) => signIn(options, request, request.body.token, reply),
      );
    });
    const api = admin.withTypeProvider<ZodRequestTypeProvider>();
    api.get(
      '/admin/login',
      {
        schema: {
          summary: 'Dashboard sign-in form; `?token=` signs in at once',
          querystring: loginQuery,
          response: {
            200: textAnswer('the sign-in form', 'text/html'),
            303: emptyAnswer('signed in: redirect to /admin/queues'),
            401: textAnswer('the token is not valid for the dashboard: the form again', 'text/html'),
            ...errors(429),
          },
        },
      },
      async (request, reply) => {
        const { token } = request.query;
        return typeof token === 'string'
          ? signIn(options, request, token, reply)
          : reply.type('text/html').send(loginPage());
      },
    );
    api.post(
      '/admin/logout',
      {
        schema: {
          summary: 'Ends this dashboard session; `?all=1` ends every session of the same token',
          querystring: logoutQuery,
          response: {
            303: emptyAnswer('signed out: redirect to /admin/login'),
            ...errors(400, 401, 403, 429),
          },
        },
      },
      async (request, reply) => {
        const { all } = request.query;
        const session = cookieValue(request.headers.cookie, SESSION_COOKIE);
        if (all) {
          const principal = await options.guard(request, { access: 'read', scope: 'all' });
          const ended = await options.sessions.closeAll(principal);
          deps.logger.info({ token: principal.label, ended }, 'every dashboard session of a token ended');
        } else if (session) {
          await options.sessions.close(session);
        }
        return reply
          .header('set-cookie', expiredSessionCookie(request.protocol === 'https'))
          .redirect('/admin/login', 303);
      },
    );

    await admin.register(async (board) => {
      // bull-board answers errors of its routes itself, so a refusal is sent here rather than thrown.
      board.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
        try {
          await options.guard(request, {
            access: request.method === 'GET' || request.method === 'HEAD' ? 'read' : 'write',
            scope: 'all',
          });
        } catch (error) {
          if (error instanceof HttpError) return sendHttpError(reply, error);
          throw error;
        }
      });
      board.addHook('onRoute', describeBoardRoute);
      trimDashboardStackTraces(board, `${DASHBOARD_PATH}/api/`);
      const serverAdapter = new FastifyAdapter();
      serverAdapter.setBasePath(DASHBOARD_PATH);
      const queues = [
        deps.queues.reconcile,
        deps.scheduleQueue,
        ...deps.config.tenants.map((tenant) => deps.queues.ops(tenant.id)),
      ];
      createBullBoard({
        queues: queues.map((queue) => new BullMQAdapter(queue)),
        serverAdapter,
        options: { uiConfig: { boardTitle: 'dirsync' } },
      });
      await board.register(serverAdapter.registerPlugin(), { prefix: DASHBOARD_PATH });
    });
  });
}

/**
 * bull-board hides its routes from the API document; its page (not its assets, nor the JSON API
 * only its page calls) is described there like any other route.
 */
function describeBoardRoute(route: RouteOptions): void {
  const isPage = route.url === DASHBOARD_PATH || route.url === `${DASHBOARD_PATH}/`;
  if (!isPage || ![route.method].flat().includes('GET')) return;
  route.schema = {
    summary: 'BullMQ dashboard (bearer, Basic with the token as password, or the /admin/login session)',
    description: 'A token for every tenant; viewers see, operators act.',
    security: [{ bearer: [] }],
    response: { 200: textAnswer('the dashboard page', 'text/html'), ...errors(401, 403, 429) },
  } as RouteOptions['schema'];
}

async function signIn(
  options: DashboardOptions,
  request: FastifyRequest,
  token: string,
  reply: FastifyReply,
): Promise<FastifyReply> {
  await options.throttle.check(request);
  const principal = options.book.identify(token);
  if (!principal?.tenants.includes('*')) {
    if (!principal) await options.throttle.fail(request);
    return reply
      .code(401)
      .type('text/html')
      .send(loginPage('That token is not valid for the dashboard (it needs access to every tenant).'));
  }
  request.principal = principal;
  const session = await options.sessions.open(principal);
  return reply
    .header('set-cookie', sessionCookie(session, request.protocol === 'https'))
    .redirect(DASHBOARD_PATH, 303);
}

function loginPage(problem?: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>dirsync — sign in</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 28rem; margin: 4rem auto">
<h1>dirsync queues</h1>
${problem ? `<p role="alert" style="color: #a00">${problem}</p>` : ''}
<form method="post" action="/admin/login">
<label>API token <input name="token" type="password" autocomplete="current-password" required autofocus></label>
<button type="submit">Sign in</button>
</form>
<form method="post" action="/admin/logout"><button type="submit">Sign out</button></form>
</body></html>`;
}
