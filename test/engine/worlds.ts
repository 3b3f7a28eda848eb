import fc from 'fast-check';
import type { EngineSettings } from '../../src/engine/settings.js';
import type {
  AttributeValue,
  DirectoryGroup,
  DirectorySnapshot,
  DirectoryUser,
} from '../../src/model/directory.js';
import type { PlatformGroup, PlatformUser } from '../../src/model/scim.js';
import { DEPARTMENT, EMAIL, settings } from './fixtures.js';
import type { World } from './simulator.js';

/**
 * Random source directories and platform start states for the property tests. Platform objects
 * are drawn so that every kind the engine must tell apart appears: managed and drifted, adoption
 * candidates (one or two per person), foreign users holding a userName, owned orphans, and
 * groups likewise. Drifted values come from their own namespace so that one run can converge.
 */
export interface Scenario {
  readonly snapshot: DirectorySnapshot;
  readonly settings: EngineSettings;
  readonly world: World;
}

const USERS = 8;
const GROUPS = 4;
const userId = (index: number) => `u${index}`;
const groupId = (index: number) => `g${index}`;

const sourceUsers = fc.array(
  fc.record({
    email: fc.boolean(),
    department: fc.constantFrom('Sales', 'Support', 'Eng', undefined),
    title: fc.constantFrom('Engineer', 'Lead', undefined),
    level: fc.constantFrom(1, 2, undefined),
    active: fc.boolean(),
  }),
  { maxLength: USERS },
);

function toSourceUser(
  index: number,
  drawn: { email: boolean; department?: string; title?: string; level?: number; active: boolean },
): DirectoryUser {
  const attributes: Record<string, AttributeValue> = { userName: `user${index}@x.io` };
  if (drawn.email) attributes.email = `mail${index}@x.io`;
  if (drawn.department !== undefined) attributes.department = drawn.department;
  if (drawn.title !== undefined) attributes.title = drawn.title;
  if (drawn.level !== undefined) attributes.level = drawn.level;
  return { id: userId(index), active: drawn.active, attributes };
}

export const MAPPING = {
  externalId: 'id',
  userName: 'userName',
  [EMAIL]: 'email',
  title: 'title',
  [DEPARTMENT]: 'department',
  'urn:x:level': 'level',
  active: 'active',
};

function directory(userCount: number) {
  const ids = Array.from({ length: userCount }, (_, index) => userId(index));
  const groupIds = Array.from({ length: GROUPS }, (_, index) => groupId(index));
  return fc.record({
    groups: fc.tuple(
      ...groupIds.map((id, index) =>
        fc.record({
          present: fc.boolean(),
          shared: fc.boolean(),
          memberIds: fc.subarray([...ids, ...groupIds.filter((other) => other !== id), 'dangling']),
          index: fc.constant(index),
        }),
      ),
    ),
    assignedUsers: fc.subarray(ids),
    assignedGroups: fc.subarray(groupIds),
  });
}

const engineSettings = fc.record({
  scope: fc.oneof(
    fc.constant({ mode: 'all' } as const),
    fc.constant({ mode: 'assigned' } as const),
    fc
      .subarray([groupId(0), groupId(1), 'Team 2', 'Shared'], { minLength: 1 })
      .map((groups) => ({ mode: 'groups', groups }) as const),
  ),
  filtered: fc.boolean(),
  matching: fc.shuffledSubarray(['externalId', 'userName', 'email'] as const),
  deprovision: fc.constantFrom('deactivate', 'delete') as fc.Arbitrary<'deactivate' | 'delete'>,
  skipOutOfScopeDeletions: fc.boolean(),
  membersPerPatch: fc.integer({ min: 1, max: 3 }),
});

/** A platform value for a mapped path: right, drifted, or missing. */
const driftedValue = (right: string | undefined, drift: string) => fc.constantFrom(right, drift, undefined);

function platformUsers(users: readonly DirectoryUser[]) {
  const forSource = users.map((user, index) => {
    const attributes = Object.fromEntries(
      Object.entries(MAPPING).flatMap(([path, name]) => {
        const value = user.attributes[name];
        return path === 'externalId' || path === 'active' || value === undefined
          ? []
          : [[path, String(value)]];
      }),
    ) as Record<string, string>;
    const drifted = fc
      .record({
        userName: fc.constantFrom(attributes.userName, `drift${index}@x.io`),
        title: driftedValue(attributes.title, 'Drifted'),
        department: driftedValue(attributes[DEPARTMENT], 'Drifted'),
        active: fc.boolean(),
      })
      .map(({ userName, title, department, active }): Record<string, string> & { active: boolean } => {
        const result: Record<string, string> = { ...attributes };
        const set = (path: string, value: string | undefined) => {
          if (value === undefined) delete result[path];
          else result[path] = value;
        };
        set('userName', userName);
        set('title', title);
        set(DEPARTMENT, department);
        return Object.assign(result, { active });
      });
    const candidate = (id: string) =>
      fc
        .record({ byName: fc.boolean(), upper: fc.boolean(), active: fc.boolean() })
        .map(({ byName, upper, active }): PlatformUser => {
          const candidateAttributes: Record<string, string> = {};
          const userName = attributes.userName ?? '';
          if (byName) candidateAttributes.userName = upper ? userName.toUpperCase() : userName;
          if (attributes[EMAIL] !== undefined) candidateAttributes[EMAIL] = attributes[EMAIL];
          return { id, active, attributes: candidateAttributes };
        });
    return fc.oneof(
      fc.constant<PlatformUser[]>([]),
      drifted.map(({ active, ...rest }): PlatformUser[] => [
        { id: `p-${user.id}`, externalId: user.id, active, attributes: rest },
      ]),
      candidate(`c-${user.id}`).map((one) => [one]),
      fc.tuple(candidate(`c-${user.id}`), candidate(`c2-${user.id}`)),
      fc.constant<PlatformUser[]>([
        {
          id: `f-${user.id}`,
          externalId: `foreign-${user.id}`,
          active: true,
          attributes: { userName: attributes.userName ?? '' },
        },
      ]),
    );
  });
  const orphans = fc
    .array(fc.record({ owned: fc.boolean(), active: fc.boolean() }), { maxLength: 3 })
    .map((drawn) =>
      drawn.map(({ owned, active }, index): PlatformUser & { owned: boolean } => ({
        id: `o-${index}`,
        externalId: `gone-${index}`,
        active,
        attributes: { userName: `gone${index}@x.io` },
        owned,
      })),
    );
  return fc.tuple(fc.tuple(...forSource), orphans);
}

function platformGroups(groups: readonly DirectoryGroup[], userIds: readonly string[]) {
  const members = fc.subarray([...userIds, 'foreign-member']);
  const forSource = groups.map((group) =>
    fc.oneof(
      fc.constant<PlatformGroup[]>([]),
      fc
        .record({ renamed: fc.boolean(), memberIds: members })
        .map(({ renamed, memberIds }): PlatformGroup[] => [
          {
            id: `q-${group.id}`,
            externalId: group.id,
            displayName: renamed ? 'Old name' : group.displayName,
            memberIds,
          },
        ]),
      members.map((memberIds): PlatformGroup[] => [
        { id: `c-${group.id}`, displayName: group.displayName, memberIds },
      ]),
    ),
  );
  const orphans = fc
    .array(fc.record({ owned: fc.boolean(), memberIds: members }), { maxLength: 2 })
    .map((drawn) =>
      drawn.map(({ owned, memberIds }, index): PlatformGroup & { owned: boolean } => ({
        id: `og-${index}`,
        externalId: `gone-group-${index}`,
        displayName: `Gone ${index}`,
        memberIds,
        owned,
      })),
    );
  return fc.tuple(fc.tuple(...forSource), orphans);
}

export const scenarios: fc.Arbitrary<Scenario> = sourceUsers.chain((drawnUsers) => {
  const users = drawnUsers.map((drawn, index) => toSourceUser(index, drawn));
  return fc
    .tuple(directory(users.length), engineSettings, platformUsers(users))
    .chain(([dir, drawnSettings, [sourceSide, userOrphans]]) => {
      const groups = dir.groups
        .filter((group) => group.present)
        .map((group) => ({
          id: groupId(group.index),
          displayName: group.shared ? 'Shared' : `Team ${group.index}`,
          attributes: {},
          memberIds: group.memberIds,
        }));
      const snapshot: DirectorySnapshot = {
        users,
        groups,
        assignments: { userIds: dir.assignedUsers, groupIds: dir.assignedGroups },
      };
      const { filtered, ...rest } = drawnSettings;
      const tenantSettings = settings({
        ...rest,
        userMapping: MAPPING,
        filters: filtered ? [{ attribute: 'department', op: 'in', value: ['Sales', 'Support'] }] : [],
      });
      const platformSideUsers = [...sourceSide.flat(), ...userOrphans.map(({ owned: _, ...user }) => user)];
      return platformGroups(
        groups,
        platformSideUsers.map((user) => user.id),
      ).map(([groupSide, groupOrphans]) => ({
        snapshot,
        settings: tenantSettings,
        world: {
          platform: {
            users: platformSideUsers,
            groups: [...groupSide.flat(), ...groupOrphans.map(({ owned: _, ...group }) => group)],
          },
          owned: {
            users: new Set(userOrphans.filter((user) => user.owned).map((user) => user.externalId ?? '')),
            groups: new Set(
              groupOrphans.filter((group) => group.owned).map((group) => group.externalId ?? ''),
            ),
          },
          touched: new Set<string>(),
        },
      }));
    });
});
