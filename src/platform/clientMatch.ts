import { getAttribute, isJsonObject, type JsonObject } from './json.js';

/** Attributes RFC 7643 marks `caseExact: true` among those dirsync looks resources up by. */
const CASE_EXACT: ReadonlySet<string> = new Set(['id', 'externalid']);

export function isCaseExactAttribute(attribute: string): boolean {
  return CASE_EXACT.has(attribute.toLowerCase());
}

/**
 * The values a lookup asks the server for: each value, and for an attribute compared without
 * case its lower-case spelling too, so a server that wrongly compares case still finds the
 * object when the platform stored it as the source spells it or in lower case.
 */
export function filterValues(attribute: string, values: readonly string[]): string[] {
  if (isCaseExactAttribute(attribute)) return [...values];
  return [...new Set(values.flatMap((value) => [value, value.toLowerCase()]))];
}

/** Which of `values` the resource holds at `attribute` (`userName`, `emails.value`), compared as the RFC says. */
export function valuesMatched(
  resource: JsonObject,
  attribute: string,
  values: ReadonlySet<string>,
): string[] {
  const exact = isCaseExactAttribute(attribute.split('.')[0] ?? attribute);
  const byKey = new Map([...values].map((value) => [exact ? value : value.toLowerCase(), value]));
  return valuesAt(resource, attribute).flatMap((held) => {
    const value = byKey.get(exact ? held : held.toLowerCase());
    return value === undefined ? [] : [value];
  });
}

function valuesAt(resource: JsonObject, attribute: string): string[] {
  const [name, subAttr] = attribute.split('.') as [string, string | undefined];
  const top = getAttribute(resource, name);
  const items = Array.isArray(top) ? top : top === undefined ? [] : [top];
  const reached =
    subAttr === undefined
      ? items
      : items.map((item) => (isJsonObject(item) ? getAttribute(item, subAttr) : undefined));
  return reached.filter((value): value is string => typeof value === 'string');
}
