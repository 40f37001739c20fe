// A tiny JavaScript syntax tree: the code generator lowers Mesh to these nodes and js-print.ts
// turns them into indented, readable text. Only the constructs the generator needs exist.

export type JsExpr =
  | { readonly k: "id"; readonly name: string }
  | { readonly k: "num"; readonly value: number; readonly float?: boolean } // float: print `2.0`, not `2`
  | { readonly k: "str"; readonly value: string }
  | { readonly k: "bool"; readonly value: boolean }
  | { readonly k: "undef" }
  | { readonly k: "null" }
  | { readonly k: "arr"; readonly elems: readonly JsExpr[] }
  | { readonly k: "obj"; readonly props: readonly (readonly [string, JsExpr])[] }
  | { readonly k: "call"; readonly callee: JsExpr; readonly args: readonly JsExpr[] }
  | { readonly k: "new"; readonly callee: JsExpr; readonly args: readonly JsExpr[] }
  | { readonly k: "mem"; readonly obj: JsExpr; readonly prop: string }
  | { readonly k: "idx"; readonly obj: JsExpr; readonly index: JsExpr }
  | { readonly k: "bin"; readonly op: string; readonly l: JsExpr; readonly r: JsExpr }
  | { readonly k: "un"; readonly op: string; readonly e: JsExpr }
  | { readonly k: "cond"; readonly c: JsExpr; readonly t: JsExpr; readonly f: JsExpr }
  | { readonly k: "assign"; readonly target: JsExpr; readonly value: JsExpr }
  | { readonly k: "seq"; readonly exprs: readonly JsExpr[] }
  | { readonly k: "fn"; readonly name: string | null; readonly params: readonly string[]; readonly body: readonly JsStmt[]; readonly gen: boolean; readonly arrow: boolean }
  | { readonly k: "yield"; readonly arg: JsExpr | null; readonly delegate: boolean };

export type JsStmt =
  | { readonly k: "expr"; readonly e: JsExpr; readonly line?: number }
  | { readonly k: "decl"; readonly kind: "const" | "let"; readonly name: string; readonly init: JsExpr | null; readonly exported?: boolean; readonly line?: number }
  | { readonly k: "return"; readonly e: JsExpr | null; readonly line?: number }
  | { readonly k: "if"; readonly c: JsExpr; readonly then: readonly JsStmt[]; readonly else: readonly JsStmt[] | null; readonly line?: number }
  | { readonly k: "while"; readonly c: JsExpr; readonly body: readonly JsStmt[]; readonly label?: string; readonly line?: number }
  | { readonly k: "for"; readonly init: JsStmt | null; readonly test: JsExpr | null; readonly update: JsExpr | null; readonly body: readonly JsStmt[]; readonly label?: string; readonly line?: number }
  | { readonly k: "forOf"; readonly name: string; readonly iter: JsExpr; readonly body: readonly JsStmt[]; readonly label?: string; readonly line?: number }
  | { readonly k: "break"; readonly label?: string }
  | { readonly k: "continue"; readonly label?: string }
  | { readonly k: "block"; readonly body: readonly JsStmt[]; readonly label?: string }
  | { readonly k: "fn"; readonly name: string; readonly params: readonly string[]; readonly body: readonly JsStmt[]; readonly gen: boolean; readonly exported?: boolean; readonly line?: number }
  // fields: [property, constructor parameter] pairs, in declaration order
  | { readonly k: "class"; readonly name: string; readonly fields: readonly (readonly [string, string])[]; readonly exported?: boolean }
  | { readonly k: "throw"; readonly e: JsExpr }
  | { readonly k: "comment"; readonly text: string }
  | { readonly k: "blank" }
  | { readonly k: "raw"; readonly code: string };

// ---- constructors (kept terse: the generator builds many nodes)
export const id = (name: string): JsExpr => ({ k: "id", name });
export const num = (value: number): JsExpr => ({ k: "num", value });
export const str = (value: string): JsExpr => ({ k: "str", value });
export const bool = (value: boolean): JsExpr => ({ k: "bool", value });
export const undef: JsExpr = { k: "undef" };
export const nul: JsExpr = { k: "null" };
export const arr = (elems: readonly JsExpr[]): JsExpr => ({ k: "arr", elems });
export const obj = (props: readonly (readonly [string, JsExpr])[]): JsExpr => ({ k: "obj", props });
export const call = (callee: JsExpr, args: readonly JsExpr[]): JsExpr => ({ k: "call", callee, args });
export const newE = (callee: JsExpr, args: readonly JsExpr[]): JsExpr => ({ k: "new", callee, args });
export const mem = (o: JsExpr, prop: string): JsExpr => ({ k: "mem", obj: o, prop });
export const idx = (o: JsExpr, index: JsExpr): JsExpr => ({ k: "idx", obj: o, index });
export const bin = (op: string, l: JsExpr, r: JsExpr): JsExpr => ({ k: "bin", op, l, r });
export const un = (op: string, e: JsExpr): JsExpr => ({ k: "un", op, e });
export const cond = (c: JsExpr, t: JsExpr, f: JsExpr): JsExpr => ({ k: "cond", c, t, f });
export const assign = (target: JsExpr, value: JsExpr): JsExpr => ({ k: "assign", target, value });
export const seq = (exprs: readonly JsExpr[]): JsExpr => (exprs.length === 1 ? exprs[0]! : { k: "seq", exprs });
export const yieldE = (arg: JsExpr | null, delegate: boolean): JsExpr => ({ k: "yield", arg, delegate });
export const fnE = (name: string | null, params: readonly string[], body: readonly JsStmt[], gen: boolean, arrow = false): JsExpr => ({ k: "fn", name, params, body, gen, arrow: arrow && !gen });

export const exprS = (e: JsExpr, line?: number): JsStmt => ({ k: "expr", e, line });
export const constS = (name: string, init: JsExpr, line?: number): JsStmt => ({ k: "decl", kind: "const", name, init, line });
export const letS = (name: string, init: JsExpr | null, line?: number): JsStmt => ({ k: "decl", kind: "let", name, init, line });
export const retS = (e: JsExpr | null, line?: number): JsStmt => ({ k: "return", e, line });
export const ifS = (c: JsExpr, then: readonly JsStmt[], els: readonly JsStmt[] | null = null, line?: number): JsStmt => ({ k: "if", c, then, else: els, line });
export const rawS = (code: string): JsStmt => ({ k: "raw", code });

// Logical negation, folding `!(a === b)` into `a !== b` (and `!!x`).
export function not(e: JsExpr): JsExpr {
  if (e.k === "bin" && (e.op === "===" || e.op === "!==")) return bin(e.op === "===" ? "!==" : "===", e.l, e.r);
  if (e.k === "un" && e.op === "!") return e.e;
  if (e.k === "bool") return bool(!e.value);
  return un("!", e);
}

// `a && b && c`, or `true` for no tests.
export function and(tests: readonly JsExpr[]): JsExpr {
  if (tests.length === 0) return bool(true);
  return tests.reduce((acc, t) => bin("&&", acc, t));
}

// Expressions that can be evaluated (and re-evaluated) in any order without observable effect.
export function isSimple(e: JsExpr): boolean {
  switch (e.k) {
    case "id":
    case "num":
    case "str":
    case "bool":
    case "undef":
    case "null":
      return true;
    case "mem":
      return isSimple(e.obj);
    case "fn":
      return true;
    default:
      return false;
  }
}
