import { odataStringLiteral } from '../shared/odataLiteral.js';
import { type GraphHttp, type GraphObject, graphPath } from './client.js';
import { GRAPH_GROUP_PROPERTIES } from './mapping.js';
import { isObjectId, PAGE_SIZE } from './readContext.js';

export type GroupResolution =
  | { readonly kind: 'found'; readonly group: GraphObject }
  | { readonly kind: 'missing' }
  | { readonly kind: 'ambiguous'; readonly count: number };

/** A group named by object id or by display name (`eq`, which Graph compares case-insensitively). */
export async function resolveGroup(http: GraphHttp, reference: string): Promise<GroupResolution> {
  const select = GRAPH_GROUP_PROPERTIES.join(',');
  if (isObjectId(reference)) {
    const group = await http.find(graphPath(`/groups/${reference}`, { $select: select }));
    if (group) return { kind: 'found', group };
  }
  const matches = await http.listAll(
    graphPath('/groups', {
      $filter: `displayName eq ${odataStringLiteral(reference)}`,
      $select: select,
      $top: PAGE_SIZE,
    }),
  );
  const [only] = matches;
  if (only === undefined) return { kind: 'missing' };
  return matches.length === 1 ? { kind: 'found', group: only } : { kind: 'ambiguous', count: matches.length };
}
