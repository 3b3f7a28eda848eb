import { parseOdataStringContent } from '../../../connectors/shared/odataLiteral.js';
import type { EmulatedResponse } from '../https/httpsServer.js';
import type { GraphProperties } from './directory.js';
import { graphError } from './graphErrors.js';

/**
 * The OData query options the emulator understands: `$select`, `$top` (1..999), and `$filter` as
 * `eq` or `startswith(property,'text')` clauses joined by `or` — what a sync client and a typeahead
 * need, refused loudly beyond that (Graph answers `contains` on users and groups with 400 too).
 */
export interface FilterClause {
  readonly property: string;
  readonly operator: 'eq' | 'startswith';
  readonly value: string | boolean;
}

/**
 * The string properties of users and groups Graph's `startswith` accepts without advanced query
 * parameters; any other property is refused, as Graph refuses it.
 */
const STARTSWITH_PROPERTIES = new Set([
  'displayName',
  'userPrincipalName',
  'mail',
  'mailNickname',
  'givenName',
  'surname',
]);

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
const STARTSWITH = /^\s*startswith\(\s*([A-Za-z][\w]*)\s*,\s*('(?:[^']|'')*')\s*\)\s*/i;
const OR = /^or\s+/i;

function parseClause(rest: string): { clause: FilterClause; length: number } | undefined {
  const prefix = STARTSWITH.exec(rest);
  if (prefix) {
    const [whole, property = '', literal = ''] = prefix;
    if (!STARTSWITH_PROPERTIES.has(property)) return undefined;
    const value = parseOdataStringContent(literal.slice(1, -1));
    return { clause: { property, operator: 'startswith', value }, length: whole.length };
  }
  const match = CLAUSE.exec(rest);
  if (!match) return undefined;
  const [whole, property = '', literal = ''] = match;
  const value = literal.startsWith("'") ? parseOdataStringContent(literal.slice(1, -1)) : literal === 'true';
  return { clause: { property, operator: 'eq', value }, length: whole.length };
}

function parseFilter(text: string): FilterClause[] | undefined {
  const clauses: FilterClause[] = [];
  let rest = text;
  for (;;) {
    const parsed = parseClause(rest);
    if (!parsed) return undefined;
    clauses.push(parsed.clause);
    rest = rest.slice(parsed.length);
    if (rest === '') return clauses;
    const or = OR.exec(rest);
    if (!or) return undefined;
    rest = rest.slice(or[0].length);
  }
}

/** Graph compares strings case-insensitively in `eq` and `startswith`, except object ids. */
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
    if (typeof actual !== 'string') return false;
    const [have, wanted] = [actual.toLowerCase(), clause.value.toLowerCase()];
    return clause.operator === 'startswith' ? have.startsWith(wanted) : have === wanted;
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
