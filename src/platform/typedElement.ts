import type { ScimPath } from '../model/scim.js';
import type { PatchPath } from './filter/ast.js';
import { parsePatchPath } from './filter/parser.js';

/** A tenant maps a handful of paths, parsed once each rather than once per user sent. */
const PARSED_PATHS = new Map<ScimPath, PatchPath>();

export function parsedPath(path: ScimPath): PatchPath {
  let parsed = PARSED_PATHS.get(path);
  if (parsed === undefined) {
    parsed = parsePatchPath(path);
    PARSED_PATHS.set(path, parsed);
  }
  return parsed;
}

/**
 * A sub-attribute of one element of a multi-valued attribute, as a flat path names it:
 * `emails[type eq "work"].value` is `value` of the `emails` element whose `type` is `work`.
 */
export interface TypedElementPath {
  /** The multi-valued attribute as a PATCH path: `emails`, or `urn:…:User:emails` in an extension. */
  readonly attribute: string;
  readonly schema?: string;
  readonly name: string;
  readonly selectorName: string;
  readonly selectorValue: string;
  readonly subAttr: string;
  /** Equal for every path into the same element, however its text is spelled. */
  readonly elementKey: string;
}

/** The element a path points into, or undefined for a path that is not `X[sub eq "v"].sub`. */
export function typedElementOf(path: ScimPath): TypedElementPath | undefined {
  let parsed: PatchPath;
  try {
    parsed = parsedPath(path);
  } catch {
    return undefined;
  }
  const selector = parsed.valueFilter;
  if (
    parsed.subAttr === undefined ||
    selector === undefined ||
    selector.kind !== 'compare' ||
    selector.operator !== 'eq' ||
    typeof selector.value !== 'string' ||
    selector.path.subAttr !== undefined ||
    selector.path.schema !== undefined
  )
    return undefined;
  const attribute = parsed.schema === undefined ? parsed.name : `${parsed.schema}:${parsed.name}`;
  return {
    attribute,
    ...(parsed.schema !== undefined && { schema: parsed.schema }),
    name: parsed.name,
    selectorName: selector.path.name,
    selectorValue: selector.value,
    subAttr: parsed.subAttr,
    elementKey: [attribute, selector.path.name, selector.value].join('\u0000').toLowerCase(),
  };
}
