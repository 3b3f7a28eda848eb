import type { DirectoryGroup } from '../model/directory.js';
import type { IdRanking } from './idRanking.js';
import { StampedMarks } from './stampedMarks.js';

/**
 * Nested groups flattened to their users. A group's member ids are resolved once, to user ranks
 * (>= 0) and group numbers (stored as `~number`, < 0), so walking a nested group again for every
 * pushed group that holds it reads integers instead of looking strings up.
 */
export class GroupFlattener {
  private readonly groups: DirectoryGroup[] = [];
  private readonly groupNumberOf = new Map<string, number>();
  private readonly resolved = new Map<DirectoryGroup, Int32Array>();
  private readonly usersSeen: StampedMarks;
  private readonly groupsSeen: StampedMarks;
  /** Room for every user once: a walk finds each at most once. */
  private readonly found: Int32Array;

  constructor(
    groupsById: ReadonlyMap<string, DirectoryGroup>,
    private readonly users: IdRanking,
  ) {
    for (const [id, group] of groupsById) {
      this.groupNumberOf.set(id, this.groups.length);
      this.groups.push(group);
    }
    this.usersSeen = new StampedMarks(users.ids.length);
    this.groupsSeen = new StampedMarks(this.groups.length);
    this.found = new Int32Array(users.ids.length);
  }

  /**
   * Ranks of the users `root` holds directly or through nested groups, sorted and unique. Cycle-safe:
   * each nested group is expanded once. Member ids that name neither a known user nor a group are ignored.
   */
  transitiveUserRanks(root: DirectoryGroup): Int32Array {
    this.usersSeen.clear();
    this.groupsSeen.clear();
    const rootNumber = this.groupNumberOf.get(root.id);
    if (rootNumber !== undefined) this.groupsSeen.add(rootNumber);
    let count = 0;
    const pending = [this.membersOf(root)];
    for (let members = pending.pop(); members !== undefined; members = pending.pop()) {
      for (const member of members) {
        if (member >= 0) {
          if (this.usersSeen.add(member)) this.found[count++] = member;
        } else if (this.groupsSeen.add(~member)) pending.push(this.membersOf(this.groups[~member]!));
      }
    }
    return this.found.slice(0, count).sort();
  }

  /** A user id wins over a group id that is spelled the same, as users are looked up first. */
  private membersOf(group: DirectoryGroup): Int32Array {
    const known = this.resolved.get(group);
    if (known !== undefined) return known;
    const members = new Int32Array(group.memberIds.length);
    let count = 0;
    for (const id of group.memberIds) {
      const rank = this.users.rankOf.get(id);
      if (rank !== undefined) members[count++] = rank;
      else {
        const number = this.groupNumberOf.get(id);
        if (number !== undefined) members[count++] = ~number;
      }
    }
    const resolved = members.subarray(0, count);
    this.resolved.set(group, resolved);
    return resolved;
  }
}
