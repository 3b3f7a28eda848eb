import type { GroupView, UserView } from '../support/scimState.js';

/**
 * The directory of the chaos suite on two days, as a file-source export, and what the platform
 * must hold after both have been synced — derived from the directory and the README's "How a run works" alone, never
 * from the engine. Changes are picked by index arithmetic, so every run sees the same world.
 */
export interface ChaosUser {
  readonly id: string;
  readonly userName: string;
  readonly email: string;
  readonly givenName: string;
  readonly familyName: string;
  readonly displayName: string;
  readonly title: string;
  readonly department: string;
  readonly employeeId: string;
  readonly active: boolean;
}

export interface ChaosGroup {
  readonly id: string;
  readonly displayName: string;
  readonly members: readonly string[];
}

export interface ChaosDirectory {
  readonly users: readonly ChaosUser[];
  readonly groups: readonly ChaosGroup[];
}

const DOMAIN = 'chaos.example';
const GROUPS = 20;

function user(index: number, day: 1 | 2): ChaosUser {
  const promoted = day === 2 && index % 10 === 2;
  return {
    id: `u-${index}`,
    userName: `user${index}@${DOMAIN}`,
    email: `user${index}@${DOMAIN}`,
    givenName: `Given${index}`,
    familyName: `Family${index}`,
    displayName: `Given${index} Family${index}`,
    title: `Title ${index % 7}${promoted ? ' (promoted)' : ''}`,
    department: `Dept ${index % 5}`,
    employeeId: String(10_000 + index),
    active: isActive(index, day),
  };
}

/** A few users are disabled from day one; on day two a tenth more are disabled, and half the first few return. */
function isActive(index: number, day: 1 | 2): boolean {
  if (index % 97 === 0) return day === 2 && index % 2 === 0;
  return !(day === 2 && index % 10 === 3);
}

function groupsOf(users: readonly ChaosUser[], day: 1 | 2): ChaosGroup[] {
  const second = day === 1 ? 17 : 19;
  const groups: ChaosGroup[] = [];
  for (let group = 0; group < GROUPS; group++) {
    // Day two drops the last group and adds a new one.
    if (day === 2 && group === GROUPS - 1) continue;
    groups.push({
      id: `g-${group}`,
      displayName: `Chaos Team ${group}`,
      members: users
        .filter((member) => numberOf(member) % GROUPS === group || numberOf(member) % second === group)
        .map((member) => member.id),
    });
  }
  if (day === 2) {
    groups.push({
      id: 'g-new',
      displayName: 'Chaos Newcomers',
      members: users.filter((member) => numberOf(member) >= 2000).map((member) => member.id),
    });
  }
  return groups;
}

function numberOf(member: ChaosUser): number {
  return Number(member.id.slice('u-'.length));
}

/** Day one: `size` users in 20 groups. */
export function firstDay(size: number): ChaosDirectory {
  const users = Array.from({ length: size }, (_, index) => user(index, 1));
  return { users, groups: groupsOf(users, 1) };
}

/**
 * Day two: a tenth of the users left, a tenth were promoted, a tenth disabled, `size / 7` joined;
 * one group is gone, one is new, and every group's membership moved.
 */
export function secondDay(size: number): ChaosDirectory {
  if (size > 2000)
    throw new Error('joiners are numbered from 2000: keep the first day at 2000 users or fewer');
  const kept = Array.from({ length: size }, (_, index) => index).filter((index) => index % 10 !== 1);
  const joined = Array.from({ length: Math.floor(size / 7) }, (_, offset) => 2000 + offset);
  const users = [...kept, ...joined].map((index) => user(index, 2));
  return { users, groups: groupsOf(users, 2) };
}

/** Platform objects that belong to nobody in this tenant, present before dirsync's first run. */
export const BYSTANDERS = {
  /** Another tenant's user: it carries an externalId this directory never had. */
  foreignUser: { userName: `foreign@${DOMAIN}`, externalId: 'other-tenant-7', active: true },
  /** Created by hand on the platform, matched by nobody. */
  handmadeUser: { userName: `bystander@${DOMAIN}`, active: true },
  /** Another tenant's group holding the foreign user. */
  foreignGroup: { displayName: 'Foreign Team', externalId: 'other-tenant-group' },
} as const;

/** A hand-made platform user whose userName a day-two joiner has: it must be adopted, never doubled. */
export const ADOPTED_USER_NAME = `user2000@${DOMAIN}`;

/** The platform after day one and then day two were synced, in the words of `platformView`. */
export function expectedPlatform(
  dayOne: ChaosDirectory,
  dayTwo: ChaosDirectory,
): { users: UserView[]; groups: GroupView[] } {
  const today = new Map(dayTwo.users.map((entry) => [entry.id, entry]));
  // An inactive user with no account is never created; every other user of day one got one.
  const hadAccount = new Set(dayOne.users.filter((entry) => entry.active).map((entry) => entry.id));
  const hasAccount = (entry: ChaosUser) => entry.active || hadAccount.has(entry.id);
  const users: UserView[] = [
    { ...BYSTANDERS.foreignUser },
    { ...BYSTANDERS.handmadeUser },
    ...dayTwo.users.filter(hasAccount).map(viewOf),
    // Users who left the source are deactivated, their attributes as last seen.
    ...dayOne.users
      .filter((entry) => hadAccount.has(entry.id) && !today.has(entry.id))
      .map((entry) => ({ ...viewOf(entry), active: false })),
  ];
  const userNameOf = new Map(dayTwo.users.map((entry) => [entry.id, entry.userName]));
  const groups: GroupView[] = [
    { ...BYSTANDERS.foreignGroup, members: [BYSTANDERS.foreignUser.userName] },
    ...dayTwo.groups.map((group) => ({
      displayName: group.displayName,
      externalId: group.id,
      members: group.members
        .filter((id) => hasAccount(today.get(id)!))
        .map((id) => userNameOf.get(id)!)
        .sort(),
    })),
  ];
  return {
    users: users.sort((left, right) => left.userName.localeCompare(right.userName)),
    groups: groups.sort((left, right) => left.displayName.localeCompare(right.displayName)),
  };
}

function viewOf(entry: ChaosUser): UserView {
  return {
    userName: entry.userName,
    externalId: entry.id,
    active: entry.active,
    givenName: entry.givenName,
    familyName: entry.familyName,
    displayName: entry.displayName,
    email: entry.email,
    title: entry.title,
    department: entry.department,
    employeeNumber: entry.employeeId,
  };
}
