import type { EmulatedRequest, EmulatedResponse, Route, RouteHandler } from '../https/httpsServer.js';
import type { DeltaFeed } from './deltaFeed.js';
import type { GraphDirectory, GraphProperties } from './directory.js';
import { graphError, notFound } from './graphErrors.js';
import type { AccessTokens } from './login.js';
import { matchesFilter, parseListQuery, parseSelect } from './odataQuery.js';
import { renderDirectoryObject, renderGroup, renderUser, withoutNulls } from './representation.js';

/** Application permissions, each route needing one of a set (the broader Directory.* ones included). */
const DIRECTORY = ['Directory.Read.All', 'Directory.ReadWrite.All'];
export const PERMISSIONS = {
  users: ['User.Read.All', 'User.ReadWrite.All', ...DIRECTORY],
  groups: ['GroupMember.Read.All', 'Group.Read.All', 'Group.ReadWrite.All', ...DIRECTORY],
  applications: ['Application.Read.All', 'Application.ReadWrite.All', ...DIRECTORY],
} as const;

export const DEFAULT_GRANTED_PERMISSIONS = ['User.Read.All', 'GroupMember.Read.All', 'Application.Read.All'];

const DEFAULT_PAGE_SIZE = 100;

export interface GraphRouteContext {
  readonly directory: GraphDirectory;
  readonly delta: DeltaFeed;
  readonly tokens: AccessTokens;
  readonly grantedPermissions: ReadonlySet<string>;
}

export function graphRoutes(context: GraphRouteContext): Route[] {
  const { directory, delta } = context;
  const get = (pattern: string, needs: readonly (readonly string[])[], handler: RouteHandler): Route => ({
    method: 'GET',
    pattern: `v1.0/${pattern}`,
    handler: (request) => refusal(context, request, needs) ?? handler(request),
  });
  const { users, groups, applications } = PERMISSIONS;

  return [
    get('users/delta', [users], (request) => delta.handle('users', request)),
    get('groups/delta', [groups], (request) => delta.handle('groups', request)),
    get('users', [users], (request) =>
      list(
        request,
        directory.sortedUsers(),
        (id) => directory.user(id)?.properties ?? {},
        (id, select) => renderUser(directory, id, select),
      ),
    ),
    get('users/:id', [users], (request) => {
      const user =
        directory.user(request.params.id ?? '') ?? directory.userByPrincipalName(request.params.id ?? '');
      return user
        ? { status: 200, body: renderUser(directory, user.id, parseSelect(request.url)) }
        : notFound(request.params.id ?? '');
    }),
    get('users/:id/transitiveMemberOf', [users, groups], (request) =>
      memberOf(request, (id) => [...directory.transitiveParents(id)]),
    ),
    get('groups', [groups], (request) =>
      list(
        request,
        directory.sortedGroups(),
        (id) => directory.group(id)?.properties ?? {},
        (id, select) => renderGroup(directory, id, select),
      ),
    ),
    get('groups/:id', [groups], (request) => {
      const id = request.params.id ?? '';
      return directory.group(id)
        ? { status: 200, body: renderGroup(directory, id, parseSelect(request.url)) }
        : notFound(id);
    }),
    get('groups/:id/members', [groups], (request) =>
      members(request, (group) => [...(directory.group(group)?.members ?? [])].sort()),
    ),
    get('groups/:id/transitiveMembers', [groups], (request) =>
      members(request, (group) => directory.transitiveMembers(group)),
    ),
    get('servicePrincipals/:id', [applications], (request) => {
      const principal = directory.servicePrincipal;
      return request.params.id === principal.id
        ? { status: 200, body: principal }
        : notFound(request.params.id ?? '');
    }),
    get('servicePrincipals/:id/appRoleAssignedTo', [applications], (request) => {
      if (request.params.id !== directory.servicePrincipal.id) return notFound(request.params.id ?? '');
      const assignments = new Map(directory.assignments().map((assignment) => [assignment.id, assignment]));
      return list(
        request,
        [...assignments.keys()],
        () => ({}),
        (id) => ({ ...assignments.get(id) }),
      );
    }),
  ];

  function memberOf(request: EmulatedRequest, groupsOf: (id: string) => string[]): EmulatedResponse {
    const user =
      directory.user(request.params.id ?? '') ?? directory.userByPrincipalName(request.params.id ?? '');
    if (!user) return notFound(request.params.id ?? '');
    return list(
      request,
      groupsOf(user.id).sort(),
      (id) => directory.group(id)?.properties ?? {},
      (id, select) => renderDirectoryObject(directory, id, select),
    );
  }

  function members(request: EmulatedRequest, memberIds: (groupId: string) => string[]): EmulatedResponse {
    const groupId = request.params.id ?? '';
    if (!directory.group(groupId)) return notFound(groupId);
    return list(
      request,
      memberIds(groupId),
      (id) => directory.user(id)?.properties ?? directory.group(id)?.properties ?? {},
      (id, select) => renderDirectoryObject(directory, id, select),
    );
  }
}

/** Why a request may not be served: no valid access token, or (for `needs`) a missing permission. */
export function refusal(
  context: Pick<GraphRouteContext, 'tokens' | 'grantedPermissions'>,
  request: EmulatedRequest,
  needs: readonly (readonly string[])[],
): EmulatedResponse | undefined {
  const verdict = context.tokens.check(request.headers.authorization);
  if (verdict === 'missing') return graphError(401, 'InvalidAuthenticationToken', 'Access token is empty.');
  if (verdict === 'invalid')
    return graphError(
      401,
      'InvalidAuthenticationToken',
      'Access token validation failure. Invalid audience.',
    );
  if (verdict === 'expired')
    return graphError(401, 'InvalidAuthenticationToken', 'Lifetime validation failed, the token is expired.');
  const granted = needs.every((anyOf) =>
    anyOf.some((permission) => context.grantedPermissions.has(permission)),
  );
  return granted
    ? undefined
    : graphError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
}

/**
 * One page of a sorted id list, after `$filter`. The skip token names the last id served, so
 * objects added or removed while a client pages do not shift the others.
 */
function list(
  request: EmulatedRequest,
  sortedIds: readonly string[],
  propertiesOf: (id: string) => GraphProperties,
  render: (id: string, select: readonly string[] | undefined) => Record<string, unknown>,
): EmulatedResponse {
  const query = parseListQuery(request.url, DEFAULT_PAGE_SIZE);
  if ('status' in query) return query;
  const after = request.url.searchParams.get('$skiptoken') ?? request.url.searchParams.get('$skipToken');
  const afterId = after === null ? undefined : Buffer.from(after, 'base64url').toString('utf8');
  const candidates = query.filter
    ? sortedIds.filter((id) => matchesFilter(id, propertiesOf(id), query.filter))
    : sortedIds;
  const start = afterId === undefined ? 0 : firstAfter(candidates, afterId);
  const page = candidates.slice(start, start + query.top);
  const last = page.at(-1);
  const more = start + query.top < candidates.length && last !== undefined;
  return {
    status: 200,
    body: {
      ...(more ? { '@odata.nextLink': nextLink(request.url, last) } : {}),
      value: page.map((id) => withoutNulls(render(id, query.select))),
    },
  };
}

function firstAfter(sorted: readonly string[], afterId: string): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((sorted[middle] ?? '') <= afterId) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** The same request with the skip token moved on; the other query options are kept verbatim. */
function nextLink(url: URL, lastId: string): string {
  const kept = url.search
    .slice(1)
    .split('&')
    .filter((part) => part !== '' && !/^(\$|%24)skiptoken=/i.test(part));
  kept.push(`$skiptoken=${Buffer.from(lastId).toString('base64url')}`);
  return `${url.origin}${url.pathname}?${kept.join('&')}`;
}
