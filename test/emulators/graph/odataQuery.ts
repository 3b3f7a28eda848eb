import { parseOdataStringContent } from '../../../connectors/shared/odataLiteral.js';
import type { EmulatedResponse } from '../https/httpsServer.js';
import type { GraphProperties } from './directory.js';
import { graphError } from './graphErrors.js';

/**
 * The OData query options the emulator understands: `$select`, `$top` (1..999), and `$filter` as
 * `eq` clauses joined by `or` — what a sync client needs, refused loudly beyond that.
 */
export interface FilterClause {
  readonly property: string;
  readonly value: string | boolean;
}

export interface ListQuery {
  readonly select?: readonly string[];
  readonly top: number;
  /** Any clause may match. */
  readonly filter?: readonly FilterClause[];
}

export const MAX_PAGE_SIZE = 999;

export function parseListQuery(url: URL, defaultTop: number): ListQuery | EmulatedResponse {
  const select = parseSelect(url);
  const topText = url.searchParams.get('$top');
  const top = topText === null ? defaultTop : Number(topText);
  if (!Number.isInteger(top) || top < 1 || top > MAX_PAGE_SIZE) {
    return graphError(
      400,
      'Request_UnsupportedQuery',
      `Invalid page size specified: '${topText}'. Must be between 1 and ${MAX_PAGE_SIZE} inclusive.`,
    );
  }
  const filterText = url.searchParams.get('$filter');
  if (filterText === null) return { top, ...(select ? { select } : {}) };
  const filter = parseFilter(filterText);
  if (filter === undefined) {
    return graphError(
      400,
      'Request_UnsupportedQuery',
      `Unsupported or invalid query filter clause: ${filterText}`,
    );
  }
  return { top, filter, ...(select ? { select } : {}) };
}

export function parseSelect(url: URL): readonly string[] | undefined {
  const text = url.searchParams.get('$select');
  if (text === null || text.trim() === '') return undefined;
  return text
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
}

const CLAUSE = /^\s*([A-Za-z][\w]*)\s+eq\s+('(?:[^']|'')*'|true|false)\s*/;
const OR = /^or\s+/i;

function parseFilter(text: string): FilterClause[] | undefined {
  const clauses: FilterClause[] = [];
  let rest = text;
  for (;;) {
    const match = CLAUSE.exec(rest);
    if (!match) return undefined;
    const [whole, property = '', literal = ''] = match;
    const value = literal.startsWith("'")
      ? parseOdataStringContent(literal.slice(1, -1))
      : literal === 'true';
    clauses.push({ property, value });
    rest = rest.slice(whole.length);
    if (rest === '') return clauses;
    const or = OR.exec(rest);
    if (!or) return undefined;
    rest = rest.slice(or[0].length);
  }
}

/** Graph compares strings case-insensitively in `eq`, except object ids. */
export function matchesFilter(
  id: string,
  properties: GraphProperties,
  filter: readonly FilterClause[] | undefined,
): boolean {
  if (filter === undefined) return true;
  return filter.some((clause) => {
    const actual = clause.property === 'id' ? id : properties[clause.property];
    if (typeof clause.value === 'boolean') return actual === clause.value;
    if (clause.property === 'id') return actual === clause.value;
    return typeof actual === 'string' && actual.toLowerCase() === clause.value.toLowerCase();
  });
}

/** The object as Graph returns it: the selected properties (null when unset), or the defaults. */
export function project(
  id: string,
  properties: GraphProperties,
  select: readonly string[] | undefined,
  defaults: readonly string[],
): Record<string, unknown> {
  const result: Record<string, unknown> = { id };
  for (const name of select ?? defaults) {
    if (name !== 'id') result[name] = properties[name] ?? null;
  }
  return result;
}
