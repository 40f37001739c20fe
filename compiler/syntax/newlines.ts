// Newline filter (language.md §1.11), run between the lexer and the parser. It deletes the
// NEWLINE tokens that do not end a statement:
//   N1 every NEWLINE while a `(`, `[`, `{`, `%{` or `${` is open;
//   N2 a run of NEWLINEs followed by a leading operator (`|>`, `.`, `?`, `+`, `and`, ...);
//   N3 a NEWLINE after a binary operator, prefix `not`/`!`, `=`, `->`, `=>` or `::`;
// and collapses the remaining runs to one NEWLINE. Block comments never produce NEWLINEs.
import type { IToken, TokenType } from "chevrotain";
import * as T from "./tokens.js";

const NEWLINE = 1, OPEN = 2, CLOSE = 4, LEADING = 8, TRAILING = 16;

const flags = new Uint8Array(1 + Math.max(...T.allTokens.map((t) => t.tokenTypeIdx ?? 0)));
function mark(types: TokenType[], flag: number): void {
  for (const t of types) flags[t.tokenTypeIdx!]! |= flag;
}
mark([T.Newline], NEWLINE);
mark([T.LParen, T.LBracket, T.LBrace, T.LBraceIn, T.PercentLBrace, T.PercentLBraceIn, T.InterpStart], OPEN);
mark([T.RParen, T.RBracket, T.RBrace, T.RBraceIn, T.InterpEnd], CLOSE);
mark(
  [T.PipeOp, T.Dot, T.Question, T.Plus, T.Star, T.Slash, T.Percent, T.EqEq, T.BangEq, T.Lt, T.Gt, T.LtEq,
    T.GtEq, T.LtGt, T.PlusPlus, T.DotDot, T.FatArrow, T.And, T.Or, T.AndAnd, T.OrOr],
  LEADING,
);
mark(
  [T.Plus, T.Minus, T.Star, T.Slash, T.Percent, T.EqEq, T.BangEq, T.Lt, T.Gt, T.LtEq, T.GtEq, T.LtGt,
    T.PlusPlus, T.DotDot, T.And, T.Or, T.AndAnd, T.OrOr, T.PipeOp, T.Not, T.Bang, T.Eq, T.Arrow,
    T.FatArrow, T.ColonColon],
  TRAILING,
);

// Filters `tokens` in place (the lexer's fresh array; no second array for a large file) and
// returns it.
export function filterNewlines(tokens: IToken[]): IToken[] {
  let n = 0; // length of the filtered prefix
  let depth = 0;
  let pending: IToken | null = null; // first NEWLINE of the current run, not yet emitted
  for (let i = 0; i < tokens.length; i++) {
    const tok = tokens[i]!;
    const f = flags[tok.tokenTypeIdx]!;
    if (f & NEWLINE) {
      if (depth > 0 || pending !== null || n === 0) continue; // N1, runs, leading
      if (flags[tokens[n - 1]!.tokenTypeIdx]! & TRAILING) continue; // N3
      pending = tok;
      continue;
    }
    if (pending !== null) {
      if (!(f & LEADING)) tokens[n++] = pending; // N2 drops the run
      pending = null;
    }
    tokens[n++] = tok;
    if (f & OPEN) depth++;
    else if (f & CLOSE && depth > 0) depth--;
  }
  tokens.length = n;
  return tokens;
}
