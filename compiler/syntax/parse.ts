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
    // Defensive: a bug in the front end must not take the compiler down.
    const message = e instanceof Error ? e.message : String(e);
    return {
      module: { kind: "Module", file, name: moduleName, items: [], doc: null },
      diagnostics: [error("P0001", `internal error in the parser: ${message}`, { file, start: 0, end: 0 })],
    };
  }
}

// Parser errors become diagnostics. Errors at a position already reported (recovery can report
// the same token twice), on a line that already has a lexical error, or at the end of a file
// swallowed by an unterminated string/comment are consequences of an earlier error: dropped.
function addSyntaxErrors(
  file: string,
  text: string,
  errors: readonly IRecognitionException[],
  unterminated: boolean,
  out: Diagnostic[],
): void {
  const lexLines = new Set(out.map((d) => lineOf(text, d.span.start)));
  const seen = new Set<number>();
  for (const e of errors) {
    const t = e.token;
    const atEof = t === undefined || isNaN(t.startOffset) || t.tokenType?.name === "EOF";
    const span: Span = atEof ? { file, start: text.length, end: text.length } : { file, start: t.startOffset, end: t.endOffset! + 1 };
    if (atEof && unterminated) continue;
    if (seen.has(span.start)) continue;
    if (lexLines.size > 0 && lexLines.has(lineOf(text, span.start))) continue;
    seen.add(span.start);
    out.push(error("P0001", e.message, span));
  }
}

function lineOf(text: string, offset: number): number {
  let line = 0;
  for (let i = text.indexOf("\n"); i >= 0 && i < offset; i = text.indexOf("\n", i + 1)) line++;
  return line;
}
