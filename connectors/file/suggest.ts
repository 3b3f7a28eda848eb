import type { DirectorySnapshot } from '../../src/model/directory.js';
import type { SubjectKind, Suggestion } from '../../src/model/source.js';
import { firstSuggestions, groupSuggestion, startsWithAny, userSuggestion } from '../shared/suggestions.js';

/** A prefix match over the whole export: users by userName, email or display name, groups by name. */
export function suggestSubjects(
  snapshot: DirectorySnapshot,
  kind: SubjectKind,
  text: string,
  limit: number,
): Suggestion[] {
  if (kind === 'group') {
    return firstSuggestions(
      snapshot.groups
        .filter((group) => startsWithAny([group.displayName], text))
        .map((group) => groupSuggestion(group.id, group.displayName)),
      limit,
    );
  }
  return firstSuggestions(
    snapshot.users
      .filter(({ attributes }) =>
        startsWithAny([attributes.userName, attributes.email, attributes.displayName], text),
      )
      .map(({ id, attributes }) =>
        userSuggestion({
          id,
          userName: attributes.userName,
          displayName: attributes.displayName,
          email: attributes.email,
        }),
      ),
    limit,
  );
}
