import type { SubjectKind, Suggestion } from '../../src/model/source.js';
import { firstSuggestions, groupSuggestion, userSuggestion } from '../shared/suggestions.js';
import { startsWithAny } from './expressions.js';
import { readUpTo } from './paging.js';
import type { OktaContext } from './readContext.js';

/**
 * Okta's own search with `sw` (starts with, ignoring case): users by login, email, first or last
 * name — `q` would miss the login — and groups by name, Okta's built-in Everyone left out as
 * reads leave it out. One page of at most `limit`.
 */
export async function suggestSubjects(
  context: OktaContext,
  kind: SubjectKind,
  text: string,
  limit: number,
): Promise<Suggestion[]> {
  const { client } = context;
  if (kind === 'group') {
    const groups = await readUpTo(
      await client.groupApi.listGroups({ search: startsWithAny(['profile.name'], text), limit }),
      limit,
    );
    return firstSuggestions(
      groups.flatMap((group) =>
        group.id && group.type !== 'BUILT_IN' ? [groupSuggestion(group.id, group.profile?.name)] : [],
      ),
      limit,
    );
  }
  const search = startsWithAny(
    ['profile.login', 'profile.email', 'profile.firstName', 'profile.lastName'],
    text,
  );
  const users = await readUpTo(await client.userApi.listUsers({ search, limit }), limit);
  return firstSuggestions(
    users.flatMap((user) => {
      if (!user.id) return [];
      const profile = user.profile;
      const fullName = [profile?.firstName, profile?.lastName].filter(Boolean).join(' ');
      return [
        userSuggestion({
          id: user.id,
          userName: profile?.login,
          displayName: profile?.displayName || fullName,
          email: profile?.email,
        }),
      ];
    }),
    limit,
  );
}
