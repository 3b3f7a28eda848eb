/** A body as JSON when it is JSON, else as the text it is; an empty body is undefined. */
export function jsonOrText(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
