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

export const DASHBOARD_PREFIX = '/admin/';

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
 * its session cookie. A request that presents no credentials at all is not a failed attempt.
 */
export function createGuard(options: GuardOptions) {
  async function identify(request: FastifyRequest): Promise<{ presented: boolean; principal?: Principal }> {
    const token = tokenFromAuthorization(request.headers.authorization);
    if (token !== undefined) return { presented: true, principal: options.book.identify(token) };
    if (!request.url.startsWith(DASHBOARD_PREFIX)) return { presented: false };
    const session = cookieValue(request.headers.cookie, SESSION_COOKIE);
    if (session === undefined) return { presented: false };
    return { presented: true, principal: await options.sessions.principal(session) };
  }

  return async function guard(request: FastifyRequest, requirement: Requirement): Promise<Principal> {
    await options.throttle.check(request);
    const { presented, principal } = await identify(request);
    if (!principal) {
      if (presented) await options.throttle.fail(request);
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
