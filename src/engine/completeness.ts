import type { DirectoryChanges, DirectorySnapshot } from '../model/directory.js';

/**
 * Ids that a patched snapshot is asked to use but does not hold: an assigned group, or a group
 * nested into another, that no earlier read included (a change feed names such a group, not its
 * members). A run whose changes refer to such ids must read in full to know their members.
 */
export function unknownGroupReferences(patched: DirectorySnapshot, changes: DirectoryChanges): string[] {
  const known = new Set<string>();
  for (const user of patched.users) known.add(user.id);
  for (const group of patched.groups) known.add(group.id);
  const unknown = new Set<string>();
  for (const groupId of patched.assignments?.groupIds ?? []) if (!known.has(groupId)) unknown.add(groupId);
  for (const { memberId } of changes.membershipsAdded) if (!known.has(memberId)) unknown.add(memberId);
  return [...unknown];
}
