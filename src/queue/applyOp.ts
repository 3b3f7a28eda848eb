import { userChanges } from '../engine/index.js';
import type { Failure } from '../model/failure.js';
import type { AttributeChange, Op } from '../model/plan.js';
import { type Platform, PlatformError } from '../model/platform.js';
import type { PlatformUser, ScimUserState } from '../model/scim.js';
import type { OwnershipChanges } from '../runs/ownershipChanges.js';
import type { TenantState } from '../runs/ports.js';

export interface ApplyContext {
  readonly tenant: string;
  readonly platform: Platform;
  readonly state: TenantState;
  /** The SCIM paths this tenant maps: the only attributes a convergence may change or remove. */
  readonly mappedPaths: readonly string[];
  /**
   * False on a job's first attempt: the plan was made from a fresh read, so the op is sent as
   * planned. True on a retry: the platform may have moved, so the worker re-reads and converges.
   */
  readonly reread: boolean;
  /**
   * Where ownership changes go: a batch worker collects them and records them with the batch's
   * outcomes; absent, they are written at once.
   */
  readonly ownership?: OwnershipChanges;
  /**
   * The link cache's answer for every user a batch's ops name as members, read in one go for the
   * whole batch; absent, each op reads the cache itself. Users missing from it are looked up on
   * the platform either way.
   */
  readonly knownUserLinks?: ReadonlyMap<string, string>;
}

/** What applying an op did, for the provisioning log and the run's counts. */
export interface ApplyResult {
  readonly targetId?: string;
  readonly note?: string;
  /** The attributes the op sent: what a create set, or what an update changed (from → to). */
  readonly changes?: readonly AttributeChange[];
  /** Group members (externalIds) this op added on the platform, or removed. */
  readonly membersAdded?: readonly string[];
  readonly membersRemoved?: readonly string[];
}

/** An op that cannot succeed by retrying: a foreign object holds the identity. */
export class TerminalOpError extends Error {
  override readonly name = 'TerminalOpError';
  readonly failure: Failure = { class: 'conflict' };
}

/**
 * Converges the platform to what the op names. Every branch is safe to run twice: a create
 * that finds the object adopts it, a delete that finds nothing is done, members are set-like.
 */
export async function applyOp(op: Op, context: ApplyContext): Promise<ApplyResult> {
  switch (op.kind) {
    case 'createUser':
      return ensureUser(
        { externalId: op.externalId, active: op.active, attributes: op.attributes },
        undefined,
        context,
      );
    case 'updateUser':
    case 'reactivateUser': {
      const desired = { externalId: op.externalId, active: op.active, attributes: op.attributes };
      if (!context.reread) {
        try {
          await context.platform.patchUser(op.targetId, op.changes, op.attributes);
          // An adopted user is this tenant's from now on: when it leaves the source it is deprovisioned.
          await own(context, 'user', op.externalId, op.targetId);
          return { targetId: op.targetId, changes: op.changes };
        } catch (error) {
          if (!(error instanceof PlatformError && error.isNotFound)) throw error;
        }
      }
      return ensureUser(desired, op.targetId, context);
    }
    case 'deactivateUser': {
      try {
        await context.platform.patchUser(op.targetId, [{ path: 'active', from: true, to: false }]);
      } catch (error) {
        if (error instanceof PlatformError && error.isNotFound)
          return { note: 'already gone from the platform' };
        throw error;
      }
      return { targetId: op.targetId };
    }
    case 'deleteUser':
      await context.platform.deleteUser(op.targetId);
      await disown(context, 'user', op.externalId);
      return { targetId: op.targetId };
    case 'createGroup':
      return ensureGroup(op.externalId, op.displayName, op.memberExternalIds, context);
    case 'updateGroup': {
      try {
        await context.platform.patchGroup(op.targetId, op.changes);
      } catch (error) {
        if (error instanceof PlatformError && error.isNotFound)
          return ensureGroup(op.externalId, op.displayName, [], context);
        throw error;
      }
      await own(context, 'group', op.externalId, op.targetId);
      return { targetId: op.targetId, changes: op.changes };
    }
    case 'deleteGroup':
      await context.platform.deleteGroup(op.targetId);
      await disown(context, 'group', op.externalId);
      return { targetId: op.targetId };
    case 'addMembers':
    case 'removeMembers':
      return changeMembers(op, context);
  }
}

async function ensureUser(
  desired: ScimUserState,
  knownId: string | undefined,
  context: ApplyContext,
): Promise<ApplyResult> {
  const { platform } = context;
  let existing: PlatformUser | undefined;
  if (context.reread) existing = knownId ? await platform.getUser(knownId) : undefined;
  if (context.reread && !existing)
    existing = (await platform.findUsers({ externalIds: [desired.externalId] }))[0];
  if (!existing && !knownId) {
    try {
      const created = await platform.createUser(desired);
      await own(context, 'user', desired.externalId, created.id);
      return { targetId: created.id, changes: attributesSet(desired) };
    } catch (error) {
      if (!(error instanceof PlatformError && error.isConflict)) throw error;
      existing = await findConflictingUser(desired, context);
    }
  }
  if (!existing) {
    // The planned object is gone (deleted on the platform since the plan): create it again.
    const created = await platform.createUser(desired);
    await own(context, 'user', desired.externalId, created.id);
    return {
      targetId: created.id,
      changes: attributesSet(desired),
      note: 'recreated: the platform object had been deleted',
    };
  }
  const changes = userChanges(desired, existing, context.mappedPaths);
  if (changes.length > 0) await platform.patchUser(existing.id, changes, existing.attributes);
  await own(context, 'user', desired.externalId, existing.id);
  return {
    targetId: existing.id,
    ...(changes.length > 0 ? { changes } : { note: 'already in the desired state' }),
  };
}

/** A created user's attributes, as changes from nothing. */
function attributesSet(user: ScimUserState): AttributeChange[] {
  return Object.entries(user.attributes).map(([path, to]) => ({ path, to }));
}

/** A 409 on create: the identity exists. Adopt it when it is ours or unclaimed; never take a foreign one. */
async function findConflictingUser(desired: ScimUserState, context: ApplyContext): Promise<PlatformUser> {
  const userName = desired.attributes.userName;
  const candidates = await context.platform.findUsers({
    externalIds: [desired.externalId],
    ...(userName ? { userNames: [userName] } : {}),
  });
  const ours = candidates.find((candidate) => candidate.externalId === desired.externalId);
  if (ours) return ours;
  const unclaimed = candidates.filter((candidate) => !candidate.externalId);
  if (unclaimed.length === 1) return unclaimed[0]!;
  const foreign = candidates.find((candidate) => candidate.externalId);
  throw new TerminalOpError(
    foreign
      ? `userName "${userName}" is held by a platform user with another externalId (${foreign.externalId}), which this tenant does not manage`
      : `the platform refused the create as a conflict, and no platform user with userName "${userName}" could be found to adopt`,
  );
}

async function ensureGroup(
  externalId: string,
  displayName: string,
  memberExternalIds: readonly string[],
  context: ApplyContext,
): Promise<ApplyResult> {
  const { platform } = context;
  const members = await resolveUserIds(memberExternalIds, context);
  const memberIds = [...members.values()];
  let existing = context.reread ? (await platform.findGroups({ externalIds: [externalId] }))[0] : undefined;
  if (!existing) {
    try {
      const created = await platform.createGroup({ externalId, displayName, memberIds });
      await own(context, 'group', externalId, created.id);
      return {
        targetId: created.id,
        changes: [{ path: 'displayName', to: displayName }],
        membersAdded: [...members.keys()],
      };
    } catch (error) {
      if (!(error instanceof PlatformError && error.isConflict)) throw error;
      const found = await platform.findGroups({ externalIds: [externalId], displayNames: [displayName] });
      existing =
        found.find((group) => group.externalId === externalId) ?? found.find((group) => !group.externalId);
      if (!existing)
        throw new TerminalOpError(`group "${displayName}" exists on the platform under another externalId`);
    }
  }
  const changes = [
    ...(existing.displayName !== displayName
      ? [{ path: 'displayName', from: existing.displayName, to: displayName }]
      : []),
    ...(existing.externalId !== externalId ? [{ path: 'externalId', to: externalId }] : []),
  ];
  if (changes.length > 0) await platform.patchGroup(existing.id, changes);
  const present = new Set(existing.memberIds);
  const missing = [...members].filter(([, platformId]) => !present.has(platformId));
  if (missing.length > 0)
    await platform.addMembers(
      existing.id,
      missing.map(([, platformId]) => platformId),
    );
  await own(context, 'group', externalId, existing.id);
  return {
    targetId: existing.id,
    ...(changes.length > 0 ? { changes } : {}),
    membersAdded: missing.map(([memberExternalId]) => memberExternalId),
  };
}

async function changeMembers(
  op: Extract<Op, { kind: 'addMembers' | 'removeMembers' }>,
  context: ApplyContext,
): Promise<ApplyResult> {
  const groupId = op.targetId ?? (await resolveGroupId(op.externalId, context));
  if (!groupId) throw new Error(`group ${op.externalId} is not on the platform yet`);
  const memberIds = await resolveUserIds(op.memberExternalIds, context);
  const unresolved = op.memberExternalIds.filter((externalId) => !memberIds.has(externalId));
  if (memberIds.size > 0) {
    if (op.kind === 'addMembers') await context.platform.addMembers(groupId, [...memberIds.values()]);
    else await context.platform.removeMembers(groupId, [...memberIds.values()]);
  }
  if (op.kind === 'addMembers' && unresolved.length > 0) {
    throw new Error(
      `${unresolved.length} member(s) not on the platform yet: ${unresolved.slice(0, 5).join(', ')}`,
    );
  }
  return op.kind === 'addMembers'
    ? { targetId: groupId, membersAdded: [...memberIds.keys()] }
    : { targetId: groupId, membersRemoved: [...memberIds.keys()] };
}

async function resolveGroupId(externalId: string, context: ApplyContext): Promise<string | undefined> {
  const cached = (await context.state.groupLinks(context.tenant, [externalId])).get(externalId);
  if (cached && !context.reread) return cached;
  const found = (await context.platform.findGroups({ externalIds: [externalId] }))[0];
  return found?.id;
}

/** Platform ids of users: the link cache first, a batched lookup for the rest (and for all on a retry). */
async function resolveUserIds(
  externalIds: readonly string[],
  context: ApplyContext,
): Promise<Map<string, string>> {
  const resolved = context.reread ? new Map<string, string>() : await cachedUserLinks(externalIds, context);
  const missing = externalIds.filter((externalId) => !resolved.has(externalId));
  if (missing.length > 0) {
    for (const user of await context.platform.findUsers({ externalIds: missing })) {
      if (user.externalId) resolved.set(user.externalId, user.id);
    }
  }
  return resolved;
}

async function cachedUserLinks(
  externalIds: readonly string[],
  context: ApplyContext,
): Promise<Map<string, string>> {
  const known = context.knownUserLinks;
  if (known === undefined) return context.state.userLinks(context.tenant, externalIds);
  const resolved = new Map<string, string>();
  for (const externalId of externalIds) {
    const platformId = known.get(externalId);
    if (platformId !== undefined) resolved.set(externalId, platformId);
  }
  return resolved;
}

/** The users a batch's ops name as group members: their links are read once for the batch. */
export function memberExternalIdsOf(ops: readonly Op[]): string[] {
  const ids = new Set<string>();
  for (const op of ops) {
    if ('memberExternalIds' in op) for (const externalId of op.memberExternalIds) ids.add(externalId);
  }
  return [...ids];
}

async function own(
  context: ApplyContext,
  kind: 'user' | 'group',
  externalId: string,
  platformId: string,
): Promise<void> {
  if (context.ownership) context.ownership.own(kind, externalId, platformId);
  else await context.state.own(context.tenant, kind, externalId, platformId);
}

async function disown(context: ApplyContext, kind: 'user' | 'group', externalId: string): Promise<void> {
  if (context.ownership) context.ownership.disown(kind, externalId);
  else await context.state.disown(context.tenant, kind, externalId);
}
