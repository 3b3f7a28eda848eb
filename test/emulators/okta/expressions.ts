/**
 * Okta's `filter` and `search` expressions (a SCIM-like grammar): `attr op "value"` joined by
 * `and` / `or`, with parentheses; `pr` takes no value. Strings compare case-insensitively,
 * dates as instants. Enough of the language to answer what a client sends, and to refuse the rest.
 */
export type Operator = 'eq' | 'sw' | 'co' | 'gt' | 'ge' | 'lt' | 'le' | 'pr';
export type Expression =
  | {
      readonly kind: 'compare';
      readonly attribute: string;
      readonly operator: Operator;
      readonly value?: Literal;
    }
  | { readonly kind: 'and' | 'or'; readonly left: Expression; readonly right: Expression };
type Literal = string | number | boolean | null;

export class ExpressionError extends Error {
  override readonly name = 'ExpressionError';
}

const OPERATORS = new Set<string>(['eq', 'sw', 'co', 'gt', 'ge', 'lt', 'le', 'pr']);

export function parseExpression(text: string): Expression {
  const tokens = tokenize(text);
  let position = 0;
  const peek = () => tokens[position];
  const take = () => {
    const token = tokens[position++];
    if (token === undefined) throw new ExpressionError('unexpected end of expression');
    return token;
  };

  function disjunction(): Expression {
    let left = conjunction();
    while (peek()?.word?.toLowerCase() === 'or') {
      take();
      left = { kind: 'or', left, right: conjunction() };
    }
    return left;
  }
  function conjunction(): Expression {
    let left = factor();
    while (peek()?.word?.toLowerCase() === 'and') {
      take();
      left = { kind: 'and', left, right: factor() };
    }
    return left;
  }
  function factor(): Expression {
    const token = take();
    if (token.word === '(') {
      const inner = disjunction();
      if (take().word !== ')') throw new ExpressionError('missing )');
      return inner;
    }
    if (token.word === undefined) throw new ExpressionError('expected an attribute');
    const operator = take().word?.toLowerCase() ?? '';
    if (!OPERATORS.has(operator)) throw new ExpressionError(`unknown operator "${operator}"`);
    if (operator === 'pr') return { kind: 'compare', attribute: token.word, operator: 'pr' };
    return { kind: 'compare', attribute: token.word, operator: operator as Operator, value: literal(take()) };
  }

  const expression = disjunction();
  if (position !== tokens.length) throw new ExpressionError('unexpected text after the expression');
  return expression;
}

/** Every attribute the expression names, with its operator (for `filter`, which allows only some). */
export function comparisons(expression: Expression): { attribute: string; operator: Operator }[] {
  if (expression.kind !== 'compare')
    return [...comparisons(expression.left), ...comparisons(expression.right)];
  return [{ attribute: expression.attribute, operator: expression.operator }];
}

export function matches(expression: Expression, resolve: (attribute: string) => unknown): boolean {
  if (expression.kind !== 'compare') {
    const left = matches(expression.left, resolve);
    return expression.kind === 'and'
      ? left && matches(expression.right, resolve)
      : left || matches(expression.right, resolve);
  }
  const actual = resolve(expression.attribute);
  if (expression.operator === 'pr') return actual !== undefined && actual !== null && actual !== '';
  if (actual === undefined || actual === null) return false;
  const order = compare(actual, expression.value ?? null);
  switch (expression.operator) {
    case 'eq':
      return order === 0;
    case 'sw':
      return String(actual).toLowerCase().startsWith(String(expression.value).toLowerCase());
    case 'co':
      return String(actual).toLowerCase().includes(String(expression.value).toLowerCase());
    case 'gt':
      return order > 0;
    case 'ge':
      return order >= 0;
    case 'lt':
      return order < 0;
    case 'le':
      return order <= 0;
  }
}

function compare(actual: unknown, expected: Literal): number {
  if (actual instanceof Date || typeof actual === 'number') {
    const left = actual instanceof Date ? actual.getTime() : actual;
    const right = typeof expected === 'string' ? Date.parse(expected) : Number(expected);
    return Number.isNaN(right) ? Number.NaN : Math.sign(left - right);
  }
  const left = String(actual).toLowerCase();
  const right = String(expected).toLowerCase();
  return left === right ? 0 : left < right ? -1 : 1;
}

interface Token {
  /** Attribute, operator, keyword or parenthesis; absent for a quoted string. */
  readonly word?: string;
  readonly text?: string;
}

function literal(token: Token): Literal {
  if (token.text !== undefined) return token.text;
  const word = token.word ?? '';
  if (word === 'true' || word === 'false') return word === 'true';
  if (word === 'null') return null;
  const number = Number(word);
  if (word !== '' && !Number.isNaN(number)) return number;
  throw new ExpressionError(`expected a value, found "${word}"`);
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let index = 0;
  while (index < text.length) {
    const char = text[index] ?? '';
    if (/\s/.test(char)) {
      index++;
    } else if (char === '(' || char === ')') {
      tokens.push({ word: char });
      index++;
    } else if (char === '"') {
      let value = '';
      index++;
      while (index < text.length && text[index] !== '"') {
        if (text[index] === '\\') index++;
        value += text[index] ?? '';
        index++;
      }
      if (index >= text.length) throw new ExpressionError('unterminated string');
      index++;
      tokens.push({ text: value });
    } else {
      const start = index;
      while (index < text.length && !/[\s()"]/.test(text[index] ?? '')) index++;
      tokens.push({ word: text.slice(start, index) });
    }
  }
  return tokens;
}
