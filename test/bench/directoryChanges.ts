import type { GraphDirectory } from '../emulators/graph/directory.js';
import type { AppliedChange } from './emulatorProtocol.js';

/** The mix of an ordinary day in Entra: mostly profile edits, a leaver, a new hire, a team move, a rename. */
const KINDS: readonly AppliedChange['kind'][] = [
  'title',
  'disable',
  'title',
  'newHire',
  'title',
  'join',
  'title',
  'disable',
  'title',
  'rename',
];

/**
 * Makes `count` changes in the directory, each of which a converged platform pays with exactly one
 * write: a user PATCH, a user POST, or a group PATCH. Users are taken spread over the directory and
 * never twice; a joined group has no parent group, so the new member lands in one group only.
 */
export function applyDirectoryChanges(directory: GraphDirectory, count: number): AppliedChange[] {
  const userIds = directory.sortedUsers();
  const stride = Math.max(1, Math.floor(userIds.length / (count + 1)));
  const used = new Set<string>();
  let start = 0;
  const nextActiveUser = (accepts: (id: string) => boolean = () => true): string => {
    for (let probe = 0; probe < userIds.length; probe++) {
      const id = userIds[(start + probe) % userIds.length]!;
      if (used.has(id) || directory.user(id)?.properties.accountEnabled === false || !accepts(id)) continue;
      used.add(id);
      start += stride;
      return id;
    }
    throw new Error('the directory has no active user left to change');
  };
  const rootGroups = directory.sortedGroups().filter((id) => directory.transitiveParents(id).size === 0);

  const applied: AppliedChange[] = [];
  for (let index = 0; index < count; index++) {
    const kind = KINDS[index % KINDS.length]!;
    if (kind === 'title') {
      const id = nextActiveUser();
      directory.updateUser(id, { jobTitle: `Bench title ${index}` });
      applied.push({ kind, subject: id });
    } else if (kind === 'disable') {
      const id = nextActiveUser();
      directory.updateUser(id, { accountEnabled: false });
      applied.push({ kind, subject: id });
    } else if (kind === 'newHire') {
      const userPrincipalName = `bench.hire${index}@contoso.example`;
      const hire = directory.addUser({
        userPrincipalName,
        mail: userPrincipalName,
        displayName: `Bench Hire ${index}`,
        givenName: 'Bench',
        surname: `Hire ${index}`,
        jobTitle: 'Engineer',
        department: 'Sales',
        accountEnabled: true,
      });
      applied.push({ kind, subject: hire.id });
    } else if (kind === 'join') {
      const groupId = rootGroups[index % rootGroups.length];
      if (groupId === undefined) throw new Error('the directory has no group to join');
      const members = new Set(directory.transitiveMembers(groupId));
      const id = nextActiveUser((candidate) => !members.has(candidate));
      directory.addMember(groupId, id);
      applied.push({ kind, subject: `${id} -> ${groupId}` });
    } else {
      const groupId = rootGroups[(index + 1) % rootGroups.length];
      if (groupId === undefined) throw new Error('the directory has no group to rename');
      directory.renameGroup(groupId, `Renamed team ${index}`);
      applied.push({ kind: 'rename', subject: groupId });
    }
  }
  return applied;
}
