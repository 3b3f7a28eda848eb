/**
 * A filter comparison value as RFC 7644 §3.4.2.2 wants it: a JSON string, so `"` becomes `\"`
 * and `\` becomes `\\`. Building filters any other way lets a name like `a" or "1" eq "1` through.
 */
export function quoteFilterValue(value: string): string {
  return JSON.stringify(value);
}

/** `attribute eq "a" or attribute eq "b"`, every value escaped. */
export function anyEqualsFilter(attribute: string, values: readonly string[]): string {
  return values.map((value) => `${attribute} eq ${quoteFilterValue(value)}`).join(' or ');
}
