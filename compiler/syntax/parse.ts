// Entry point of the syntax pass: `.mpl` text -> AST (`ast/syntax.ts`) + diagnostics.
// Pipeline: lex.ts (Chevrotain lexer, literal checks, doc comments) -> newlines.ts (§1.11
// filter) -> parser.ts (CstParser with error recovery) -> to-ast.ts (CST -> AST visitor).
// Never throws: lexical and syntax errors become P0001 diagnostics (E0044 for huge integers).
import type { IRecognitionException } from "chevrotain";
import type { Module, Span } from "../ast/syntax.js";
import { error, sortDiagnostics, type Diagnostic } from "../diag/diagnostic.js";
import { lex } from "./lex.js";
import { meshParser } from "./parser.js";
import { ToAst } from "./to-ast.js";

export function parseModule(file: string, text: string, moduleName: string): { module: Module; diagnostics: Diagnostic[] } {
  try {
    const lexed = lex(file, text);
    const { cst, errors } = meshParser.parseTokens(text, lexed.tokens);
    const diagnostics = lexed.diagnostics;
    addSyntaxErrors(file, text, errors, lexed.unterminated, diagnostics);
    const module = new ToAst(file, text, diagnostics, lexed.docs).module(cst, moduleName, lexed.moduleDocs);
    return { module, diagnostics: sortDiagnostics(diagnostics) };
  } catch (e) {
    // Pathologically deep nesting exhausts the JavaScript stack (around a thousand levels of
    // brackets or blocks); anything else is a bug in the front end, which must not take the
    // compiler down either.
    const message =
      e instanceof RangeError
        ? "the program is nested too deeply to be parsed (hundreds of levels of brackets or blocks)"
        : `internal error in the parser: ${e instanceof Error ? e.message : String(e)}`;
    return {
      module: { kind: "Module", file, name: moduleName, items: [], doc: null },
      diagnostics: [error("P0001", message, { file, start: 0, end: 0 })],
    };
  }
}

// Parser errors become diagnostics. An error on a line that already has a syntax or lexical
// error, or at the end of a file swallowed by an unterminated string/comment, is almost always
// a consequence of the first one (recovery resynchronising), so it is dropped: one error per
// line, the first.
function addSyntaxErrors(
  file: string,
  text: string,
  errors: readonly IRecognitionException[],
  unterminated: boolean,
  out: Diagnostic[],
): void {
  if (errors.length === 0) return;
  const lineOf = lineIndex(text);
  const lines = new Set(out.map((d) => lineOf(d.span.start)));
  for (const e of errors) {
    const t = e.token;
    const atEof = t === undefined || isNaN(t.startOffset) || t.tokenType?.name === "EOF";
    if (atEof && unterminated) continue;
    const span: Span = atEof ? { file, start: text.length, end: text.length } : { file, start: t.startOffset, end: t.startOffset + t.image.length };
    const line = lineOf(span.start);
    if (lines.has(line)) continue;
    lines.add(line);
    out.push(error("P0001", e.message, span));
  }
}

function lineIndex(text: string): (offset: number) => number {
  const starts = [0];
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) starts.push(i + 1);
  return (offset) => {
    let lo = 0, hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
}
