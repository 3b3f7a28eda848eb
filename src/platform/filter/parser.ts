import { isCoreSchema } from '../scimSchemas.js';
import type { AttributePath, CompareOperator, Filter, FilterValue, PatchPath } from './ast.js';
import { FilterSyntaxError, type Token, tokenize } from './tokenizer.js';

const COMPARE_OPERATORS: ReadonlySet<string> = new Set([
  'eq',
  'ne',
  'co',
  'sw',
  'ew',
  'gt',
  'ge',
  'lt',
  'le',
]);
const KEYWORD_VALUES: Readonly<Record<string, FilterValue>> = { true: true, false: false, null: null };
const ATTRIBUTE_NAME = /^[A-Za-z$][A-Za-z0-9_$-]*$/;

/** Parses a `filter` query parameter, e.g. `userName eq "a" or emails[type eq "work" and value co "@x"]`. */
export function parseFilter(text: string): Filter {
  const reader = new TokenReader(tokenize(text));
  const filter = parseOr(reader);
  reader.expect('end');
  return filter;
}

/** Parses a PATCH `path`, e.g. `emails[type eq "work"].value` or `members[value eq "id"]`. */
export function parsePatchPath(text: string): PatchPath {
  const reader = new TokenReader(tokenize(text));
  const path = parseAttributePath(reader.word());
  if (!reader.accept('[')) {
    reader.expect('end');
    return path;
  }
  if (path.subAttr !== undefined) throw new FilterSyntaxError(`a value filter cannot follow ${text}`);
  const valueFilter = parseOr(reader);
  reader.expect(']');
  const next = reader.next();
  if (next.kind === 'end') return { ...path, valueFilter };
  if (next.kind !== 'word' || !next.text.startsWith('.'))
    throw new FilterSyntaxError(`unexpected input after ] at ${next.at}`);
  reader.expect('end');
  return { ...path, valueFilter, subAttr: attributeName(next.text.slice(1)) };
}

/** `urn:...:User:manager.value` → schema, name, subAttr. The schema is everything up to the last colon. */
export function parseAttributePath(text: string): AttributePath {
  let schema: string | undefined;
  let rest = text;
  if (text.toLowerCase().startsWith('urn:')) {
    const colon = text.lastIndexOf(':');
    schema = text.slice(0, colon);
    rest = text.slice(colon + 1);
  }
  const [name, subAttr, extra] = rest.split('.');
  if (extra !== undefined) throw new FilterSyntaxError(`too many sub-attributes in ${text}`);
  const path = {
    name: attributeName(name ?? ''),
    ...(subAttr !== undefined && { subAttr: attributeName(subAttr) }),
  };
  return schema === undefined || isCoreSchema(schema) ? path : { schema, ...path };
}

function attributeName(text: string): string {
  if (!ATTRIBUTE_NAME.test(text))
    throw new FilterSyntaxError(`invalid attribute name ${JSON.stringify(text)}`);
  return text;
}

function parseOr(reader: TokenReader): Filter {
  let left = parseAnd(reader);
  while (reader.acceptKeyword('or')) left = { kind: 'or', left, right: parseAnd(reader) };
  return left;
}

function parseAnd(reader: TokenReader): Filter {
  let left = parseUnary(reader);
  while (reader.acceptKeyword('and')) left = { kind: 'and', left, right: parseUnary(reader) };
  return left;
}

function parseUnary(reader: TokenReader): Filter {
  if (reader.accept('(')) {
    const inner = parseOr(reader);
    reader.expect(')');
    return inner;
  }
  if (reader.peekKeyword('not') && reader.peekAhead().kind === '(') {
    reader.next();
    reader.expect('(');
    const inner = parseOr(reader);
    reader.expect(')');
    return { kind: 'not', filter: inner };
  }
  const path = parseAttributePath(reader.word());
  if (reader.accept('[')) {
    const inner = parseOr(reader);
    reader.expect(']');
    return { kind: 'valuePath', path, filter: inner };
  }
  const operator = reader.word().toLowerCase();
  if (operator === 'pr') return { kind: 'present', path };
  if (!COMPARE_OPERATORS.has(operator)) throw new FilterSyntaxError(`unknown operator ${operator}`);
  return { kind: 'compare', path, operator: operator as CompareOperator, value: parseValue(reader) };
}

function parseValue(reader: TokenReader): FilterValue {
  const token = reader.next();
  if (token.kind === 'literal') return token.value;
  if (token.kind === 'word') {
    const keyword = token.text.toLowerCase();
    if (Object.hasOwn(KEYWORD_VALUES, keyword)) return KEYWORD_VALUES[keyword] ?? null;
  }
  throw new FilterSyntaxError(`expected a value at ${token.at}`);
}

class TokenReader {
  #position = 0;
  constructor(private readonly tokens: readonly Token[]) {}

  next(): Token {
    const token = this.peek();
    if (token.kind !== 'end') this.#position++;
    return token;
  }

  peek(): Token {
    return this.tokens[this.#position] ?? this.tokens[this.tokens.length - 1]!;
  }

  peekAhead(): Token {
    return this.tokens[this.#position + 1] ?? this.tokens[this.tokens.length - 1]!;
  }

  accept(kind: Token['kind']): boolean {
    if (this.peek().kind !== kind) return false;
    this.next();
    return true;
  }

  expect(kind: Token['kind']): void {
    const token = this.peek();
    if (token.kind !== kind) throw new FilterSyntaxError(`expected ${kind} at ${token.at}`);
    this.next();
  }

  peekKeyword(keyword: string): boolean {
    const token = this.peek();
    return token.kind === 'word' && token.text.toLowerCase() === keyword;
  }

  acceptKeyword(keyword: string): boolean {
    if (!this.peekKeyword(keyword)) return false;
    this.next();
    return true;
  }

  word(): string {
    const token = this.next();
    if (token.kind !== 'word') throw new FilterSyntaxError(`expected an attribute path at ${token.at}`);
    return token.text;
  }
}
