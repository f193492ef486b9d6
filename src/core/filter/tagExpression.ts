/**
 * Boolean expressions over backend tags, in 1MCP's `--tag-filter` grammar:
 *
 *   or   := and (("or" | ",") and)*
 *   and  := not (("and" | "+") not)*
 *   not  := ("not" | "!" | "-") not | atom
 *   atom := tag | "(" or ")"
 *
 * Keywords are case-insensitive; tags are letters, digits, `_`, `.`, `:` and (not first) `-`.
 */
export type TagExpression =
  | { readonly op: 'tag'; readonly tag: string }
  | { readonly op: 'not'; readonly operand: TagExpression }
  | { readonly op: 'and' | 'or'; readonly operands: readonly TagExpression[] };

/** A malformed expression; `position` is the 0-based offset of the problem. */
export class TagExpressionError extends Error {
  constructor(readonly position: number, problem: string) {
    super(`${problem} at position ${position + 1}`);
    this.name = 'TagExpressionError';
  }
}

interface Token {
  readonly kind: 'tag' | 'and' | 'or' | 'not' | '(' | ')';
  readonly text: string;
  readonly at: number;
}

const KEYWORDS: Record<string, Token['kind']> = { and: 'and', or: 'or', not: 'not' };
const SYMBOLS: Record<string, Token['kind']> = { '+': 'and', ',': 'or', '!': 'not', '-': 'not', '(': '(', ')': ')' };
const TAG_CHAR = /[A-Za-z0-9_.:-]/;

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const ch = source.charAt(i);
    if (/\s/.test(ch)) {
      i++;
    } else if (TAG_CHAR.test(ch) && ch !== '-') {
      const start = i;
      while (i < source.length && TAG_CHAR.test(source.charAt(i))) i++;
      const text = source.slice(start, i);
      tokens.push({ kind: KEYWORDS[text.toLowerCase()] ?? 'tag', text, at: start });
    } else if (SYMBOLS[ch]) {
      tokens.push({ kind: SYMBOLS[ch], text: ch, at: i });
      i++;
    } else {
      throw new TagExpressionError(i, `unexpected character "${ch}"`);
    }
  }
  return tokens;
}

/** Parses a tag-filter expression; throws {@link TagExpressionError} pointing at the problem. */
export function parseTagExpression(source: string): TagExpression {
  const tokens = tokenize(source);
  let pos = 0;
  const peek = (): Token | undefined => tokens[pos];
  const where = (): number => peek()?.at ?? source.length;
  const describe = (token: Token | undefined): string => (token ? `"${token.text}"` : 'the end');

  const parseBinary = (op: 'and' | 'or', next: () => TagExpression): TagExpression => {
    const operands = [next()];
    while (peek()?.kind === op) {
      pos++;
      operands.push(next());
    }
    return operands.length === 1 ? (operands[0] as TagExpression) : { op, operands };
  };
  const parseOr = (): TagExpression => parseBinary('or', parseAnd);
  const parseAnd = (): TagExpression => parseBinary('and', parseNot);
  const parseNot = (): TagExpression => {
    if (peek()?.kind === 'not') {
      pos++;
      return { op: 'not', operand: parseNot() };
    }
    return parseAtom();
  };
  const parseAtom = (): TagExpression => {
    const token = peek();
    if (token?.kind === 'tag') {
      pos++;
      return { op: 'tag', tag: token.text };
    }
    if (token?.kind === '(') {
      pos++;
      const inner = parseOr();
      if (peek()?.kind !== ')') throw new TagExpressionError(where(), `expected ")" but found ${describe(peek())}`);
      pos++;
      return inner;
    }
    throw new TagExpressionError(where(), `expected a tag but found ${describe(token)}`);
  };

  if (tokens.length === 0) throw new TagExpressionError(0, 'the expression is empty');
  const expression = parseOr();
  if (pos < tokens.length) throw new TagExpressionError(where(), `unexpected ${describe(peek())}`);
  return expression;
}

/** Whether a backend with `tags` satisfies the expression. */
export function evaluateTagExpression(expression: TagExpression, tags: ReadonlySet<string>): boolean {
  switch (expression.op) {
    case 'tag':
      return tags.has(expression.tag);
    case 'not':
      return !evaluateTagExpression(expression.operand, tags);
    case 'and':
      return expression.operands.every((e) => evaluateTagExpression(e, tags));
    case 'or':
      return expression.operands.some((e) => evaluateTagExpression(e, tags));
  }
}

/** A canonical, fully parenthesised rendering: equal expressions print equally. */
export function printTagExpression(expression: TagExpression): string {
  switch (expression.op) {
    case 'tag':
      return expression.tag;
    case 'not':
      return `!${printTagExpression(expression.operand)}`;
    case 'and':
    case 'or':
      return `(${expression.operands.map(printTagExpression).join(expression.op === 'and' ? '+' : ',')})`;
  }
}

/** Every tag the expression names. */
export function tagsOf(expression: TagExpression): string[] {
  switch (expression.op) {
    case 'tag':
      return [expression.tag];
    case 'not':
      return tagsOf(expression.operand);
    case 'and':
    case 'or':
      return [...new Set(expression.operands.flatMap(tagsOf))];
  }
}
