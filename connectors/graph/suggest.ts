import type { SubjectKind, Suggestion } from '../../src/model/source.js';
import { odataStringLiteral } from '../shared/odataLiteral.js';
import { firstSuggestions, groupSuggestion, userSuggestion } from '../shared/suggestions.js';
import { type GraphObject, type GraphPage, graphPath } from './client.js';
import type { GraphReadContext } from './readContext.js';

const USER_PREFIX_PROPERTIES = ['userPrincipalName', 'displayName', 'mail'] as const;

/**
 * One page of Graph's own prefix search (`startswith`, which Graph compares ignoring case): users
 * by UPN, display name or mail, groups by display name. No `$orderby`: with `$filter` it needs
 * advanced queries (`ConsistencyLevel: eventual`), so the page is sorted here.
 */
export async function suggestSubjects(
  context: GraphReadContext,
  kind: SubjectKind,
  text: string,
  limit: number,
): Promise<Suggestion[]> {
  const literal = odataStringLiteral(text);
  if (kind === 'group') {
    const page = await context.http.get<GraphPage<GraphObject>>(
      graphPath('/groups', {
        $filter: `startswith(displayName,${literal})`,
        $select: 'id,displayName',
        $top: limit,
      }),
    );
    return firstSuggestions(
      (page.value ?? []).map((group) => groupSuggestion(String(group.id), group.displayName)),
      limit,
    );
  }
  const page = await context.http.get<GraphPage<GraphObject>>(
    graphPath('/users', {
      $filter: USER_PREFIX_PROPERTIES.map((property) => `startswith(${property},${literal})`).join(' or '),
      $select: ['id', ...USER_PREFIX_PROPERTIES].join(','),
      $top: limit,
    }),
  );
  return firstSuggestions(
    (page.value ?? []).map((user) =>
      userSuggestion({
        id: String(user.id),
        userName: user.userPrincipalName,
        displayName: user.displayName,
        email: user.mail,
      }),
    ),
    limit,
  );
}
