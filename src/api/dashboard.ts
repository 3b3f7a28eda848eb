import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TokenBook } from './auth.js';
import { refuseCrossSite } from './csrf.js';
import type { ApiDependencies } from './dependencies.js';
import type { Guard } from './guard.js';
import { HttpError, parseInput, sendHttpError } from './httpErrors.js';
import { loginForm, logoutQuery } from './schemas.js';
import {
  cookieValue,
  type DashboardSessions,
  expiredSessionCookie,
  SESSION_COOKIE,
  sessionCookie,
} from './sessions.js';
import { trimDashboardStackTraces } from './stackTraces.js';
import type { FailedAuthThrottle } from './throttle.js';

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
      login.post('/admin/login', async (request, reply) =>
        signIn(options, request, parseInput(loginForm, request.body, 'body').token, reply),
      );
    });
    admin.get('/admin/login', async (request, reply) => {
      const token = (request.query as { token?: unknown }).token;
      return typeof token === 'string'
        ? signIn(options, request, token, reply)
        : reply.type('text/html').send(loginPage());
    });
    admin.post('/admin/logout', async (request, reply) => {
      const { all } = parseInput(logoutQuery, request.query, 'query');
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
    });

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
