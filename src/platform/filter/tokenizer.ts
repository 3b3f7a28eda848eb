import type { FilterValue } from './ast.js';

export type Token =
  | { readonly kind: 'word'; readonly text: string; readonly at: number }
  | { readonly kind: 'literal'; readonly value: FilterValue; readonly at: number }
  | { readonly kind: '(' | ')' | '[' | ']' | 'end'; readonly at: number };

export class FilterSyntaxError extends Error {
  override readonly name = 'FilterSyntaxError';
}

const WORD_CHARACTER = /[A-Za-z0-9_$:.-]/;
const NUMBER = /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/;

/**
 * Splits a filter or path into words (attribute paths, operators, keywords), literals and
 * brackets. Words carry URNs whole (`urn:...:2.0:User:department`), so the parser splits them.
 */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let index = 0;
  while (index < text.length) {
    const character = text[index]!;
    if (character === ' ' || character === '\t' || character === '\n' || character === '\r') {
      index++;
    } else if (character === '(' || character === ')' || character === '[' || character === ']') {
      tokens.push({ kind: character, at: index });
      index++;
    } else if (character === '"') {
      const end = closingQuote(text, index);
      tokens.push({ kind: 'literal', value: parseJsonString(text.slice(index, end + 1), index), at: index });
      index = end + 1;
    } else if (WORD_CHARACTER.test(character)) {
      const start = index;
      while (index < text.length && WORD_CHARACTER.test(text[index]!)) index++;
      const word = text.slice(start, index);
      tokens.push(wordOrLiteral(word, start));
    } else {
      throw new FilterSyntaxError(`unexpected character ${JSON.stringify(character)} at ${index}`);
    }
  }
  tokens.push({ kind: 'end', at: text.length });
  return tokens;
}

function closingQuote(text: string, opening: number): number {
  for (let index = opening + 1; index < text.length; index++) {
    if (text[index] === '\\') index++;
    else if (text[index] === '"') return index;
  }
  throw new FilterSyntaxError(`unterminated string starting at ${opening}`);
}

/** Values are JSON strings (RFC 7644 §3.4.2.2), so JSON's escapes are the grammar. */
function parseJsonString(quoted: string, at: number): string {
  try {
    return JSON.parse(quoted) as string;
  } catch {
    throw new FilterSyntaxError(`invalid string escape in ${quoted} at ${at}`);
  }
}

function wordOrLiteral(word: string, at: number): Token {
  if (NUMBER.test(word)) return { kind: 'literal', value: Number(word), at };
  return { kind: 'word', text: word, at };
}
