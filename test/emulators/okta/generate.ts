import { seededRandom } from '../../../src/util/seededRandom.js';
import {
  OKTA_USER_STATUSES,
  type OktaDirectory,
  type OktaUserStatus,
  oktaId,
  type SeedUser,
} from './directory.js';

export interface GenerateOptions {
  readonly users: number;
  readonly groups: number;
  readonly seed: number;
}

const FIRST_NAMES = [
  'Ada',
  'Bo',
  'Chen',
  'Dana',
  'Emil',
  'Fatima',
  'Goran',
  'Hana',
  'Ivo',
  'Jun',
  'Kemal',
  'Lea',
];
const LAST_NAMES = [
  'Okafor',
  'Berg',
  'Li',
  'Novak',
  'Rossi',
  'Haddad',
  'Kowalski',
  'Sato',
  "O'Brien",
  'Dubois',
];
const DEPARTMENTS = ['Sales', 'Support', 'Engineering', 'Finance', 'People'];
const TITLES = ['Engineer', 'Manager', 'Analyst', 'Director', ''];
/** Most users are active; every other status is present, as in a real org. */
const STATUS_WEIGHTS: Readonly<Record<OktaUserStatus, number>> = {
  ACTIVE: 70,
  STAGED: 4,
  PROVISIONED: 4,
  RECOVERY: 3,
  PASSWORD_EXPIRED: 3,
  LOCKED_OUT: 3,
  SUSPENDED: 5,
  DEPROVISIONED: 8,
};

/**
 * A deterministic org: users across every status (the first eight take one status each, so
 * even a small org has all of them), groups of varied sizes, and one app assigned to some users
 * directly and to some groups.
 */
export function generateOktaOrg(options: GenerateOptions): OktaDirectory {
  const random = seededRandom(options.seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const users: SeedUser[] = Array.from({ length: options.users }, (_unused, index) => {
    const firstName = pick(FIRST_NAMES);
    const lastName = pick(LAST_NAMES);
    const login = `${firstName}.${lastName}.${index}@example.com`.toLowerCase().replace(/'/g, '');
    const title = pick(TITLES);
    const profile: Record<string, string> = {
      login,
      email: login,
      firstName,
      lastName,
      department: pick(DEPARTMENTS),
      employeeNumber: String(100_000 + index),
      ...(title ? { title } : {}),
      ...(index % 3 === 0 ? { displayName: `${firstName} ${lastName} (${index})` } : {}),
    };
    const status = OKTA_USER_STATUSES[index] ?? weightedStatus(random());
    return { id: oktaId('00u', index + 1), status, profile };
  });

  const groups = Array.from({ length: options.groups }, (_unused, index) => {
    const share = [0.02, 0.1, 0.3][index % 3] ?? 0.1;
    return {
      id: oktaId('00g', options.users + index + 1),
      name: `${pick(DEPARTMENTS)} team ${index + 1}`,
      memberIds: users.filter(() => random() < share).map((user) => user.id),
    };
  });

  const app = {
    id: oktaId('0oa', options.users + options.groups + 1),
    label: 'Platform (SCIM)',
    userIds: users.filter(() => random() < 0.1).map((user) => user.id),
    groupIds: groups.filter((_group, index) => index % 4 === 0).map((group) => group.id),
  };
  return { users, groups, apps: [app] };
}

function weightedStatus(draw: number): OktaUserStatus {
  const total = Object.values(STATUS_WEIGHTS).reduce((sum, weight) => sum + weight, 0);
  let threshold = draw * total;
  for (const status of OKTA_USER_STATUSES) {
    threshold -= STATUS_WEIGHTS[status];
    if (threshold < 0) return status;
  }
  return 'ACTIVE';
}
