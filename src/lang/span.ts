// Where a piece of source text sits. Offsets are 0-based; line and column
// are 1-based because that is what people read in a message.

export interface Span {
  start: number;
  end: number;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

interface TokenLike {
  startOffset: number;
  endOffset?: number;
  startLine?: number;
  startColumn?: number;
  endLine?: number;
  endColumn?: number;
  image: string;
}

export function spanOfToken(token: TokenLike): Span {
  const end = token.endOffset ?? token.startOffset + token.image.length - 1;
  return {
    start: token.startOffset,
    end: end + 1,
    line: token.startLine ?? 1,
    column: token.startColumn ?? 1,
    endLine: token.endLine ?? token.startLine ?? 1,
    endColumn: (token.endColumn ?? token.startColumn ?? 1) + 1,
  };
}

/** The smallest span that covers both. */
export function joinSpans(a: Span, b: Span): Span {
  const first = a.start <= b.start ? a : b;
  const last = a.end >= b.end ? a : b;
  return {
    start: first.start,
    end: last.end,
    line: first.line,
    column: first.column,
    endLine: last.endLine,
    endColumn: last.endColumn,
  };
}

export function spanOfTokens(first: TokenLike, last: TokenLike): Span {
  return joinSpans(spanOfToken(first), spanOfToken(last));
}
