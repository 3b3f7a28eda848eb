import type { Filter } from '../../../src/platform/filter/ast.js';
import { parseAttributePath, parseFilter } from '../../../src/platform/filter/parser.js';
import { FilterSyntaxError } from '../../../src/platform/filter/tokenizer.js';
import type { JsonObject } from '../../../src/platform/json.js';
import type { ScimQuirks } from './quirks.js';
import { ScimError } from './scimError.js';

/** Returned whatever `attributes` says (RFC 7643 §7, `returned: always`). */
const ALWAYS_RETURNED: ReadonlySet<string> = new Set(['id', 'schemas', 'meta']);

export interface ListQuery {
  readonly filter?: Filter;
  /** 1-based. */
  readonly startIndex: number;
  readonly count: number;
  /** A server that does not decode filter escapes finds nothing for a value holding one. */
  readonly matchesNothing?: boolean;
}

/** The query parameters of a list (RFC 7644 §3.4.2), `count` capped at the server's page size. */
export function parseListQuery(
  parameters: URLSearchParams,
  pageCap: number,
  quirks: ScimQuirks = {},
): ListQuery {
  const text = parameters.get('filter');
  const escaped = text?.includes('\\') === true;
  if (text !== null && (quirks.refuseFilters === 'all' || (quirks.refuseFilters === 'escaped' && escaped)))
    throw new ScimError(400, 'invalidFilter', 'this filter is not supported');
  return {
    ...(text !== null && { filter: parsedFilter(text) }),
    ...(escaped && quirks.undecodedEscapes && { matchesNothing: true }),
    startIndex: Math.max(1, integerParameter(parameters, 'startIndex') ?? 1),
    count: Math.min(pageCap, Math.max(0, integerParameter(parameters, 'count') ?? pageCap)),
  };
}

/**
 * `attributes` / `excludedAttributes` as a function over resources. Names are top-level
 * attributes (a sub-attribute or URN-qualified name selects its whole top-level attribute).
 */
export function parseProjection(parameters: URLSearchParams): (resource: JsonObject) => JsonObject {
  const included = attributeNames(parameters.get('attributes'));
  const excluded = attributeNames(parameters.get('excludedAttributes'));
  if (included === undefined && excluded === undefined) return (resource) => resource;
  return (resource) =>
    Object.fromEntries(
      Object.entries(resource).filter(([key]) => {
        const lower = key.toLowerCase();
        if (ALWAYS_RETURNED.has(lower)) return true;
        if (included !== undefined) return included.has(lower);
        return !excluded?.has(lower);
      }),
    );
}

function attributeNames(text: string | null): Set<string> | undefined {
  if (text === null || text.trim() === '') return undefined;
  return new Set(
    text.split(',').flatMap((name) => {
      const path = parsedPath(name.trim());
      return [(path.schema ?? path.name).toLowerCase()];
    }),
  );
}

function parsedPath(text: string): { schema?: string; name: string } {
  try {
    return parseAttributePath(text);
  } catch (error) {
    if (error instanceof FilterSyntaxError) throw new ScimError(400, 'invalidValue', error.message);
    throw error;
  }
}

function parsedFilter(text: string): Filter {
  try {
    return parseFilter(text);
  } catch (error) {
    if (error instanceof FilterSyntaxError) throw new ScimError(400, 'invalidFilter', error.message);
    throw error;
  }
}

function integerParameter(parameters: URLSearchParams, name: string): number | undefined {
  const text = parameters.get(name);
  if (text === null) return undefined;
  if (!/^-?\d+$/.test(text.trim())) throw new ScimError(400, 'invalidValue', `${name} must be an integer`);
  return Number(text);
}
