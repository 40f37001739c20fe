// Shared helpers for the syntax tests: parse with assertions, print compactly, list tokens,
// and check that an AST is well-formed (every node has a sane span, no undefined fields).
import { expect } from "vitest";
import { parseModule } from "../../../compiler/syntax/parse.js";
import { meshLexer } from "../../../compiler/syntax/tokens.js";
import { lex } from "../../../compiler/syntax/lex.js";
import type { Expr, FnDef, Item, Module } from "../../../compiler/ast/syntax.js";
import type { Diagnostic } from "../../../compiler/diag/diagnostic.js";
import { printExpr, printItem, printStmt } from "./ast-print.js";

export function parse(text: string, file = "test.mpl"): { module: Module; diagnostics: Diagnostic[] } {
  return parseModule(file, text, "Main");
}

export function parseOk(text: string): Module {
  const r = parse(text);
  expect(r.diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual([]);
  return r.module;
}

// Items of a module, printed.
export function items(text: string): string[] {
  return parseOk(text).items.map(printItem);
}

// Statements of `fn main() do <body> end`, printed.
export function stmts(body: string): string[] {
  const m = parseOk(`fn main() do\n${body}\nend\n`);
  return (m.items[0] as FnDef).body.stmts.map(printStmt);
}

// The single expression statement `src` inside a function body, as an AST node.
export function exprNode(src: string): Expr {
  const m = parseOk(`fn main() do\n${src}\nend\n`);
  const body = (m.items[0] as FnDef).body.stmts;
  expect(body.length).toBe(1);
  return body[0] as Expr;
}

export function expr(src: string): string {
  return printExpr(exprNode(src));
}

export function firstItem(text: string): Item {
  const m = parseOk(text);
  return m.items[0]!;
}

// Raw lexer output (before the newline filter) as `Type` or `Type(image)` strings.
export function rawTokens(src: string, withImages = true): string[] {
  const r = meshLexer.tokenize(src);
  expect(r.errors).toEqual([]);
  return r.tokens.map((t) => (withImages ? `${t.tokenType.name}(${t.image})` : t.tokenType.name));
}

// Token types after the newline filter.
export function filtered(src: string): string[] {
  return lex("t.mpl", src).tokens.map((t) => (t.tokenType.name === "Newline" ? "NL" : t.image));
}

export function messages(text: string): string[] {
  return parse(text).diagnostics.map((d) => `${d.code} ${d.message}`);
}

const KINDS = new Set([
  // types
  "TName", "TTuple", "TFun", "TSelf",
  // patterns
  "PWild", "PVar", "PLit", "PTuple", "PCtor", "PCons", "PEmptyList", "POr", "PAs",
  // expressions and statements
  "Int", "Float", "String", "Atom", "Bool", "Unit", "Name", "Member", "Call", "Index", "Try", "Unary", "Binary",
  "Pipe", "Tuple", "List", "MapLit", "StructLit", "StructUpdate", "If", "Case", "Closure", "For", "While", "Break",
  "Continue", "Return", "BlockExpr", "Ascribe", "Spawn", "Send", "Link", "SelfPid", "Receive", "Block", "Let", "Param",
  // items
  "FnDef", "StructDef", "SumTypeDef", "TypeAliasDef", "InterfaceDef", "ImplDef", "Import", "FromImport", "Const",
  "ActorDef", "ServiceDef", "SupervisorDef", "BadItem", "Module",
  // ServiceHandler.kind
  "call", "cast",
]);

// Throws (via expect) unless every node is well-formed: known kinds, spans inside the text with
// start <= end, the right file, and no undefined / NaN anywhere.
export function checkWellFormed(m: Module, file: string, textLength: number): void {
  const problems: string[] = [];
  const visit = (v: unknown, path: string): void => {
    if (v === undefined) {
      problems.push(`${path} is undefined`);
      return;
    }
    if (typeof v === "number" && (Number.isNaN(v) || (!Number.isFinite(v) && !path.endsWith(".value")))) problems.push(`${path} is ${v}`);
    if (v === null || typeof v !== "object") return;
    if (Array.isArray(v)) {
      v.forEach((x, i) => visit(x, `${path}[${i}]`));
      return;
    }
    const o = v as Record<string, unknown>;
    if ("kind" in o && typeof o.kind === "string" && !KINDS.has(o.kind)) problems.push(`${path}: unknown kind ${o.kind}`);
    if ("span" in o) {
      const s = o.span as { file: string; start: number; end: number };
      if (s.file !== file || !Number.isInteger(s.start) || !Number.isInteger(s.end) || s.start < 0 || s.end < s.start || s.end > textLength) {
        problems.push(`${path}: bad span ${JSON.stringify(s)}`);
      }
    }
    for (const [k, x] of Object.entries(o)) {
      if (k === "span" || k === "nameSpan" || k === "opSpan" || k === "pathSpan" || k === "ifaceSpan" || k === "keySpan") continue;
      if (k === "sugar" && x === undefined) continue;
      visit(x, `${path}.${k}`);
    }
  };
  visit(m, "module");
  expect(problems.slice(0, 5)).toEqual([]);
}
