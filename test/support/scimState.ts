import type { ScimEmulator } from '../emulators/scim/scimEmulator.js';
import type { TestPlatform } from './testPlatform.js';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

export interface UserView {
  userName: string;
  externalId?: string;
  active: boolean;
  givenName?: string;
  familyName?: string;
  displayName?: string;
  email?: string;
  title?: string;
  department?: string;
  employeeNumber?: string;
}

export interface GroupView {
  displayName: string;
  externalId?: string;
  members: string[];
}

type Json = Record<string, unknown>;

export interface PlatformView {
  users: UserView[];
  groups: GroupView[];
}

/**
 * The platform's state, read through its SCIM API (so it holds for any server), in the words a
 * reader checks: users by userName, groups with member userNames.
 */
export async function scimView(platform: TestPlatform): Promise<PlatformView> {
  const { users, groups } = await platform.resources();
  return viewOf(users, groups);
}

/** The same view read straight from the emulator's store. */
export function platformView(emulator: ScimEmulator): PlatformView {
  return viewOf(emulator.store.users(), emulator.store.groups());
}

function viewOf(resources: readonly Json[], groupResources: readonly Json[]): PlatformView {
  const userNameById = new Map(resources.map((user) => [String(user.id), String(user.userName)]));
  const users = resources
    .map((user): UserView => {
      const name = (user.name ?? {}) as Json;
      const emails = (user.emails ?? []) as Json[];
      const enterprise = (user[ENTERPRISE] ?? {}) as Json;
      return withoutUndefined({
        userName: String(user.userName),
        externalId: user.externalId as string | undefined,
        active: user.active !== false,
        givenName: name.givenName as string | undefined,
        familyName: name.familyName as string | undefined,
        displayName: user.displayName as string | undefined,
        email: emails.find((email) => email.type === 'work')?.value as string | undefined,
        title: user.title as string | undefined,
        department: enterprise.department as string | undefined,
        employeeNumber: enterprise.employeeNumber as string | undefined,
      });
    })
    .sort((left, right) => left.userName.localeCompare(right.userName));
  const groups = groupResources
    .map(
      (group): GroupView =>
        withoutUndefined({
          displayName: String(group.displayName),
          externalId: group.externalId as string | undefined,
          members: ((group.members ?? []) as Json[])
            .map((member) => userNameById.get(String(member.value)) ?? `?${String(member.value)}`)
            .sort(),
        }),
    )
    .sort((left, right) => left.displayName.localeCompare(right.displayName));
  return { users, groups };
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as T;
}

export function writesIn(calls: readonly { method: string }[]): number {
  return calls.filter((call) => call.method !== 'GET').length;
}
