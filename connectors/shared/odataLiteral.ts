/**
 * An OData string literal for `$filter`: quotes doubled (`O'Brien` → `'O''Brien'`). The caller still
 * URL-encodes the whole filter, since clients such as the Graph SDK put query values on the wire as given.
 */
export function odataStringLiteral(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** The inverse of `odataStringLiteral` for the text between the quotes. */
export function parseOdataStringContent(content: string): string {
  return content.replaceAll("''", "'");
}
