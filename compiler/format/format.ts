// Entry of the formatter (tooling.md §1): `formatSource(text, options)` parses with the compiler's
// front end, lays the concrete syntax tree out (format-items.ts, format-expr.ts, printer.ts) and
// runs the safety check (safety.ts). Pure and I/O-free: shared by `meshc fmt` and the language server.
import type { CstNode, IToken } from "chevrotain";
import type { Diagnostic } from "../diag/diagnostic.js";
import { lex } from "../syntax/lex.js";
import { meshParser } from "../syntax/parser.js";
import { ToAst } from "../syntax/to-ast.js";
import { parseModule } from "../syntax/parse.js";
import { printDoc } from "./printer.js";
import { ItemFormatter } from "./format-items.js";
import { firstDifference, type Parsed } from "./safety.js";

export interface FormatOptions {
  readonly lineWidth: number;
  readonly indentSize: number;
}

export const defaultFormatOptions: FormatOptions = { lineWidth: 100, indentSize: 2 };

export type FormatResult =
  | { readonly kind: "ok"; readonly output: string }
  | { readonly kind: "syntax"; readonly diagnostics: Diagnostic[] } // P0001: the file is left alone
  | { readonly kind: "internal"; readonly offset: number; readonly message: string }; // safety check failed

interface FullParse extends Parsed {
  readonly cst: CstNode;
}

// The front end without type checking; null when there is a syntax error (P0001).
function parseFull(file: string, text: string): FullParse | null {
  try {
    const lexed = lex(file, text);
    if (lexed.diagnostics.some((d) => d.code === "P0001")) return null;
    const tokens: IToken[] = [...lexed.tokens];
    const { cst, errors } = meshParser.parseTokens(text, lexed.tokens);
    if (errors.length > 0) return null;
    const diags: Diagnostic[] = [];
    const module = new ToAst(file, text, diags, lexed.docs).module(cst, "Main", lexed.moduleDocs);
    if (diags.some((d) => d.code === "P0001")) return null;
    return { cst, module, tokens, comments: lexed.comments };
  } catch {
    return null;
  }
}

export function formatSource(input: string, options: FormatOptions = defaultFormatOptions, file = "<input>"): FormatResult {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const parsed = parseFull(file, text);
  if (parsed === null) {
    const diagnostics = parseModule(file, text, "Main").diagnostics.filter((d) => d.code === "P0001");
    return { kind: "syntax", diagnostics };
  }
  let output: string;
  try {
    const f = new ItemFormatter(text, parsed.comments, parsed.tokens);
    const doc = f.module(parsed.cst);
    output = printDoc(doc, options);
  } catch (e) {
    return { kind: "internal", offset: 0, message: e instanceof Error ? e.message : String(e) };
  }
  output = output.replace(/^\n+/, "");
  output = output.trim().length === 0 ? "" : output.replace(/\n*$/, "\n");
  const again = parseFull(file, output);
  if (again === null) return { kind: "internal", offset: 0, message: "the output does not parse" };
  const diff = firstDifference(parsed, again);
  if (diff >= 0) return { kind: "internal", offset: diff, message: "the output differs from the input" };
  return { kind: "ok", output };
}

// 1-based line and column (in code points) of an offset.
export function lineCol(text: string, offset: number): { line: number; col: number } {
  let line = 1, start = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      start = i + 1;
    }
  }
  return { line, col: [...text.slice(start, offset)].length + 1 };
}
