import type { EmulatedRequest, EmulatedResponse, Route, RouteHandler } from '../https/httpsServer.js';
import type { EmulatorClock } from './clock.js';
import { comparisons, type Expression, ExpressionError, matches, parseExpression } from './expressions.js';
import type { OAuthTokenEndpoint } from './oauth.js';
import type { EmulatedOrg, OrgGroup, OrgUser } from './org.js';
import { decodeAfter, encodeAfter, linkHeader, pageByKey, pageLimit } from './pagination.js';
import type { RateLimitBucket, RateLimitWindows } from './rateLimits.js';
import { appGroupJson, appJson, appUserJson, groupJson, logEventJson, userJson } from './representations.js';
import { forbidden, invalidSearch, invalidToken, json, notFound, rateLimited } from './responses.js';

export interface OktaRouteContext {
  readonly org: EmulatedOrg;
  readonly clock: EmulatorClock;
  readonly rateLimits: RateLimitWindows;
  readonly oauth: OAuthTokenEndpoint;
  /** The SSWS API token. */
  readonly token: string;
  /** What the SSWS token's admin may read, as OAuth scopes. */
  readonly tokenScopes: ReadonlySet<string>;
}

const SCOPE_OF: Readonly<Record<RateLimitBucket, string>> = {
  users: 'okta.users.read',
  groups: 'okta.groups.read',
  apps: 'okta.apps.read',
  logs: 'okta.logs.read',
};

/** `filter` on users accepts only these attributes (and `gt`/`ge`/`lt`/`le` only on lastUpdated). */
const USER_FILTER_ATTRIBUTES = new Set([
  'status',
  'lastUpdated',
  'id',
  'profile.login',
  'profile.email',
  'profile.firstName',
  'profile.lastName',
]);

const LOG_DEFAULT_WINDOW_MS = 7 * 24 * 60 * 60_000;

export function oktaRoutes(context: OktaRouteContext): Route[] {
  const { org } = context;
  const api = (pattern: string, bucket: RateLimitBucket, handler: RouteHandler): Route => ({
    method: 'GET',
    pattern,
    handler: guarded(context, bucket, handler),
  });

  return [
    { method: 'POST', pattern: '/oauth2/v1/token', handler: (request) => context.oauth.handle(request) },
    api('/api/v1/users', 'users', (request) => listUsers(context, request)),
    api('/api/v1/users/:id', 'users', (request) => {
      const user = findUser(org, request.params.id ?? '');
      return user ? json(userJson(user, request.url.origin)) : notFound(request.params.id ?? '', 'User');
    }),
    api('/api/v1/users/:id/groups', 'users', (request) => {
      const user = findUser(org, request.params.id ?? '');
      if (!user) return notFound(request.params.id ?? '', 'User');
      const groups = sortedById(org.groups.values()).filter((group) => group.memberIds.has(user.id));
      return json(groups.map((group) => groupJson(group, request.url.origin)));
    }),
    api('/api/v1/groups', 'groups', (request) => listGroups(context, request)),
    api('/api/v1/groups/:id', 'groups', (request) => {
      const group = org.groups.get(request.params.id ?? '');
      return group
        ? json(groupJson(group, request.url.origin))
        : notFound(request.params.id ?? '', 'UserGroup');
    }),
    api('/api/v1/groups/:id/users', 'groups', (request) => {
      const group = org.groups.get(request.params.id ?? '');
      if (!group) return notFound(request.params.id ?? '', 'UserGroup');
      const members = sortedById([...group.memberIds].flatMap((id) => org.users.get(id) ?? []));
      const { page, link } = pageByKey(members, (user) => user.id, request, {
        defaultLimit: 1000,
        maxLimit: 1000,
      });
      return json(
        page.map((user) => userJson(user, request.url.origin)),
        { link },
      );
    }),
    api('/api/v1/apps/:id', 'apps', (request) => {
      const app = org.apps.get(request.params.id ?? '');
      return app ? json(appJson(app, request.url.origin)) : notFound(request.params.id ?? '', 'AppInstance');
    }),
    api('/api/v1/apps/:id/users', 'apps', (request) => {
      const app = org.apps.get(request.params.id ?? '');
      if (!app) return notFound(request.params.id ?? '', 'AppInstance');
      const { page, link } = pageByKey(org.appUserIds(app), (id) => id, request, {
        defaultLimit: 50,
        maxLimit: 500,
      });
      return json(
        page.flatMap((id) => {
          const user = org.users.get(id);
          const scope = org.appUserScope(app, id);
          return user && scope ? [appUserJson(app, user, scope, request.url.origin)] : [];
        }),
        { link },
      );
    }),
    api('/api/v1/apps/:id/users/:userId', 'apps', (request) => {
      const app = org.apps.get(request.params.id ?? '');
      if (!app) return notFound(request.params.id ?? '', 'AppInstance');
      const user = org.users.get(request.params.userId ?? '');
      const scope = user && org.appUserScope(app, user.id);
      return user && scope
        ? json(appUserJson(app, user, scope, request.url.origin))
        : notFound(request.params.userId ?? '', 'AppUser');
    }),
    api('/api/v1/apps/:id/groups', 'apps', (request) => {
      const app = org.apps.get(request.params.id ?? '');
      if (!app) return notFound(request.params.id ?? '', 'AppInstance');
      const groups = sortedById([...app.groupIds].flatMap((id) => org.groups.get(id) ?? []));
      const { page, link } = pageByKey(groups, (group) => group.id, request, {
        defaultLimit: 20,
        maxLimit: 200,
        minLimit: 20,
      });
      return json(
        page.map((group) => appGroupJson(app, group, request.url.origin)),
        { link },
      );
    }),
    api('/api/v1/logs', 'logs', (request) => listLogs(context, request)),
  ];
}

/** Authentication, scope and the bucket's rate limit, in the order Okta answers them. */
function guarded(context: OktaRouteContext, bucket: RateLimitBucket, handler: RouteHandler): RouteHandler {
  return async (request) => {
    const scopes = grantedScopes(context, request.headers.authorization);
    if (!scopes) return invalidToken();
    const decision = context.rateLimits.take(bucket);
    if (!decision.allowed) return rateLimited(decision.headers);
    if (!scopes.has(SCOPE_OF[bucket])) {
      const bearer = request.headers.authorization?.startsWith('Bearer ');
      return forbidden({
        ...decision.headers,
        ...(bearer
          ? {
              'www-authenticate': `Bearer realm="IdpMyAccountAPI", error="insufficient_scope", error_description="The access token provided does not contain the required scopes.", resource="${request.url.pathname}"`,
            }
          : {}),
      });
    }
    const response = await handler(request);
    return { ...response, headers: { ...decision.headers, ...response.headers } };
  };
}

function grantedScopes(
  context: OktaRouteContext,
  authorization: string | undefined,
): ReadonlySet<string> | undefined {
  if (authorization === `SSWS ${context.token}`) return context.tokenScopes;
  if (authorization?.startsWith('Bearer ')) return context.oauth.grantFor(authorization.slice(7))?.scopes;
  return undefined;
}

function listUsers(context: OktaRouteContext, request: EmulatedRequest): EmulatedResponse {
  const params = request.url.searchParams;
  const all = sortedById(context.org.users.values());
  const limit = pageLimit(request, { defaultLimit: 200, maxLimit: 200 });
  const q = params.get('q');
  if (q !== null) {
    // `q` is a startsWith lookup for pickers over first name, last name and email (not the
    // login): one page, no cursor.
    const prefix = q.toLowerCase();
    const found = all.filter(
      (user) =>
        user.status !== 'DEPROVISIONED' &&
        ['email', 'firstName', 'lastName'].some((name) =>
          (user.profile[name] ?? '').toLowerCase().startsWith(prefix),
        ),
    );
    return json(found.slice(0, limit).map((user) => userJson(user, request.url.origin)));
  }
  let selected: OrgUser[];
  try {
    const expression = parsedQuery(
      request,
      (attribute, operator) =>
        USER_FILTER_ATTRIBUTES.has(attribute) && (operator === 'eq' || attribute === 'lastUpdated'),
    );
    // The plain list omits DEPROVISIONED users; filter and search include them.
    selected = expression
      ? all.filter((user) => matches(expression, (attribute) => userAttribute(user, attribute)))
      : all.filter((user) => user.status !== 'DEPROVISIONED');
  } catch (error) {
    if (error instanceof ExpressionError) return invalidSearch(error.message);
    throw error;
  }
  const { page, link } = pageByKey(selected, (user) => user.id, request, {
    defaultLimit: 200,
    maxLimit: 200,
  });
  return json(
    page.map((user) => userJson(user, request.url.origin)),
    { link },
  );
}

function listGroups(context: OktaRouteContext, request: EmulatedRequest): EmulatedResponse {
  const all = sortedById(context.org.groups.values());
  const q = request.url.searchParams.get('q')?.toLowerCase();
  let selected: OrgGroup[];
  try {
    const expression = parsedQuery(request, () => true);
    selected = all.filter(
      (group) =>
        (q === undefined || group.name.toLowerCase().startsWith(q)) &&
        (!expression || matches(expression, (attribute) => groupAttribute(group, attribute))),
    );
  } catch (error) {
    if (error instanceof ExpressionError) return invalidSearch(error.message);
    throw error;
  }
  const { page, link } = pageByKey(selected, (group) => group.id, request, {
    defaultLimit: 10_000,
    maxLimit: 10_000,
  });
  return json(
    page.map((group) => groupJson(group, request.url.origin)),
    { link },
  );
}

/**
 * System Log polling: ascending, from `since` (default seven days ago) to `until`, after the
 * opaque cursor. The next link is always there, even on an empty page: it is how a client polls.
 */
function listLogs(context: OktaRouteContext, request: EmulatedRequest): EmulatedResponse {
  const params = request.url.searchParams;
  const now = context.clock.now();
  const since = Date.parse(params.get('since') ?? '') || now - LOG_DEFAULT_WINDOW_MS;
  const until = Date.parse(params.get('until') ?? '') || Number.POSITIVE_INFINITY;
  let expression: Expression | undefined;
  try {
    expression = parsedQuery(request, () => true);
  } catch (error) {
    if (error instanceof ExpressionError) return invalidSearch(error.message);
    throw error;
  }
  const after = Number(decodeAfter(request) ?? 0);
  const limit = pageLimit(request, { defaultLimit: 100, maxLimit: 1000 });
  const page = context.org.log
    .filter(
      (event) =>
        event.sequence > after &&
        event.published >= since &&
        event.published < until &&
        (!expression ||
          matches(expression, (attribute) =>
            attribute === 'published'
              ? new Date(event.published)
              : attribute === 'eventType'
                ? event.eventType
                : undefined,
          )),
    )
    .slice(0, limit);
  const last = page.at(-1);
  const nextAfter = last
    ? encodeAfter(String(last.sequence))
    : (params.get('after') ?? encodeAfter(String(after)));
  return json(page.map(logEventJson), { link: linkHeader(request, limit, nextAfter) });
}

/** `filter` (restricted by `allowedInFilter`) or `search`, parsed; undefined when neither is given. */
function parsedQuery(
  request: EmulatedRequest,
  allowedInFilter: (attribute: string, operator: string) => boolean,
): Expression | undefined {
  const filter = request.url.searchParams.get('filter');
  const search = request.url.searchParams.get('search');
  if (filter !== null) {
    const expression = parseExpression(filter);
    const refused = comparisons(expression).find(
      ({ attribute, operator }) => !allowedInFilter(attribute, operator),
    );
    if (refused)
      throw new ExpressionError(`filter does not support ${refused.attribute} ${refused.operator}`);
    return expression;
  }
  return search === null ? undefined : parseExpression(search);
}

function userAttribute(user: OrgUser, attribute: string): unknown {
  if (attribute.startsWith('profile.')) return user.profile[attribute.slice(8)];
  switch (attribute) {
    case 'id':
      return user.id;
    case 'status':
      return user.status;
    case 'created':
      return new Date(user.created);
    case 'lastUpdated':
      return new Date(user.lastUpdated);
    case 'statusChanged':
      return new Date(user.statusChanged);
    default:
      return undefined;
  }
}

function groupAttribute(group: OrgGroup, attribute: string): unknown {
  switch (attribute) {
    case 'id':
      return group.id;
    case 'type':
      return 'OKTA_GROUP';
    case 'profile.name':
      return group.name;
    case 'profile.description':
      return group.description;
    case 'created':
      return new Date(group.created);
    case 'lastUpdated':
      return new Date(group.lastUpdated);
    case 'lastMembershipUpdated':
      return new Date(group.lastMembershipUpdated);
    default:
      return undefined;
  }
}

/** By id, or by login as Okta also allows on /api/v1/users/{id}. */
function findUser(org: EmulatedOrg, idOrLogin: string): OrgUser | undefined {
  return (
    org.users.get(idOrLogin) ??
    [...org.users.values()].find((user) => user.profile.login?.toLowerCase() === idOrLogin.toLowerCase())
  );
}

function sortedById<T extends { readonly id: string }>(items: Iterable<T>): T[] {
  return [...items].sort((left, right) => (left.id < right.id ? -1 : left.id > right.id ? 1 : 0));
}
