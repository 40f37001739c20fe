// Unit tests of pattern lowering (compiler/codegen/gen-pattern.ts) on hand-built syntax trees:
// every pattern form of language.md §5 becomes JS tests plus bindings.
import { describe, expect, test } from "vitest";
import type * as S from "../../../compiler/ast/syntax.js";
import type { Program, ProgramModule } from "../../../compiler/analyse/program.js";
import { emptyAnnotations, type CheckResult } from "../../../compiler/check/annotations.js";
import { indexProgram } from "../../../compiler/codegen/context.js";
import { analyseSuspension } from "../../../compiler/codegen/suspension.js";
import { FnCtx, ModCtx, VarScope } from "../../../compiler/codegen/state.js";
import { bindPattern, compilePattern } from "../../../compiler/codegen/gen-pattern.js";
import { and, id } from "../../../compiler/codegen/js-ast.js";
import { printExpr, printStmts } from "../../../compiler/codegen/js-print.js";

const sp: S.Span = { file: "main.mpl", start: 0, end: 0 };
const pv = (name: string): S.Pattern => ({ kind: "PVar", span: sp, name });
const wild: S.Pattern = { kind: "PWild", span: sp };
const int = (value: number): S.Pattern => ({ kind: "PLit", span: sp, value: { type: "int", value } });
const strP = (value: string): S.Pattern => ({ kind: "PLit", span: sp, value: { type: "string", value } });
const tup = (...elems: S.Pattern[]): S.Pattern => ({ kind: "PTuple", span: sp, elems });
const ctor = (path: string[], args: S.Pattern[] | null): S.Pattern => ({ kind: "PCtor", span: sp, path, args });
const cons = (head: S.Pattern, tail: S.Pattern): S.Pattern => ({ kind: "PCons", span: sp, head, tail });

const shape: S.SumTypeDef = {
  kind: "SumTypeDef",
  span: sp,
  nameSpan: sp,
  name: "Shape",
  pub: false,
  generics: [],
  deriving: null,
  variants: [
    { name: "Circle", span: sp, fields: [{ name: null, type: { kind: "TName", span: sp, path: ["Float"], args: [] }, span: sp }] },
    { name: "Dot", span: sp, fields: [] },
  ],
};

function ctx(): FnCtx {
  const ast: S.Module = { kind: "Module", file: "main.mpl", name: "Main", items: [shape], doc: null };
  const pm: ProgramModule = { name: "Main", file: "main.mpl", ast, imports: [] };
  const program: Program = { modules: [pm], byName: new Map([["Main", pm]]), entry: "Main" };
  const check: CheckResult = { annotations: emptyAnnotations(), info: { types: new Map(), impls: [] }, diagnostics: [] };
  const px = indexProgram(program);
  const m = new ModCtx(px, px.mods.get("Main")!, check, analyseSuspension(program, check), undefined);
  return new FnCtx(m, false, m.alloc.child(), new VarScope(null), "f");
}

function lower(p: S.Pattern): { test: string; binds: string } {
  const c = ctx();
  const pc = compilePattern(c, p, id("v"));
  return { test: printExpr(and(pc.tests)), binds: printStmts(bindPattern(c, pc)).trim() };
}

describe("pattern lowering", () => {
  test("names and wildcards never test", () => {
    expect(lower(pv("x"))).toEqual({ test: "true", binds: "const x = v;" });
    expect(lower(wild)).toEqual({ test: "true", binds: "" });
  });

  test("literals compare with ===", () => {
    expect(lower(int(-1)).test).toBe("v === -1");
    expect(lower(strP("beta")).test).toBe('v === "beta"');
    expect(lower({ kind: "PLit", span: sp, value: { type: "unit" } }).test).toBe("true");
  });

  test("tuples index, constructors test the class or the singleton", () => {
    expect(lower(tup(int(0), pv("s")))).toEqual({ test: "v[0] === 0", binds: "const s = v[1];" });
    expect(lower(ctor(["Circle"], [pv("r")]))).toEqual({ test: "v instanceof Circle", binds: "const r = v._0;" });
    expect(lower(ctor(["Shape", "Dot"], null)).test).toBe("v === Dot");
    expect(lower(ctor(["Some"], [tup(int(0), wild)])).test).toBe("v instanceof $Some && v._0[0] === 0");
    expect(lower(ctor(["None"], null)).test).toBe("v === $None");
  });

  test("list patterns", () => {
    expect(lower({ kind: "PEmptyList", span: sp }).test).toBe("$isEmpty(v)");
    const second = lower(cons(wild, cons(pv("s"), wild)));
    expect(second.test).toBe("$isCons(v) && $isCons($tail(v))");
    expect(second.binds).toBe("const s = $head($tail(v));");
  });

  test("or-patterns assign shared variables inside the test", () => {
    const c = ctx();
    const p: S.Pattern = { kind: "POr", span: sp, alts: [tup(int(1), pv("s")), tup(int(2), pv("s"))] };
    const pc = compilePattern(c, p, id("v"));
    expect(pc.decls).toEqual(["s"]);
    expect(printExpr(and(pc.tests))).toBe("v[0] === 1 && (s = v[1], true) || v[0] === 2 && (s = v[1], true)");
    expect(printStmts(bindPattern(c, pc))).toBe("");
    expect(c.scope.lookup("s")?.js).toBe("s");
  });

  test("as-patterns bind the whole value too", () => {
    expect(lower({ kind: "PAs", span: sp, pattern: ctor(["Some"], [pv("x")]), name: "whole" })).toEqual({
      test: "v instanceof $Some",
      binds: "const x = v._0;\nconst whole = v;",
    });
  });

  test("shadowed names get fresh JS names", () => {
    const c = ctx();
    c.bind("x");
    const pc = compilePattern(c, pv("x"), id("v"));
    expect(printStmts(bindPattern(c, pc)).trim()).toBe("const x$1 = v;");
  });
});
