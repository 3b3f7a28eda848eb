import type { DirectoryGroup } from '../model/directory.js';
import { sortedUnique } from './sortedIds.js';

/**
 * The users a group holds directly or through nested groups, sorted and unique. Cycle-safe: each
 * nested group is expanded once. Member ids that name neither a known user nor a group are ignored.
 */
export function transitiveUserMembers(
  root: DirectoryGroup,
  groupsById: ReadonlyMap<string, DirectoryGroup>,
  isUser: (id: string) => boolean,
): string[] {
  const users: string[] = [];
  let expanded: Set<string> | undefined;
  const pending: DirectoryGroup[] = [root];
  for (let group = pending.pop(); group !== undefined; group = pending.pop()) {
    for (const memberId of group.memberIds) {
      if (isUser(memberId)) {
        users.push(memberId);
        continue;
      }
      const nested = groupsById.get(memberId);
      if (nested === undefined) continue;
      expanded ??= new Set([root.id]);
      if (!expanded.has(memberId)) {
        expanded.add(memberId);
        pending.push(nested);
      }
    }
  }
  return sortedUnique(users);
}
