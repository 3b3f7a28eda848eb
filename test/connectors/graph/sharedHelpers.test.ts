import { describe, expect, it } from 'vitest';
import { odataStringLiteral, parseOdataStringContent } from '../../../connectors/shared/odataLiteral.js';

describe('odataStringLiteral', () => {
  it('doubles quotes, and parsing undoes it', () => {
    expect(odataStringLiteral("O'Brien's")).toBe("'O''Brien''s'");
    expect(parseOdataStringContent("O''Brien''s")).toBe("O'Brien's");
  });
});
