import type { PlatformGroup, PlatformState, PlatformUser } from '../model/scim.js';
import type { DesiredState } from './desired.js';
import type { MatchMethod } from './settings.js';

export const USER_NAME_PATH = 'userName';
export const WORK_EMAIL_PATH = 'emails[type eq "work"].value';

export type LinkMethod = MatchMethod | 'displayName';

export type Match<T> =
  | { readonly kind: 'linked'; readonly target: T; readonly matchedBy: LinkMethod }
  | { readonly kind: 'unmatched' }
  | { readonly kind: 'problem'; readonly reason: string };

type Index<T> = ReadonlyMap<string, readonly T[]>;

/** The platform as lookups: by externalId, and the adoption candidates (objects without one). */
export interface PlatformIndex {
  readonly usersByExternalId: Index<PlatformUser>;
  /** The platform users holding each of the given userNames (lower-cased), found in one pass. */
  readonly holdersOfUserNames: (
    userNames: ReadonlySet<string>,
  ) => ReadonlyMap<string, readonly PlatformUser[]>;
  readonly userCandidatesByUserName: Index<PlatformUser>;
  readonly userCandidatesByEmail: Index<PlatformUser>;
  readonly groupsByExternalId: Index<PlatformGroup>;
  readonly groupCandidatesByName: Index<PlatformGroup>;
}

function indexBy<T>(items: Iterable<T>, keyOf: (item: T) => string | undefined): Map<string, T[]> {
  const index = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    if (key === undefined) continue;
    const bucket = index.get(key);
    if (bucket === undefined) index.set(key, [item]);
    else bucket.push(item);
  }
  return index;
}

const hasExternalId = (object: { readonly externalId?: string }): boolean =>
  object.externalId !== undefined && object.externalId !== '';
const externalIdOf = (object: { readonly externalId?: string }): string | undefined =>
  hasExternalId(object) ? object.externalId : undefined;
const lowerCase = (value: string | undefined): string | undefined => value?.toLowerCase();

export type UserIndex = Omit<PlatformIndex, 'groupsByExternalId' | 'groupCandidatesByName'>;

/** The platform's users as lookups: the user half of {@link indexPlatform}. */
export function indexUsers(users: readonly PlatformUser[]): UserIndex {
  const candidates = users.filter((user) => !hasExternalId(user));
  return {
    usersByExternalId: indexBy(users, externalIdOf),
    // Only the names asked for are indexed: the users a run creates are few, the platform's many.
    holdersOfUserNames: (userNames) =>
      indexBy(users, (user) => {
        const userName = lowerCase(user.attributes[USER_NAME_PATH]);
        return userName !== undefined && userNames.has(userName) ? userName : undefined;
      }),
    userCandidatesByUserName: indexBy(candidates, (user) => lowerCase(user.attributes[USER_NAME_PATH])),
    userCandidatesByEmail: indexBy(candidates, (user) => lowerCase(user.attributes[WORK_EMAIL_PATH])),
  };
}

export function indexPlatform(platform: PlatformState): PlatformIndex {
  return {
    ...indexUsers(platform.users),
    groupsByExternalId: indexBy(platform.groups, externalIdOf),
    groupCandidatesByName: indexBy(
      platform.groups.filter((group) => !hasExternalId(group)),
      (group) => group.displayName,
    ),
  };
}

interface AttributeKey<T> {
  readonly method: LinkMethod;
  readonly candidates: Index<T>;
  /** The subject's value: as shown to operators, and as the candidates are keyed. */
  readonly valueOf: (subjectId: string) => { readonly shown: string; readonly key: string } | undefined;
}

interface MatchRequest<T> {
  readonly noun: 'user' | 'group';
  /** Distinct; the matches come back in this order. */
  readonly subjectIds: readonly string[];
  readonly byExternalId: Index<T>;
  /** Whether the subject may adopt an unlinked object (only objects the run provisions do). */
  readonly mayAdopt: (subjectId: string) => boolean;
  readonly keys: readonly AttributeKey<T>[];
}

type Tentative<T> =
  | Match<T>
  | { readonly kind: 'candidate'; readonly target: T; readonly method: LinkMethod; readonly shown: string };

const UNMATCHED = { kind: 'unmatched' } as const;
const problem = (reason: string) => ({ kind: 'problem', reason }) as const;

function matchByAttributes<T>(
  subjectId: string,
  request: MatchRequest<T>,
  adopted: ReadonlySet<T>,
): Tentative<T> {
  for (const key of request.keys) {
    const value = key.valueOf(subjectId);
    if (value === undefined) continue;
    const found = (key.candidates.get(value.key) ?? []).filter((candidate) => !adopted.has(candidate));
    const [only] = found;
    if (only === undefined) continue;
    if (found.length > 1) {
      return problem(
        `conflict: ${found.length} platform ${request.noun}s match by ${key.method} ${value.shown}`,
      );
    }
    return { kind: 'candidate', target: only, method: key.method, shown: value.shown };
  }
  return UNMATCHED;
}

/**
 * MATCH: link by externalId, then adopt the one unlinked candidate the attribute keys find. Two
 * candidates, or one candidate wanted by two subjects, is a conflict on the subject, never a guess.
 * Adopting a candidate can settle another subject's conflict, so matching repeats until nothing
 * changes: the result is what a second run would find, and a second run plans nothing new.
 * The matches are by position in `subjectIds`: a full run matches every user, and an array spares
 * a map entry per user, here and wherever the planner reads them.
 */
function matchObjects<T>(request: MatchRequest<T>): Match<T>[] {
  const { subjectIds } = request;
  const matches: Match<T>[] = [];
  /** Positions of the subjects that may adopt a candidate. */
  let pending: number[] = [];
  for (let position = 0; position < subjectIds.length; position++) {
    const subjectId = subjectIds[position]!;
    const linked = request.byExternalId.get(subjectId);
    const only = linked?.[0];
    if (linked !== undefined && linked.length > 1) {
      matches.push(
        problem(`conflict: ${linked.length} platform ${request.noun}s have externalId ${subjectId}`),
      );
    } else if (only !== undefined) matches.push({ kind: 'linked', target: only, matchedBy: 'externalId' });
    else {
      if (request.mayAdopt(subjectId)) pending.push(position);
      matches.push(UNMATCHED);
    }
  }
  const adopted = new Set<T>();
  while (pending.length > 0) {
    const tentative = pending.map((position) => matchByAttributes(subjectIds[position]!, request, adopted));
    const claims = new Map<T, number>();
    for (const match of tentative) {
      if (match.kind === 'candidate') claims.set(match.target, (claims.get(match.target) ?? 0) + 1);
    }
    const unsettled: number[] = [];
    let adoptedAny = false;
    pending.forEach((position, index) => {
      const match = tentative[index]!;
      if (match.kind !== 'candidate') {
        matches[position] = match;
        if (match.kind === 'problem') unsettled.push(position);
        return;
      }
      const claimants = claims.get(match.target) ?? 0;
      if (claimants === 1) {
        adopted.add(match.target);
        adoptedAny = true;
        matches[position] = { kind: 'linked', target: match.target, matchedBy: match.method };
        return;
      }
      matches[position] = problem(
        `conflict: ${claimants} source ${request.noun}s match one platform ${request.noun} by ${match.method} ${match.shown}`,
      );
      unsettled.push(position);
    });
    pending = adoptedAny ? unsettled : [];
  }
  return matches;
}

export interface UserMatchRequest {
  /**
   * Source users to match, and ids of managed platform users gone from the source (linked by
   * externalId only); distinct. The matches come back in this order.
   */
  readonly subjectIds: readonly string[];
  readonly desired: DesiredState;
  readonly index: PlatformIndex;
  readonly matching: readonly MatchMethod[];
  readonly isManaged: (externalId: string) => boolean;
}

const ATTRIBUTE_KEYS: Readonly<
  Record<
    Exclude<MatchMethod, 'externalId'>,
    { path: string; candidates: (index: PlatformIndex) => Index<PlatformUser> }
  >
> = {
  userName: { path: USER_NAME_PATH, candidates: (index) => index.userCandidatesByUserName },
  email: { path: WORK_EMAIL_PATH, candidates: (index) => index.userCandidatesByEmail },
};

/** Users to create whose userName is held already: the create would be refused (409) on every run. */
function blockedCreates(request: UserMatchRequest, matches: Match<PlatformUser>[]): void {
  const { subjectIds } = request;
  const adopters = new Map<PlatformUser, string>();
  const unmatched: number[] = [];
  matches.forEach((match, position) => {
    if (match.kind === 'unmatched') unmatched.push(position);
    else if (match.kind === 'linked' && match.matchedBy !== 'externalId')
      adopters.set(match.target, subjectIds[position]!);
  });
  const creates = indexBy(unmatched, (position) => {
    const desired = request.desired.users.get(subjectIds[position]!);
    if (!desired?.inScope || !desired.state.active) return undefined;
    return lowerCase(desired.state.attributes[USER_NAME_PATH]);
  });
  if (creates.size === 0) return;
  const holders = request.index.holdersOfUserNames(new Set(creates.keys()));
  for (const [userName, positions] of creates) {
    const holder = holders.get(userName)?.[0];
    const holderSourceId = holder === undefined ? undefined : (adopters.get(holder) ?? externalIdOf(holder));
    let reason: string;
    if (positions.length > 1) {
      reason = `conflict: ${positions.length} source users would be created with userName ${userName}`;
    } else if (holder === undefined) continue;
    else if (holderSourceId !== undefined && (adopters.has(holder) || request.isManaged(holderSourceId))) {
      reason = `userName taken by the platform user of source user ${holderSourceId}`;
    } else reason = 'userName taken by a platform user this tenant does not manage';
    for (const position of positions) matches[position] = problem(reason);
  }
}

/** The match of each subject, in the order of `request.subjectIds`. */
export function matchUsers(request: UserMatchRequest): Match<PlatformUser>[] {
  const { desired, index } = request;
  const keys = request.matching.flatMap((method): AttributeKey<PlatformUser>[] => {
    if (method === 'externalId') return [];
    const { path, candidates } = ATTRIBUTE_KEYS[method];
    return [
      {
        method,
        candidates: candidates(index),
        valueOf: (subjectId) => {
          const shown = desired.users.get(subjectId)?.state.attributes[path];
          return shown === undefined ? undefined : { shown, key: shown.toLowerCase() };
        },
      },
    ];
  });
  const matches = matchObjects({
    noun: 'user',
    subjectIds: request.subjectIds,
    byExternalId: index.usersByExternalId,
    mayAdopt: (subjectId) => desired.users.get(subjectId)?.inScope === true,
    keys,
  });
  blockedCreates(request, matches);
  return matches;
}

/** The match of each subject (distinct ids), in the order of `subjectIds`. */
export function matchGroups(
  subjectIds: readonly string[],
  desired: DesiredState,
  index: PlatformIndex,
): Match<PlatformGroup>[] {
  return matchObjects({
    noun: 'group',
    subjectIds,
    byExternalId: index.groupsByExternalId,
    mayAdopt: (subjectId) => desired.groups.has(subjectId),
    keys: [
      {
        method: 'displayName',
        candidates: index.groupCandidatesByName,
        valueOf: (subjectId) => {
          const shown = desired.groups.get(subjectId)?.displayName;
          return shown === undefined ? undefined : { shown, key: shown };
        },
      },
    ],
  });
}
