/**
 * Okta `search`/`filter` expressions. Values are quoted with `"` and `\` escaped: logins and
 * group names with quotes are normal input and must never change the expression's meaning.
 */
export function quoted(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

export function equals(attribute: string, value: string): string {
  return `${attribute} eq ${quoted(value)}`;
}

/** `a eq "x" or b eq "x" or …` for every attribute and value. */
export function equalsAny(attributes: readonly string[], values: readonly string[]): string {
  return values.flatMap((value) => attributes.map((attribute) => equals(attribute, value))).join(' or ');
}
