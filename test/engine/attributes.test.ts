import { describe, expect, it } from 'vitest';
import { attributeText } from '../../src/engine/attributes.js';
import type { AttributeValue } from '../../src/model/directory.js';

/** How mapping and scoping filters read a source attribute: what reaches the platform, or nothing. */
describe('a source attribute read as text', () => {
  const user: Record<string, AttributeValue> = {
    department: 'Sales',
    jobTitle: '',
    employeeId: 1001,
    accountEnabled: false,
  };

  it('sends a string as it is, and an empty one not at all', () => {
    expect(attributeText(user, 'department')).toBe('Sales');
    expect(attributeText(user, 'jobTitle')).toBeUndefined();
  });

  it('sends numbers and booleans as their text, never as another type', () => {
    expect(attributeText(user, 'employeeId')).toBe('1001');
    expect(attributeText(user, 'accountEnabled')).toBe('false');
  });

  it('finds nothing for an attribute the user lacks, even one named like an object built-in', () => {
    expect(attributeText(user, 'mobilePhone')).toBeUndefined();
    expect(attributeText(user, 'constructor')).toBeUndefined();
    expect(attributeText(user, 'toString')).toBeUndefined();
  });

  it('finds nothing for an attribute a connector set to undefined', () => {
    const partial = { department: undefined } as unknown as Record<string, AttributeValue>;
    expect(attributeText(partial, 'department')).toBeUndefined();
  });
});
