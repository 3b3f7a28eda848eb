import type { Assignments } from '../../src/model/directory.js';
import { type GraphHttp, graphPath } from './client.js';
import { PAGE_SIZE } from './readContext.js';

export interface AssignmentRead {
  readonly assignments: Assignments;
}

/** The users and groups assigned to the enterprise app (its service principal), every page. */
export async function readAssignments(http: GraphHttp, servicePrincipalId: string): Promise<AssignmentRead> {
  const assignments = await http.listAll(
    graphPath(`/servicePrincipals/${encodeURIComponent(servicePrincipalId)}/appRoleAssignedTo`, {
      $select: 'principalId,principalType',
      $top: PAGE_SIZE,
    }),
  );
  const userIds = new Set<string>();
  const groupIds = new Set<string>();
  for (const assignment of assignments) {
    const id = String(assignment.principalId);
    if (assignment.principalType === 'User') userIds.add(id);
    else if (assignment.principalType === 'Group') groupIds.add(id);
  }
  return { assignments: { userIds: [...userIds], groupIds: [...groupIds] } };
}
