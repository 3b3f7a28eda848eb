import type { AttributeValue } from '../model/directory.js';

/**
 * The text of a source attribute as SCIM and scoping filters see it: numbers and booleans as
 * their text, empty as absent. Own properties only, so an attribute named `constructor` is safe.
 */
export function attributeText(
  attributes: Readonly<Record<string, AttributeValue>>,
  name: string,
): string | undefined {
  const value = attributes[name];
  // Read first, and strings first: a plain object's prototype holds no strings, so a string is an own
  // value without the slower own-property check, and most absent attributes are undefined.
  if (typeof value === 'string') return value === '' ? undefined : value;
  // A number or a boolean is never empty text; anything else found here came from the prototype.
  return value === undefined || !Object.hasOwn(attributes, name) ? undefined : String(value);
}
