import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Op } from '../../src/model/plan.js';
import { opId } from '../../src/runs/opIds.js';

/** The same object with its keys, at every depth, in reverse order. */
function reversedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reversedKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .reverse()
      .map(([key, item]) => [key, reversedKeys(item)]),
  );
}

const attributes = fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 3 }));

describe('op ids', () => {
  it("do not depend on the order of an op's keys: a parsed copy gets the id the op was enqueued under", () => {
    fc.assert(
      fc.property(attributes, (attributeValues) => {
        const op = { kind: 'createUser', externalId: 'u1', active: true, attributes: attributeValues } as Op;
        expect(opId(reversedKeys(op) as Op)).toBe(opId(op));
      }),
    );
  });

  it('differ when the desired state differs, and ignore keys left undefined', () => {
    fc.assert(
      fc.property(attributes, fc.string({ minLength: 1, maxLength: 12 }), (attributeValues, name) => {
        const op = { kind: 'createUser', externalId: 'u1', active: true, attributes: attributeValues } as Op;
        const renamed = { ...op, attributes: { ...attributeValues, displayName: `${name}!` } } as Op;
        fc.pre(attributeValues.displayName !== `${name}!`);
        expect(opId(renamed)).not.toBe(opId(op));
        expect(opId({ ...op, note: undefined } as unknown as Op)).toBe(opId(op));
      }),
    );
  });
});
