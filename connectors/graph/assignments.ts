import type { Assignments } from '../../src/model/directory.js';
import { type GraphHttp, type GraphObject, graphPath } from './graphHttp.js';
import { PAGE_SIZE } from './readContext.js';

export interface AssignmentRead {
  readonly assignments: Assignments;
  /** The assigned groups as `{ id, displayName }`, ready to expand without reading each group. */
  readonly assignedGroups: readonly GraphObject[];
}

/** The users and groups assigned to the enterprise app (its service principal), every page. */
export async function readAssignments(http: GraphHttp, servicePrincipalId: string): Promise<AssignmentRead> {
  const assignments = await http.listAll(
    graphPath(`/servicePrincipals/${encodeURIComponent(servicePrincipalId)}/appRoleAssignedTo`, {
      $select: 'principalId,principalType,principalDisplayName',
      $top: PAGE_SIZE,
    }),
  );
  const userIds = new Set<string>();
  const groups = new Map<string, GraphObject>();
  for (const assignment of assignments) {
    const id = String(assignment.principalId);
    if (assignment.principalType === 'User') userIds.add(id);
    else if (assignment.principalType === 'Group') {
      groups.set(id, { id, displayName: assignment.principalDisplayName });
    }
  }
  return {
    assignments: { userIds: [...userIds], groupIds: [...groups.keys()] },
    assignedGroups: [...groups.values()],
  };
}
