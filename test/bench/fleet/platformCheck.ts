import type { JsonObject } from '../../../src/platform/json.js';
import type { ScimStore } from '../../emulators/scim/store.js';
import type { FleetWorld } from './fleetWorld.js';

/** What a tenant's platform should hold: users by externalId with their title, groups with member externalIds. */
interface Expected {
  readonly users: ReadonlyMap<string, string | undefined>;
  readonly groups: ReadonlyMap<string, readonly string[]>;
}

/**
 * The tenants whose platform differs from their source: a user missing, extra, inactive or with
 * another title; a group missing or with other members. Empty when every platform is exactly what
 * its source says.
 */
export function tenantsOffSource(world: FleetWorld): string[] {
  const off: string[] = [];
  for (const [tenant, file] of world.files) {
    const expected: Expected = {
      users: new Map(file.directory.users.map((user) => [user.id, user.title])),
      groups: new Map(file.directory.groups.map((group) => [group.id, [...group.members].sort()])),
    };
    if (!matches(world.platform.store(tenant), expected)) off.push(tenant);
  }
  for (const [tenant, graph] of world.graphs) {
    const directory = graph.directory;
    const enabled = directory
      .sortedUsers()
      .map((id) => directory.user(id)!)
      .filter((user) => user.properties.accountEnabled !== false);
    const users = new Map(enabled.map((user) => [user.id, user.properties.jobTitle as string | undefined]));
    // Nested groups are flattened; a disabled user never got an account, so is no member.
    const groups = new Map(
      directory
        .sortedGroups()
        .map((id) => [id, directory.transitiveMembers(id).filter((member) => users.has(member))]),
    );
    if (!matches(world.platform.store(tenant), { users, groups })) off.push(tenant);
  }
  return off;
}

function matches(store: ScimStore, expected: Expected): boolean {
  const users = store.users();
  if (users.length !== expected.users.size) return false;
  const externalIdOf = new Map<string, string>();
  for (const user of users) {
    const externalId = String(user.externalId);
    externalIdOf.set(String(user.id), externalId);
    if (!expected.users.has(externalId) || user.active === false) return false;
    if ((user.title as string | undefined) !== expected.users.get(externalId)) return false;
  }
  const groups = store.groups();
  if (groups.length !== expected.groups.size) return false;
  for (const group of groups) {
    externalIdOf.set(String(group.id), String(group.externalId));
  }
  for (const group of groups) {
    const want = expected.groups.get(String(group.externalId));
    const members = ((group.members ?? []) as JsonObject[])
      .map((member) => externalIdOf.get(String(member.value)) ?? '')
      .sort();
    if (!want || members.join() !== want.join()) return false;
  }
  return true;
}
