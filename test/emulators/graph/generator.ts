import { seededRandom } from '../../../src/util/seededRandom.js';
import type { DirectoryData, GroupInput, UserInput } from './directory.js';

/**
 * A deterministic sample tenant for tests, the demo and the bench: users with the attributes the
 * default mapping reads (some disabled, some without mail, some names with apostrophes), groups
 * nested up to `nestedDepth` levels, and an app assignment set of groups and direct users.
 */
export interface GraphDirectorySpec {
  readonly users: number;
  readonly groups: number;
  /** The deepest chain of groups inside groups; 0 for flat groups. */
  readonly nestedDepth: number;
  readonly seed: number;
  readonly domain?: string;
  /** The mean number of users drawn into a group (sizes spread evenly from 1 to twice it); default about 30. */
  readonly membersPerGroup?: number;
}

export interface GeneratedGraphDirectory extends DirectoryData {
  readonly users: readonly (UserInput & { readonly id: string })[];
  readonly groups: readonly (GroupInput & { readonly id: string; readonly memberIds: readonly string[] })[];
  readonly assignedPrincipalIds: readonly string[];
}

const GIVEN_NAMES = [
  'Ada',
  'Bruno',
  'Chloé',
  'Dmitri',
  'Eve',
  'Farah',
  'Gus',
  'Hana',
  'Ivan',
  'Jo',
  'Kai',
  'Lena',
];
const SURNAMES = [
  "O'Brien",
  'Nakamura',
  'Schmidt',
  'Okafor',
  'Silva',
  "D'Angelo",
  'Kowalski',
  'Haddad',
  'Lindqvist',
];
const DEPARTMENTS = ['Sales', 'Support', 'Engineering', 'Finance', 'Marketing', 'Legal'];
const TITLES = ['Engineer', 'Manager', 'Analyst', 'Associate', 'Director', 'Specialist'];

export function generateGraphDirectory(spec: GraphDirectorySpec): GeneratedGraphDirectory {
  const random = seededRandom(spec.seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const domain = spec.domain ?? 'contoso.example';

  const users = Array.from({ length: spec.users }, (_unused, index) => {
    const givenName = pick(GIVEN_NAMES);
    const surname = pick(SURNAMES);
    const userPrincipalName = `${givenName}.${surname}${index}@${domain}`.toLowerCase().replace(/é/g, 'e');
    const hasMail = random() > 0.05;
    return {
      id: uuid(random),
      userPrincipalName,
      displayName: `${givenName} ${surname}`,
      givenName,
      surname,
      ...(hasMail ? { mail: userPrincipalName } : {}),
      jobTitle: pick(TITLES),
      department: pick(DEPARTMENTS),
      employeeId: `E${String(index + 1).padStart(6, '0')}`,
      accountEnabled: random() > 0.08,
    };
  });

  const largest = spec.membersPerGroup === undefined ? 60 : 2 * spec.membersPerGroup - 1;
  const level: number[] = [];
  const groups = Array.from({ length: spec.groups }, (_unused, index) => {
    const size = users.length === 0 ? 0 : 1 + Math.floor(random() * Math.min(largest, users.length));
    const memberIds = new Set<string>();
    for (let draw = 0; draw < size; draw++) memberIds.add(pick(users).id);
    level.push(0);
    return { id: uuid(random), displayName: `${pick(DEPARTMENTS)} team ${index + 1}`, memberIds };
  });
  // Parents always come earlier in the list, so nesting never forms a cycle.
  for (let child = 1; child < groups.length; child++) {
    if (random() >= 0.3) continue;
    const parent = Math.floor(random() * child);
    const parentLevel = level[parent] ?? 0;
    if (parentLevel >= spec.nestedDepth) continue;
    groups[parent]?.memberIds.add(groups[child]?.id ?? '');
    level[child] = parentLevel + 1;
  }

  const assignedPrincipalIds = [
    ...groups.filter(() => random() < 0.2).map((group) => group.id),
    ...users.filter(() => random() < 0.05).map((user) => user.id),
  ];
  return {
    users,
    groups: groups.map((group) => ({ ...group, memberIds: [...group.memberIds] })),
    assignedPrincipalIds,
  };
}

function uuid(random: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16)).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
