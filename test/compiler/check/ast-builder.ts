// Tiny hand-written AST builder for checker tests that must not depend on the parser.
import type * as S from "../../../compiler/ast/syntax.js";
import type { Program, ProgramModule } from "../../../compiler/analyse/program.js";

let pos = 0;
const FILE = "main.mpl";
export function sp(): S.Span {
  pos += 1;
  return { file: FILE, start: pos, end: pos + 1 };
}

export const int = (value: number): S.Expr => ({ kind: "Int", span: sp(), value });
export const flt = (value: number): S.Expr => ({ kind: "Float", span: sp(), value });
export const str = (...parts: S.StringPart[]): S.Expr => ({ kind: "String", span: sp(), parts });
export const name = (n: string): S.Expr => ({ kind: "Name", span: sp(), name: n });
export const call = (callee: S.Expr | string, ...args: S.Expr[]): S.Expr => ({
  kind: "Call", span: sp(), callee: typeof callee === "string" ? name(callee) : callee, args, kwargs: [],
});
export const member = (target: S.Expr | string, n: string): S.Expr => ({
  kind: "Member", span: sp(), target: typeof target === "string" ? name(target) : target, name: n, nameSpan: sp(),
});
export const bin = (op: S.BinaryOp, left: S.Expr, right: S.Expr): S.Expr => ({ kind: "Binary", span: sp(), op, left, right, opSpan: sp() });
export const block = (...stmts: S.Stmt[]): S.Block => ({ kind: "Block", span: sp(), stmts });
export const letS = (n: string, value: S.Expr): S.LetStmt => ({ kind: "Let", span: sp(), pattern: { kind: "PVar", span: sp(), name: n }, type: null, value });
export const param = (n: string, type: S.TypeExpr | null = null): S.Param => ({ kind: "Param", span: sp(), pattern: { kind: "PVar", span: sp(), name: n }, type });
export const tname = (...path: string[]): S.TypeExpr => ({ kind: "TName", span: sp(), path, args: [] });
export const closure = (params: S.Param[], ...body: S.Stmt[]): S.Expr => ({
  kind: "Closure", span: sp(), clauses: [{ span: sp(), params, guard: null, body: block(...body) }],
});

export function fn(n: string, params: S.Param[], body: S.Stmt[], ret: S.TypeExpr | null = null): S.FnDef {
  return { kind: "FnDef", span: sp(), nameSpan: sp(), name: n, pub: false, generics: [], params, ret, where: [], guard: null, body: block(...body), doc: null };
}

export function program(items: S.Item[], modName = "Main"): Program {
  const ast: S.Module = { kind: "Module", file: FILE, name: modName, items, doc: null };
  const pm: ProgramModule = { name: modName, file: FILE, ast, imports: [] };
  return { modules: [pm], byName: new Map([[modName, pm]]), entry: "Main" };
}
