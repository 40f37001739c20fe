// Lexing pass: runs the Chevrotain lexer (tokens.ts), turns lexical errors into diagnostics,
// validates literals the regular expressions accept too loosely (`0x`, integers above 2^53-1),
// detects unterminated strings and block comments, collects documentation comments, and hands
// the token stream to the newline filter (newlines.ts). Output goes to the parser.
import type { IToken } from "chevrotain";
import type { Span } from "../ast/syntax.js";
import { error, type Diagnostic } from "../diag/diagnostic.js";
import * as T from "./tokens.js";
import { filterNewlines } from "./newlines.js";
import { checkInt } from "./literals.js";

export interface LexOutput {
  readonly tokens: IToken[]; // after the newline filter
  readonly docs: IToken[]; // `##` comments, in source order
  readonly moduleDocs: IToken[]; // `##!` comments
  readonly comments: IToken[]; // every comment (line, block, doc), in source order, for the formatter
  readonly diagnostics: Diagnostic[];
  readonly unterminated: boolean; // an unterminated string or comment swallowed the rest of the file
}

const INT = T.IntLit.tokenTypeIdx!;
const STR_START = T.StringStart.tokenTypeIdx!, TSTR_START = T.TStringStart.tokenTypeIdx!;
const STR_END = T.StringEnd.tokenTypeIdx!, TSTR_END = T.TStringEnd.tokenTypeIdx!;
const INTERP_START = T.InterpStart.tokenTypeIdx!, INTERP_END = T.InterpEnd.tokenTypeIdx!;
const BRACE_IN = T.LBraceIn.tokenTypeIdx!, PBRACE_IN = T.PercentLBraceIn.tokenTypeIdx!, RBRACE_IN = T.RBraceIn.tokenTypeIdx!;

// `x`, or `` ` `` for text containing a backquote; control characters escaped.
function describeChars(s: string): string {
  const shown = JSON.stringify(s.length > 20 ? s.slice(0, 20) + "…" : s).slice(1, -1);
  return shown.includes("`") ? "`` " + shown + " ``" : "`" + shown + "`";
}

export function lex(file: string, text: string): LexOutput {
  const diagnostics: Diagnostic[] = [];
  const span = (start: number, end: number): Span => ({ file, start, end });
  const res = T.meshLexer.tokenize(text);

  for (const e of res.errors) {
    const bad = text.slice(e.offset, e.offset + e.length);
    const hint =
      bad[0] === "&" ? { hint: "use `&&` or `and`" } :
      bad[0] === "$" ? { hint: "`${` starts an interpolation only inside a string" } : {};
    const what = e.length === 1 ? "character" : "characters";
    diagnostics.push(error("P0001", `unexpected ${what} ${describeChars(bad)}`, span(e.offset, e.offset + e.length), hint));
  }

  // Re-trace the lexer's mode stack to find strings still open at the end of the input.
  const open: IToken[] = [];
  const tokens = res.tokens;
  for (let i = 0; i < tokens.length; i++) {
    const tok = tokens[i]!;
    const k = tok.tokenTypeIdx;
    if (k === INT) {
      const r = checkInt(tok.image);
      if (!r.ok) diagnostics.push(error(r.code, r.message, span(tok.startOffset, tok.startOffset + tok.image.length)));
    } else if (k === STR_START || k === TSTR_START || k === INTERP_START || k === BRACE_IN || k === PBRACE_IN) {
      open.push(tok);
    } else if (k === STR_END || k === TSTR_END || k === INTERP_END || k === RBRACE_IN) {
      open.pop();
    }
  }
  let unterminated = false;
  const firstString = open.find((t) => t.tokenTypeIdx === STR_START || t.tokenTypeIdx === TSTR_START);
  if (firstString !== undefined) {
    unterminated = true;
    const triple = firstString.tokenTypeIdx === TSTR_START;
    diagnostics.push(
      error("P0001", `unterminated string: no closing \`${triple ? '"""' : '"'}\` before the end of the file`, span(firstString.startOffset, firstString.startOffset + firstString.image.length), {
        label: "string starts here",
      }),
    );
  }

  const docs: IToken[] = [];
  const moduleDocs: IToken[] = [];
  const comments: IToken[] = [];
  for (const t of res.groups["trivia"] ?? []) {
    if (t.tokenType !== T.UnterminatedComment) comments.push(t);
    if (t.tokenType === T.DocComment) docs.push(t);
    else if (t.tokenType === T.ModuleDoc) moduleDocs.push(t);
    else if (t.tokenType === T.UnterminatedComment) {
      unterminated = true;
      diagnostics.push(
        error("P0001", "unterminated block comment: no closing `=#` before the end of the file", span(t.startOffset, t.startOffset + 2), {
          label: "comment starts here",
          hint: "block comments nest: every `#=` needs its own `=#`",
        }),
      );
    }
  }
  return { tokens: filterNewlines(tokens), docs, moduleDocs, comments, diagnostics, unterminated };
}
