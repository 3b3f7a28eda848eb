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

/** `a sw "x" or b sw "x" or …`: a prefix search over each attribute, ignoring case. */
export function startsWithAny(attributes: readonly string[], prefix: string): string {
  return attributes.map((attribute) => `${attribute} sw ${quoted(prefix)}`).join(' or ');
}
