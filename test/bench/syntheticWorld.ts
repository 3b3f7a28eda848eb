import { defaultUserMapping } from '../../connectors/index.js';
import type { EngineSettings, OwnedExternalIds } from '../../src/engine/index.js';
import type { DirectoryGroup, DirectorySnapshot, DirectoryUser } from '../../src/model/directory.js';
import type { PlatformGroup, PlatformState, PlatformUser } from '../../src/model/scim.js';
import { seededRandom } from '../../src/util/seededRandom.js';

export interface WorldSize {
  readonly users: number;
  readonly groups: number;
  readonly memberships: number;
  /** Share of users and of groups that differ between source and platform (0 = already in sync). */
  readonly changed: number;
}

/** What one full run plans over: a file-source directory, the platform after earlier runs, and the settings. */
export interface SyntheticWorld {
  readonly snapshot: DirectorySnapshot;
  readonly platform: PlatformState;
  readonly owned: OwnedExternalIds;
  readonly settings: EngineSettings;
  /** Direct memberships in the source (users and nested groups), after de-duplication. */
  readonly memberships: number;
}

export const FILE_SETTINGS: EngineSettings = {
  scope: { mode: 'all' },
  filters: [],
  userMapping: defaultUserMapping('file'),
  matching: ['externalId', 'userName', 'email'],
  deprovision: 'deactivate',
  skipOutOfScopeDeletions: false,
  membersPerPatch: 100,
};

/**
 * How a changed user differs, one kind in four: its platform title drifted; it is new (not on the
 * platform yet); it was disabled in the source; it left the source (its account stays, owned).
 */
type UserChange = 'none' | 'drifted' | 'new' | 'disabled' | 'left';
const CHANGE_KINDS: readonly UserChange[] = ['drifted', 'new', 'disabled', 'left'];

const DEPARTMENTS = ['Sales', 'Support', 'Engineering', 'Finance', 'Marketing', 'Legal'];
const TITLES = ['Engineer', 'Manager', 'Analyst', 'Associate', 'Director', 'Specialist'];

/**
 * A deterministic world of the given size, built without the engine: groups draw their members at
 * random (seeded), every tenth group holds the next group (one nesting level, so the platform's
 * flattened members are easy to state), and the platform holds exactly what a converged earlier
 * run left there, minus the changes.
 */
export function syntheticWorld(size: WorldSize, seed = 42): SyntheticWorld {
  const random = seededRandom(seed);
  const changeEvery = size.changed > 0 ? Math.round(1 / size.changed) : 0;
  const changeOf = (index: number): UserChange =>
    changeEvery > 0 && index % changeEvery === 0
      ? (CHANGE_KINDS[(index / changeEvery) % CHANGE_KINDS.length] ?? 'none')
      : 'none';
  const groupChanged = (index: number) => changeEvery > 0 && index % changeEvery === changeEvery / 2;

  const allUsers: DirectoryUser[] = Array.from({ length: size.users }, (_, index) => {
    const userName = `user${index}@bench.example`;
    return {
      id: `u${index}`,
      active: changeOf(index) !== 'disabled',
      attributes: {
        userName,
        email: userName,
        givenName: `Given${index}`,
        familyName: `Family${index}`,
        displayName: `Given${index} Family${index}`,
        department: DEPARTMENTS[index % DEPARTMENTS.length] ?? '',
        title: TITLES[index % TITLES.length] ?? '',
        employeeId: `E${index}`,
      },
    };
  });
  const directMembers: number[][] = Array.from({ length: size.groups }, () => {
    const members = new Set<number>();
    const perGroup = Math.floor(size.memberships / size.groups);
    for (let draw = 0; draw < perGroup; draw++) members.add(Math.floor(random() * size.users));
    return [...members];
  });
  const childOf = (index: number) => (index % 10 === 0 && index + 1 < size.groups ? index + 1 : undefined);

  const inSource = (index: number) => changeOf(index) !== 'left';
  const onPlatform = (index: number) => changeOf(index) !== 'new';
  const users = allUsers.filter((_, index) => inSource(index));
  const groups: DirectoryGroup[] = directMembers.map((members, index) => {
    const memberIds = members.filter(inSource).map((member) => allUsers[member]!.id);
    const child = childOf(index);
    if (child !== undefined) memberIds.push(`g${child}`);
    return { id: `g${index}`, displayName: `Group ${index}`, attributes: {}, memberIds };
  });

  const platformUsers: PlatformUser[] = [];
  allUsers.forEach((user, index) => {
    if (!onPlatform(index)) return;
    const attributes: Record<string, string> = {};
    for (const [path, attribute] of Object.entries(FILE_SETTINGS.userMapping)) {
      const value = user.attributes[attribute];
      if (value !== undefined) attributes[path] = String(value);
    }
    if (changeOf(index) === 'drifted') attributes.title = 'Drifted';
    platformUsers.push({ id: `p${index}`, externalId: user.id, active: true, attributes });
  });
  const platformGroups: PlatformGroup[] = directMembers.map((members, index) => {
    const child = childOf(index);
    const flattened = new Set(child === undefined ? members : [...members, ...(directMembers[child] ?? [])]);
    const memberIds = [...flattened].filter(onPlatform).map((member) => `p${member}`);
    // A changed group misses one member on the platform and holds one stray member instead.
    if (groupChanged(index) && memberIds.length > 0)
      memberIds[0] = `p${(flattened.size * 7919) % size.users}`;
    return { id: `q${index}`, externalId: `g${index}`, displayName: `Group ${index}`, memberIds };
  });

  return {
    snapshot: { users, groups },
    platform: { users: platformUsers, groups: platformGroups },
    owned: {
      users: new Set(platformUsers.map((user) => user.externalId ?? '')),
      groups: new Set(platformGroups.map((group) => group.externalId ?? '')),
    },
    settings: FILE_SETTINGS,
    memberships: groups.reduce((sum, group) => sum + group.memberIds.length, 0),
  };
}
