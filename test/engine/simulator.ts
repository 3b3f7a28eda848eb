import type { OwnedExternalIds } from '../../src/engine/index.js';
import type { AttributeChange, Op, Plan } from '../../src/model/plan.js';
import type { PlatformGroup, PlatformState, PlatformUser } from '../../src/model/scim.js';

/** A platform as the tests see it: its objects, what the tenant owns, and which objects were written. */
export interface World {
  readonly platform: PlatformState;
  readonly owned: OwnedExternalIds;
  /** Platform ids of every object an op wrote to, created or deleted. */
  readonly touched: ReadonlySet<string>;
}

type MutableUser = { id: string; externalId?: string; active: boolean; attributes: Record<string, string> };
type MutableGroup = { id: string; externalId?: string; displayName: string; memberIds: string[] };

/**
 * A small in-memory SCIM platform that applies a plan strictly: it refuses what a real platform
 * would refuse (a taken userName, an unknown id or member) and ops planned from a stale view
 * (a change whose `from` is not the current value), so a sloppy plan fails the test.
 */
export function applyPlan(world: World, plan: Plan): World {
  const users = new Map<string, MutableUser>(
    world.platform.users.map((user) => [user.id, { ...user, attributes: { ...user.attributes } }]),
  );
  const groups = new Map<string, MutableGroup>(
    world.platform.groups.map((group) => [group.id, { ...group, memberIds: [...group.memberIds] }]),
  );
  const ownedUsers = new Set(world.owned.users);
  const ownedGroups = new Set(world.owned.groups);
  const touched = new Set(world.touched);
  let next = 0;
  const freshId = (prefix: string) => {
    while (users.has(`${prefix}${next}`) || groups.has(`${prefix}${next}`)) next++;
    return `${prefix}${next++}`;
  };

  const fail = (op: Op, why: string): never => {
    throw new Error(`${op.kind} ${op.externalId}: ${why}`);
  };
  const userById = (op: Op, id: string) => users.get(id) ?? fail(op, `no platform user ${id}`);
  const groupOf = (op: Op, id: string | undefined): MutableGroup => {
    if (id !== undefined) return groups.get(id) ?? fail(op, `no platform group ${id}`);
    const found = [...groups.values()].filter((group) => group.externalId === op.externalId);
    if (found.length !== 1) fail(op, `${found.length} platform groups have this externalId`);
    return found[0]!;
  };
  const userIdOf = (op: Op, externalId: string): string | undefined => {
    const found = [...users.values()].filter((user) => user.externalId === externalId);
    if (found.length > 1) fail(op, `${found.length} platform users have externalId ${externalId}`);
    return found[0]?.id;
  };
  const expectFrom = (op: Op, change: AttributeChange, current: string | boolean | undefined) => {
    if (change.from !== current)
      fail(op, `stale change of ${change.path}: ${String(change.from)} is ${String(current)}`);
  };

  const applyOp = (op: Op) => {
    switch (op.kind) {
      case 'createUser': {
        const userName = op.attributes.userName?.toLowerCase();
        if (userName === undefined) fail(op, 'no userName');
        for (const user of users.values()) {
          if (user.attributes.userName?.toLowerCase() === userName)
            fail(op, `409 userName ${userName} taken`);
          if (user.externalId === op.externalId) fail(op, '409 externalId taken');
        }
        const id = freshId('sim-u');
        users.set(id, { id, externalId: op.externalId, active: op.active, attributes: { ...op.attributes } });
        ownedUsers.add(op.externalId);
        touched.add(id);
        return;
      }
      case 'updateUser':
      case 'reactivateUser': {
        const user = userById(op, op.targetId);
        for (const change of op.changes) {
          if (change.path === 'externalId') {
            expectFrom(op, change, user.externalId);
            user.externalId = String(change.to);
          } else if (change.path === 'active') {
            expectFrom(op, change, user.active);
            user.active = change.to === true;
          } else {
            expectFrom(op, change, user.attributes[change.path]);
            if (change.to === undefined) delete user.attributes[change.path];
            else user.attributes[change.path] = String(change.to);
          }
        }
        if (user.externalId !== op.externalId) fail(op, 'op names another user');
        if (op.kind === 'reactivateUser' && !user.active) fail(op, 'still inactive');
        ownedUsers.add(op.externalId);
        touched.add(user.id);
        return;
      }
      case 'deactivateUser': {
        const user = userById(op, op.targetId);
        if (!user.active) fail(op, 'already inactive');
        user.active = false;
        touched.add(user.id);
        return;
      }
      case 'deleteUser': {
        userById(op, op.targetId);
        users.delete(op.targetId);
        for (const group of groups.values())
          group.memberIds = group.memberIds.filter((id) => id !== op.targetId);
        ownedUsers.delete(op.externalId);
        touched.add(op.targetId);
        return;
      }
      case 'createGroup': {
        const id = freshId('sim-g');
        const memberIds = op.memberExternalIds.map(
          (externalId) => userIdOf(op, externalId) ?? fail(op, `no member ${externalId}`),
        );
        groups.set(id, { id, externalId: op.externalId, displayName: op.displayName, memberIds });
        ownedGroups.add(op.externalId);
        touched.add(id);
        return;
      }
      case 'updateGroup': {
        const group = groupOf(op, op.targetId);
        for (const change of op.changes) {
          if (change.path === 'externalId') {
            expectFrom(op, change, group.externalId);
            group.externalId = String(change.to);
          } else if (change.path === 'displayName') {
            expectFrom(op, change, group.displayName);
            group.displayName = String(change.to);
          } else fail(op, `unknown group path ${change.path}`);
        }
        ownedGroups.add(op.externalId);
        touched.add(group.id);
        return;
      }
      case 'deleteGroup': {
        groupOf(op, op.targetId);
        groups.delete(op.targetId);
        ownedGroups.delete(op.externalId);
        touched.add(op.targetId);
        return;
      }
      case 'addMembers':
      case 'removeMembers': {
        if (op.memberExternalIds.length === 0) fail(op, 'no members');
        const group = groupOf(op, op.targetId);
        const members = new Set(group.memberIds);
        for (const externalId of op.memberExternalIds) {
          const id = userIdOf(op, externalId);
          if (op.kind === 'addMembers') members.add(id ?? fail(op, `no member ${externalId}`));
          else if (id !== undefined) members.delete(id);
        }
        group.memberIds = [...members];
        touched.add(group.id);
        return;
      }
    }
  };
  for (const op of plan.userOps) applyOp(op);
  for (const op of plan.groupOps) applyOp(op);
  return {
    platform: {
      users: [...users.values()] as PlatformUser[],
      groups: [...groups.values()] as PlatformGroup[],
    },
    owned: { users: ownedUsers, groups: ownedGroups },
    touched,
  };
}
