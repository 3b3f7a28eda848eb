import type { FastifyRequest } from 'fastify';
import { judge, type Principal, type Requirement, type TokenBook, tokenFromAuthorization } from './auth.js';
import { forbidden, notFound, unauthorized } from './httpErrors.js';
import { cookieValue, type DashboardSessions, SESSION_COOKIE } from './sessions.js';
import type { FailedAuthThrottle } from './throttle.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Routes without it are public (health, docs). */
    access?: Requirement['access'];
    /** 'all' for routes that show every tenant; a `:tenant` parameter scopes the route otherwise. */
    scope?: 'all';
  }
  interface FastifyRequest {
    principal: Principal | null;
  }
}

const DASHBOARD_PREFIX = '/admin/';
/** Pages that accept the session cookie: the queue dashboard and the support console. */
const SESSION_PREFIXES = [DASHBOARD_PREFIX, '/console/', '/console?'];

function acceptsSession(url: string): boolean {
  return url === '/console' || SESSION_PREFIXES.some((prefix) => url.startsWith(prefix));
}

export interface GuardOptions {
  readonly book: TokenBook;
  readonly sessions: DashboardSessions;
  readonly tenants: ReadonlySet<string>;
  readonly throttle: FailedAuthThrottle;
}

/**
 * Authentication and authorisation of one request, in the order a client can act on: 429 while
 * its address has failed too often, 401 without a valid token, 403 for a viewer on a write route
 * or a token not scoped to the tenant, then 404 for an unknown tenant. The dashboard also accepts
 * (and the console) also accept its session cookie. Only a token that matches none counts as a failed attempt.
 */
export function createGuard(options: GuardOptions) {
  /**
   * The principal of the request's credentials, and whether it presented a token. An unknown
   * session id is no guess worth counting (it is 256 random bits), and a browser whose session
   * expired sends it with every asset it loads.
   */
  async function identify(request: FastifyRequest): Promise<{ guessed: boolean; principal?: Principal }> {
    const token = tokenFromAuthorization(request.headers.authorization);
    if (token !== undefined) return { guessed: true, principal: options.book.identify(token) };
    if (!acceptsSession(request.url)) return { guessed: false };
    const session = cookieValue(request.headers.cookie, SESSION_COOKIE);
    if (session === undefined) return { guessed: false };
    return { guessed: false, principal: await options.sessions.principal(session) };
  }

  return async function guard(request: FastifyRequest, requirement: Requirement): Promise<Principal> {
    await options.throttle.check(request);
    const { guessed, principal } = await identify(request);
    if (!principal) {
      if (guessed) await options.throttle.fail(request);
      throw unauthorized(request.url.startsWith(DASHBOARD_PREFIX));
    }
    request.principal = principal;
    const verdict = judge(principal, requirement);
    if (verdict === 'wrongRole') throw forbidden('this route changes things: it needs an operator token');
    if (verdict === 'wrongTenant') {
      throw forbidden(
        requirement.scope === 'all'
          ? 'this route shows every tenant: it needs a token for all tenants'
          : 'this token is not scoped to the tenant',
      );
    }
    if (requirement.scope && requirement.scope !== 'all' && !options.tenants.has(requirement.scope)) {
      throw notFound(`tenant ${requirement.scope}`);
    }
    return principal;
  };
}

export type Guard = ReturnType<typeof createGuard>;

/** The requirement a route's own config states, with its `:tenant` parameter as scope. */
export function routeRequirement(request: FastifyRequest): Requirement | undefined {
  const { access, scope } = request.routeOptions.config;
  if (!access) return undefined;
  const tenant = (request.params as { tenant?: string } | undefined)?.tenant;
  return { access, ...(scope ? { scope } : tenant !== undefined ? { scope: tenant } : {}) };
}
