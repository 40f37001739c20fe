import { describe, expect, it } from "vitest";
import fc from "fast-check";
import type { Pattern, Span } from "../../../compiler/ast/syntax.js";
import type { RType } from "../../../compiler/check/annotations.js";
import {
  checkClauses,
  checkMatch,
  MAX_MISSING,
  type CtorSig,
  type MatchArm,
  type MatchOracle,
  type PCtor,
} from "../../../compiler/check/exhaustive.js";

// ---------------------------------------------------------------- builders

const sp: Span = { file: "test.mpl", start: 0, end: 0 };

const W: Pattern = { kind: "PWild", span: sp };
const v = (name: string): Pattern => ({ kind: "PVar", span: sp, name });
const int = (value: number): Pattern => ({ kind: "PLit", span: sp, value: { type: "int", value } });
const flt = (value: number): Pattern => ({ kind: "PLit", span: sp, value: { type: "float", value } });
const str = (value: string): Pattern => ({ kind: "PLit", span: sp, value: { type: "string", value } });
const bool = (value: boolean): Pattern => ({ kind: "PLit", span: sp, value: { type: "bool", value } });
const unitP: Pattern = { kind: "PLit", span: sp, value: { type: "unit" } };
const tup = (...elems: Pattern[]): Pattern => ({ kind: "PTuple", span: sp, elems });
const C = (name: string, ...args: Pattern[]): Pattern => ({ kind: "PCtor", span: sp, path: name.split("."), args: args.length ? args : null });
const C0 = (name: string): Pattern => ({ kind: "PCtor", span: sp, path: name.split("."), args: [] }); // `None()`
const cons = (head: Pattern, tail: Pattern): Pattern => ({ kind: "PCons", span: sp, head, tail });
const nil: Pattern = { kind: "PEmptyList", span: sp };
const or = (...alts: Pattern[]): Pattern => ({ kind: "POr", span: sp, alts });
const as = (pattern: Pattern, name: string): Pattern => ({ kind: "PAs", span: sp, pattern, name });

const con = (name: string, ...args: RType[]): RType => ({ kind: "con", name, args });
const Int = con("Int");
const Float = con("Float");
const Str = con("String");
const Bool = con("Bool");
const Atom = con("Atom");
const Unit: RType = { kind: "tuple", elems: [] };
const tupT = (...elems: RType[]): RType => ({ kind: "tuple", elems });
const List = (t: RType): RType => con("List", t);
const Opt = (t: RType): RType => con("Option", t);
const Res = (t: RType, e: RType): RType => con("Result", t, e);
const Color = con("Main.Color");
const Tree = (t: RType): RType => con("Main.Tree", t);
const Shape = con("Main.Shape");
const Empty = con("Main.Empty");
const tvar: RType = { kind: "var", id: 7 };
const never: RType = { kind: "never" };

const oracleCalls: RType[] = [];
const oracle: MatchOracle = {
  ctorsOf(t: RType): readonly CtorSig[] | null {
    oracleCalls.push(t);
    if (t.kind !== "con") return null;
    const a = (i: number): RType => t.args[i]!;
    switch (t.name) {
      case "Option":
        return [{ name: "Some", args: [a(0)] }, { name: "None", args: [] }];
      case "Result":
        return [{ name: "Ok", args: [a(0)] }, { name: "Err", args: [a(1)] }];
      case "Ordering":
        return [{ name: "Less", args: [] }, { name: "Equal", args: [] }, { name: "Greater", args: [] }];
      case "Main.Color":
        return [{ name: "Red", args: [] }, { name: "Green", args: [] }, { name: "Blue", args: [] }];
      case "Main.Tree":
        return [{ name: "Leaf", args: [] }, { name: "Node", args: [t, a(0), t] }];
      case "Main.Shape":
        return [{ name: "Circle", args: [Float] }, { name: "Rect", args: [Float, Float] }, { name: "Dot", args: [] }];
      case "Main.Empty":
        return [];
      default:
        return null;
    }
  },
};

const KNOWN = new Set(["Some", "None", "Ok", "Err", "Less", "Equal", "Greater", "Red", "Green", "Blue", "Leaf", "Node", "Circle", "Rect", "Dot"]);
const ctorName = (p: PCtor): string | null => {
  const n = p.path[p.path.length - 1]!;
  return KNOWN.has(n) ? n : null;
};

const arm = (pattern: Pattern, guarded = false): MatchArm => ({ pattern, guarded });
const G = (pattern: Pattern): MatchArm => arm(pattern, true);
const match = (t: RType, ...arms: (Pattern | MatchArm)[]) =>
  checkMatch(
    arms.map((a) => ("kind" in a ? arm(a) : a)),
    t,
    oracle,
    ctorName,
  );

// ---------------------------------------------------------------- sum types

describe("Option / Result / user enums", () => {
  it("Some + None is exhaustive", () => {
    expect(match(Opt(Int), C("Some", v("x")), C("None"))).toEqual({ missing: [], unreachable: [] });
  });
  it("reports None / Some(_)", () => {
    expect(match(Opt(Int), C("Some", v("x"))).missing).toEqual(["None"]);
    expect(match(Opt(Int), C("None")).missing).toEqual(["Some(_)"]);
  });
  it("reports Err(_) / Ok(_)", () => {
    expect(match(Res(Int, Str), C("Ok", v("x"))).missing).toEqual(["Err(_)"]);
    expect(match(Res(Int, Str), C("Err", W)).missing).toEqual(["Ok(_)"]);
  });
  it("lists several missing variants in declaration order", () => {
    expect(match(Color, C("Green")).missing).toEqual(["Red", "Blue"]);
    expect(match(Color, C("Red"), C("Green")).missing).toEqual(["Blue"]);
    expect(match(Color, C("Red"), C("Green"), C("Blue")).missing).toEqual([]);
    expect(match(con("Ordering"), C("Less")).missing).toEqual(["Equal", "Greater"]);
  });
  it("renders payload-carrying variants with wildcards", () => {
    expect(match(Shape, C("Dot")).missing).toEqual(["Circle(_)", "Rect(_, _)"]);
    expect(match(Shape, C("Circle", v("r")), C("Dot")).missing).toEqual(["Rect(_, _)"]);
  });
  it("qualified constructor patterns and `None()`", () => {
    expect(match(Color, C("Color.Red"), C("Color.Green"), C("Color.Blue"))).toEqual({ missing: [], unreachable: [] });
    expect(match(Opt(Int), C0("None"), C("Some", W))).toEqual({ missing: [], unreachable: [] });
  });
  it("zero arms need a catch-all", () => {
    expect(match(Color).missing).toEqual(["_"]);
    expect(match(Int).missing).toEqual(["_"]);
  });
  it("a sum type without variants needs no arms", () => {
    expect(match(Empty)).toEqual({ missing: [], unreachable: [] });
  });
  it("redundant variant arms", () => {
    expect(match(Opt(Int), C("Some", v("x")), C("None"), W).unreachable).toEqual([2]);
    expect(match(Opt(Int), C("None"), C("Some", W), C("None")).unreachable).toEqual([2]);
    expect(match(Color, W, C("Red")).unreachable).toEqual([1]);
    expect(match(Color, C("Red"), C("Red"), C("Green"), C("Blue"), v("c"))).toEqual({ missing: [], unreachable: [1, 4] });
  });
  it("Ok(x), Err(e) then another Ok is unreachable", () => {
    expect(match(Res(Int, Str), C("Ok", v("x")), C("Err", v("e")), C("Ok", int(1))).unreachable).toEqual([2]);
  });
});

describe("nested payloads", () => {
  const OT = Opt(tupT(Int, Tree(Int)));
  it("Some((0, Leaf))", () => {
    expect(match(OT, C("Some", tup(int(0), C("Leaf"))), C("None")).missing).toEqual(["Some((_, _))"]);
    expect(match(OT, C("Some", tup(int(0), C("Leaf"))), C("Some", tup(v("n"), C("Node", W, W, W))), C("None")).missing).toEqual([
      "Some((_, Leaf))",
    ]);
    expect(match(OT, C("Some", tup(int(0), C("Leaf"))), C("Some", tup(W, C("Node", W, W, W))), C("Some", tup(W, C("Leaf"))), C("None"))).toEqual({
      missing: [],
      unreachable: [],
    });
  });
  it("Some(Leaf)", () => {
    expect(match(Opt(Tree(Int)), C("Some", C("Node", W, W, W)), C("None")).missing).toEqual(["Some(Leaf)"]);
  });
  it("deeper nesting", () => {
    expect(match(Opt(Opt(Bool)), C("Some", C("Some", bool(true))), C("None")).missing).toEqual(["Some(Some(false))", "Some(None)"]);
    expect(match(Res(Opt(Color), Str), C("Ok", C("Some", C("Red"))), C("Ok", C("None")), C("Err", W)).missing).toEqual([
      "Ok(Some(Green))",
      "Ok(Some(Blue))",
    ]);
  });
  it("nested redundancy", () => {
    expect(match(Opt(Bool), C("Some", bool(true)), C("Some", bool(false)), C("Some", W), C("None")).unreachable).toEqual([2]);
  });
});

describe("Bool, tuples, unit", () => {
  it("Bool", () => {
    expect(match(Bool, bool(true)).missing).toEqual(["false"]);
    expect(match(Bool, bool(false)).missing).toEqual(["true"]);
    expect(match(Bool, bool(true), bool(false))).toEqual({ missing: [], unreachable: [] });
    expect(match(Bool, bool(true), bool(false), W).unreachable).toEqual([2]);
    expect(match(Bool, bool(true), bool(true), v("b")).unreachable).toEqual([1]);
  });
  it("tuples of Bools", () => {
    const T = tupT(Bool, Bool);
    expect(match(T, tup(bool(true), bool(true)), tup(bool(false), bool(false))).missing).toEqual(["(true, false)", "(false, true)"]);
    expect(match(T, tup(bool(true), W), tup(bool(false), bool(true))).missing).toEqual(["(false, false)"]);
    expect(match(T, tup(bool(true), W), tup(W, bool(true)), tup(bool(false), bool(false)))).toEqual({ missing: [], unreachable: [] });
    expect(match(T, tup(W, bool(true)), tup(W, bool(false)), tup(bool(true), bool(true))).unreachable).toEqual([2]);
  });
  it("three Bools: one example per uncovered region", () => {
    const T = tupT(Bool, Bool, Bool);
    expect(match(T, tup(bool(true), bool(true), bool(true))).missing).toEqual(["(true, true, false)", "(true, false, _)", "(false, _, _)"]);
  });
  it("the missing list is capped", () => {
    const T = tupT(Color, Color, Color, Color);
    const r = match(T, tup(C("Red"), C("Red"), C("Red"), C("Red")), tup(C("Green"), C("Green"), C("Green"), C("Green")), tup(C("Blue"), C("Blue"), C("Blue"), C("Blue")));
    expect(r.missing.length).toBe(MAX_MISSING);
    expect(r.missing.slice(0, 3)).toEqual(["(Red, Red, Red, Green)", "(Red, Red, Red, Blue)", "(Red, Red, Green, _)"]);
  });
  it("a tuple pattern of all catch-alls is exhaustive", () => {
    expect(match(tupT(Int, Str), tup(v("a"), W))).toEqual({ missing: [], unreachable: [] });
    expect(match(tupT(Int, Str), tup(v("a"), W), W).unreachable).toEqual([1]);
  });
  it("unit", () => {
    expect(match(Unit, unitP)).toEqual({ missing: [], unreachable: [] });
    expect(match(Unit, tup())).toEqual({ missing: [], unreachable: [] });
    expect(match(Unit, unitP, W).unreachable).toEqual([1]);
    expect(match(Unit, G(unitP)).missing).toEqual(["_"]);
    expect(match(tupT(Unit, Bool), tup(unitP, bool(true)), tup(W, bool(false)))).toEqual({ missing: [], unreachable: [] });
  });
});

describe("or-patterns and as-patterns", () => {
  it("or covers the union of alternatives", () => {
    expect(match(Color, or(C("Red"), C("Green")), C("Blue"))).toEqual({ missing: [], unreachable: [] });
    expect(match(Color, or(C("Red"), C("Green"))).missing).toEqual(["Blue"]);
    expect(match(Opt(Bool), C("Some", or(bool(true), bool(false))), C("None"))).toEqual({ missing: [], unreachable: [] });
    expect(match(Int, or(int(1), int(2), v("n")))).toEqual({ missing: [], unreachable: [] });
  });
  it("an or arm is unreachable only when every alternative is", () => {
    expect(match(Color, or(C("Red"), C("Green")), C("Green")).unreachable).toEqual([1]);
    expect(match(Color, C("Red"), or(C("Red"), C("Blue"))).unreachable).toEqual([]);
    expect(match(Color, C("Red"), C("Blue"), or(C("Red"), C("Blue"))).unreachable).toEqual([2]);
  });
  it("nested or inside tuples", () => {
    const T = tupT(Bool, Color);
    expect(match(T, tup(bool(true), or(C("Red"), C("Green"))), tup(bool(false), W)).missing).toEqual(["(true, Blue)"]);
  });
  it("as-patterns are their inner pattern", () => {
    expect(match(Opt(Int), as(C("Some", W), "s"), C("None"))).toEqual({ missing: [], unreachable: [] });
    expect(match(Opt(Int), as(C("None"), "n")).missing).toEqual(["Some(_)"]);
    expect(match(Opt(Int), as(W, "all"), as(C("None"), "n")).unreachable).toEqual([1]);
    expect(match(Color, as(or(C("Red"), C("Green"), C("Blue")), "c"))).toEqual({ missing: [], unreachable: [] });
  });
});

describe("guards", () => {
  it("guarded arms cover nothing", () => {
    expect(match(Opt(Int), G(C("Some", v("x"))), C("None")).missing).toEqual(["Some(_)"]);
    expect(match(Int, G(v("n"))).missing).toEqual(["_"]);
    expect(match(Bool, G(bool(true)), bool(false)).missing).toEqual(["true"]);
  });
  it("a guarded catch-all followed by a catch-all is fine", () => {
    expect(match(Int, G(v("n")), W)).toEqual({ missing: [], unreachable: [] });
  });
  it("a guarded arm after a catch-all is unreachable", () => {
    expect(match(Int, W, G(v("n"))).unreachable).toEqual([1]);
  });
  it("guarded arms do not make later arms unreachable", () => {
    expect(match(Opt(Int), G(C("Some", v("x"))), C("Some", v("y")), C("None")).unreachable).toEqual([]);
    expect(match(Int, G(int(1)), int(1), W).unreachable).toEqual([]);
  });
});

describe("lists", () => {
  const L = List(Int);
  it("exhaustiveness: a cons pattern is a catch-all", () => {
    expect(match(L, cons(v("h"), v("t"))).missing).toEqual([]);
    expect(match(L, cons(int(1), nil)).missing).toEqual([]);
    expect(match(L, nil, cons(int(1), v("t")))).toEqual({ missing: [], unreachable: [] });
  });
  it("exhaustiveness: [] alone misses non-empty lists", () => {
    expect(match(L, nil).missing).toEqual(["_ :: _"]);
    expect(match(L, G(cons(v("h"), v("t"))), nil).missing).toEqual(["_ :: _"]);
  });
  it("exhaustiveness: [] is reported in nested positions", () => {
    expect(match(tupT(L, Bool), tup(nil, bool(true))).missing).toEqual(["([], false)", "(_ :: _, _)"]);
    expect(match(tupT(L, Bool), tup(nil, bool(true)), tup(cons(W, W), W)).missing).toEqual([]); // cons is a catch-all here
    expect(match(tupT(L, Bool), tup(nil, bool(true)), tup(cons(W, W), bool(false))).missing).toEqual(["(_ :: _, true)"]);
    expect(match(Opt(L), C("Some", cons(v("h"), W)), C("None")).missing).toEqual([]);
    expect(match(Opt(L), C("Some", nil)).missing).toEqual(["Some(_ :: _)", "None"]);
  });
  it("redundancy: `_` after `h :: t` is reachable", () => {
    expect(match(L, cons(v("h"), v("t")), W)).toEqual({ missing: [], unreachable: [] });
    expect(match(L, cons(v("x"), nil), W).unreachable).toEqual([]);
  });
  it("redundancy: [] after `h :: t` is reachable", () => {
    expect(match(L, cons(v("h"), v("t")), nil).unreachable).toEqual([]);
  });
  it("redundancy: `_` after [] and `h :: t` is unreachable", () => {
    expect(match(L, nil, cons(v("h"), v("t")), W).unreachable).toEqual([2]);
  });
  it("redundancy: precise cons sub-patterns", () => {
    expect(match(L, cons(v("h"), v("t")), cons(v("h2"), v("t2"))).unreachable).toEqual([1]);
    expect(match(L, cons(int(1), W), cons(v("h"), W)).unreachable).toEqual([]);
    expect(match(L, cons(int(1), W), cons(int(1), nil)).unreachable).toEqual([1]);
    expect(match(L, nil, nil).unreachable).toEqual([1]);
    expect(match(L, cons(W, nil), cons(W, cons(W, W)), nil, W).unreachable).toEqual([3]);
    expect(match(L, cons(W, nil), cons(W, cons(W, W)), W).unreachable).toEqual([]);
  });
  it("list of lists renders nested cons with parentheses", () => {
    const LL = List(List(Bool));
    expect(match(LL, cons(nil, W), nil, cons(cons(bool(true), W), W), W).unreachable).toEqual([]);
    expect(match(LL, cons(nil, W), nil, cons(cons(W, W), W), W).unreachable).toEqual([3]);
  });
});

describe("literals on infinite types", () => {
  it("Int literals never exhaust", () => {
    expect(match(Int, int(0), int(1)).missing).toEqual(["_"]);
    expect(match(Int, int(0), int(1), W)).toEqual({ missing: [], unreachable: [] });
    expect(match(Int, int(0), int(-1), int(0), v("n")).unreachable).toEqual([2]);
    expect(match(Int, W, int(3)).unreachable).toEqual([1]);
  });
  it("String literals", () => {
    expect(match(Str, str("a"), str("b")).missing).toEqual(["_"]);
    expect(match(Str, str("a"), str("b"), v("s"))).toEqual({ missing: [], unreachable: [] });
    expect(match(Str, str("a"), W, str("c")).unreachable).toEqual([2]);
    expect(match(Str, str("a"), str("a")).unreachable).toEqual([1]);
  });
  it("Float literals (0.0 and -0.0 are the same value)", () => {
    expect(match(Float, flt(1.5)).missing).toEqual(["_"]);
    expect(match(Float, flt(0), flt(-0), W).unreachable).toEqual([1]);
  });
  it("Atom and opaque types only have catch-alls", () => {
    expect(match(Atom, v("a"))).toEqual({ missing: [], unreachable: [] });
    expect(match(con("Map", Str, Int), G(v("m"))).missing).toEqual(["_"]);
  });
  it("literals in tuple positions", () => {
    expect(match(tupT(Int, Bool), tup(int(0), bool(true)), tup(W, bool(false))).missing).toEqual(["(_, true)"]);
    expect(match(tupT(Bool, Int), tup(bool(true), int(0)), tup(bool(false), W)).missing).toEqual(["(true, _)"]);
  });
  it("200 string literal arms stay fast", () => {
    const arms: Pattern[] = [];
    for (let i = 0; i < 200; i++) arms.push(str(`s${i}`));
    const t0 = performance.now();
    expect(match(Str, ...arms).missing).toEqual(["_"]);
    expect(match(Str, ...arms, W)).toEqual({ missing: [], unreachable: [] });
    const dup = match(Str, ...arms, str("s17"), str("s199"), W);
    expect(dup.unreachable).toEqual([200, 201]);
    expect(performance.now() - t0).toBeLessThan(1000);
  });
  it("2000 int literal arms with a catch-all stay fast", () => {
    const arms: Pattern[] = [];
    for (let i = 0; i < 2000; i++) arms.push(int(i));
    const t0 = performance.now();
    expect(match(Int, ...arms, W)).toEqual({ missing: [], unreachable: [] });
    expect(performance.now() - t0).toBeLessThan(3000);
  });
});

describe("mixed", () => {
  it("(Option<Bool>, Color)", () => {
    const T = tupT(Opt(Bool), Color);
    expect(match(T, tup(C("Some", bool(true)), W), tup(C("None"), C("Red")), tup(W, C("Green"))).missing).toEqual([
      "(Some(false), Red)",
      "(Some(false), Blue)",
      "(None, Blue)",
    ]);
  });
  it("Result<(Int, String), Color> with literals, ors and guards", () => {
    const T = Res(tupT(Int, Str), Color);
    const r = match(
      T,
      C("Ok", tup(int(0), str(""))),
      G(C("Ok", tup(v("n"), v("s")))),
      C("Ok", tup(W, v("s"))),
      C("Err", or(C("Red"), C("Blue"))),
      C("Ok", tup(int(0), W)),
    );
    expect(r).toEqual({ missing: ["Err(Green)"], unreachable: [4] });
  });
});

describe("unresolved and ill-typed patterns", () => {
  it("an unresolved constructor counts as a catch-all for exhaustiveness", () => {
    expect(match(Color, C("Purple"))).toEqual({ missing: [], unreachable: [] });
    expect(match(Opt(Color), C("Some", C("Purple")), C("None"))).toEqual({ missing: [], unreachable: [] });
  });
  it("an arm with an unresolved constructor is never reported", () => {
    expect(match(Color, W, C("Purple")).unreachable).toEqual([]);
    expect(match(Color, C("Red"), C("Green"), C("Blue"), or(C("Red"), C("Purple"))).unreachable).toEqual([]);
  });
  it("an unresolved constructor does not make later arms unreachable", () => {
    expect(match(Color, C("Purple"), C("Red"), C("Green"), C("Blue")).unreachable).toEqual([]);
    expect(match(Color, C("Purple"), W).unreachable).toEqual([]);
    // the resolved alternative of an or still counts
    expect(match(Color, or(C("Purple"), C("Red")), C("Red")).unreachable).toEqual([1]);
  });
  it("a constructor of another type, or with a wrong argument count, is unresolved", () => {
    expect(match(Color, C("Some", W))).toEqual({ missing: [], unreachable: [] });
    expect(match(Opt(Int), C("Some"), C("None"))).toEqual({ missing: [], unreachable: [] });
    expect(match(Opt(Int), C("Some", W, W), C("Some", W), C("None"))).toEqual({ missing: [], unreachable: [] });
  });
  it("ill-typed literals and tuples produce no findings", () => {
    expect(match(Bool, int(1))).toEqual({ missing: [], unreachable: [] });
    expect(match(tupT(Bool, Bool), tup(W, W, W))).toEqual({ missing: [], unreachable: [] });
    expect(match(Int, flt(1.0), W)).toEqual({ missing: [], unreachable: [] });
  });
  it("a throwing ctorName or oracle is tolerated", () => {
    const boom = (): never => {
      throw new Error("boom");
    };
    expect(checkMatch([arm(C("Red"))], Color, oracle, boom)).toEqual({ missing: [], unreachable: [] });
    expect(checkMatch([arm(C("Red"))], Color, { ctorsOf: boom }, ctorName)).toEqual({ missing: [], unreachable: [] });
  });
  it("garbage input never throws", () => {
    const bad = [null, undefined, {}, { kind: "PNope", span: sp }, { kind: "POr", span: sp, alts: [] }] as unknown as Pattern[];
    for (const p of bad) {
      for (const t of [Int, Bool, Color, Opt(Int), List(Int), tupT(Int, Int), Unit, tvar, null as unknown as RType]) {
        expect(() => checkMatch([arm(p), arm(W)], t, oracle, ctorName)).not.toThrow();
        expect(() => checkClauses([{ patterns: [p], guarded: false }], [t], oracle, ctorName)).not.toThrow();
      }
    }
    expect(() => checkMatch(null as unknown as MatchArm[], Int, oracle, ctorName)).not.toThrow();
  });
});

describe("type variables and never", () => {
  it("no arms: nothing reported", () => {
    expect(match(tvar)).toEqual({ missing: [], unreachable: [] });
    expect(match(never)).toEqual({ missing: [], unreachable: [] });
  });
  it("a catch-all suffices; a second one is unreachable", () => {
    expect(match(tvar, v("x"))).toEqual({ missing: [], unreachable: [] });
    expect(match(tvar, v("x"), W)).toEqual({ missing: [], unreachable: [1] });
    expect(match(never, W)).toEqual({ missing: [], unreachable: [] });
  });
  it("only guarded arms need a catch-all", () => {
    expect(match(tvar, G(v("x"))).missing).toEqual(["_"]);
  });
  it("type variables inside a known type", () => {
    expect(match(Opt(tvar), C("Some", v("x"))).missing).toEqual(["None"]);
    expect(match(Opt(tvar), C("Some", v("x")), C("None"))).toEqual({ missing: [], unreachable: [] });
  });
});

describe("generic instantiation via the oracle", () => {
  it("Tree<Int>", () => {
    oracleCalls.length = 0;
    expect(match(Tree(Int), C("Leaf"), C("Node", v("l"), int(0), v("r"))).missing).toEqual(["Node(_, _, _)"]);
    expect(oracleCalls.some((t) => t.kind === "con" && t.name === "Main.Tree" && t.args[0] === Int)).toBe(true);
    expect(match(Tree(Int), C("Leaf"), C("Node", C("Leaf"), W, W), C("Node", C("Node", W, W, W), v("v"), W))).toEqual({
      missing: [],
      unreachable: [],
    });
    expect(match(Tree(Int), C("Node", C("Leaf"), W, W), C("Leaf")).missing).toEqual(["Node(Node(_, _, _), _, _)"]);
  });
  it("Tree<Bool>: the payload type is instantiated", () => {
    expect(match(Tree(Bool), C("Leaf"), C("Node", W, bool(true), W)).missing).toEqual(["Node(_, false, _)"]);
    expect(match(Tree(Bool), C("Leaf"), C("Node", W, bool(true), W), C("Node", W, bool(false), W), W).unreachable).toEqual([3]);
  });
  it("built-in sum types are known even when the oracle does not describe them", () => {
    const bare: MatchOracle = { ctorsOf: () => null };
    expect(checkMatch([arm(C("Some", W))], Opt(Int), bare, ctorName).missing).toEqual(["None"]);
    expect(checkMatch([arm(C("Ok", W))], Res(Int, Str), bare, ctorName).missing).toEqual(["Err(_)"]);
  });
});

// ---------------------------------------------------------------- multi-clause functions

describe("checkClauses", () => {
  const cl = (patterns: Pattern[], guarded = false) => ({ patterns, guarded });
  const clauses = (types: RType[], ...cs: { patterns: Pattern[]; guarded: boolean }[]) => checkClauses(cs, types, oracle, ctorName);

  it("fib", () => {
    expect(clauses([Int], cl([int(0)]), cl([int(1)]), cl([v("n")]))).toEqual({ missing: [], unreachable: [] });
    expect(clauses([Int], cl([int(0)]), cl([int(1)])).missing).toEqual(["(_)"]);
  });
  it("classify with a guard", () => {
    expect(clauses([Int], cl([v("n")], true), cl([int(0)]), cl([W]))).toEqual({ missing: [], unreachable: [] });
    expect(clauses([Int], cl([v("n")], true), cl([int(0)])).missing).toEqual(["(_)"]);
  });
  it("several parameters", () => {
    expect(clauses([Bool, Opt(Int)], cl([bool(true), C("Some", W)]), cl([bool(false), W])).missing).toEqual(["(true, None)"]);
    expect(clauses([Bool, Opt(Int)], cl([bool(true), W]), cl([W, C("None")]), cl([bool(false), C("Some", v("x"))]), cl([W, W]))).toEqual({
      missing: [],
      unreachable: [3],
    });
  });
  it("one parameter renders in parentheses", () => {
    expect(clauses([Opt(Int)], cl([C("None")])).missing).toEqual(["(Some(_))"]);
  });
  it("zero parameters", () => {
    expect(clauses([], cl([]))).toEqual({ missing: [], unreachable: [] });
    expect(clauses([], cl([]), cl([])).unreachable).toEqual([1]);
    expect(clauses([], cl([], true)).missing).toEqual(["()"]);
  });
  it("a clause with the wrong arity is ignored", () => {
    expect(clauses([Bool], cl([bool(true)]), cl([bool(false), W]))).toEqual({ missing: [], unreachable: [] });
    expect(clauses([Bool], cl([W, W]), cl([W]))).toEqual({ missing: [], unreachable: [] });
  });
  it("list clauses use the cons rule", () => {
    expect(clauses([List(Int), Int], cl([nil, v("acc")]), cl([cons(v("h"), v("t")), v("acc")]))).toEqual({ missing: [], unreachable: [] });
    expect(clauses([List(Int)], cl([cons(v("h"), v("t"))]), cl([W]))).toEqual({ missing: [], unreachable: [] });
    expect(clauses([List(Int)], cl([nil])).missing).toEqual(["(_ :: _)"]);
  });
});

// ---------------------------------------------------------------- brute-force cross-check

// A small model: enumerate every value of a finite type and evaluate patterns directly.
type Val =
  | { t: "bool"; v: boolean }
  | { t: "unit" }
  | { t: "int"; v: number }
  | { t: "tuple"; elems: Val[] }
  | { t: "ctor"; name: string; args: Val[] }
  | { t: "list"; items: Val[] };

function values(t: RType): Val[] {
  if (t.kind === "tuple") {
    if (t.elems.length === 0) return [{ t: "unit" }];
    let acc: Val[][] = [[]];
    for (const e of t.elems) acc = acc.flatMap((prefix) => values(e).map((x) => [...prefix, x]));
    return acc.map((elems) => ({ t: "tuple", elems }));
  }
  if (t.kind !== "con") throw new Error("unsupported");
  switch (t.name) {
    case "Bool":
      return [{ t: "bool", v: true }, { t: "bool", v: false }];
    case "Int":
      return [0, 1, 2].map((n) => ({ t: "int", v: n }));
    case "List": {
      const el = values(t.args[0]!);
      const out: Val[] = [];
      let layer: Val[][] = [[]];
      for (let len = 0; len <= 3; len++) {
        for (const items of layer) out.push({ t: "list", items });
        layer = layer.flatMap((items) => el.map((x) => [...items, x]));
      }
      return out;
    }
  }
  const sigs = oracle.ctorsOf(t)!;
  return sigs.flatMap((s) => {
    let acc: Val[][] = [[]];
    for (const a of s.args) acc = acc.flatMap((prefix) => values(a).map((x) => [...prefix, x]));
    return acc.map((args) => ({ t: "ctor" as const, name: s.name, args }));
  });
}

function matches(p: Pattern, x: Val, consIsWild: boolean): boolean {
  switch (p.kind) {
    case "PWild":
    case "PVar":
      return true;
    case "PAs":
      return matches(p.pattern, x, consIsWild);
    case "POr":
      return p.alts.some((a) => matches(a, x, consIsWild));
    case "PLit":
      if (p.value.type === "unit") return true;
      return (x.t === "bool" || x.t === "int") && x.v === p.value.value;
    case "PTuple":
      return x.t === "unit" || (x.t === "tuple" && p.elems.every((e, i) => matches(e, x.elems[i]!, consIsWild)));
    case "PCtor":
      return x.t === "ctor" && x.name === p.path[p.path.length - 1] && (p.args ?? []).every((a, i) => matches(a, x.args[i]!, consIsWild));
    case "PEmptyList":
      return x.t === "list" && x.items.length === 0;
    case "PCons":
      if (consIsWild) return true;
      return (
        x.t === "list" &&
        x.items.length > 0 &&
        matches(p.head, x.items[0]!, consIsWild) &&
        matches(p.tail, { t: "list", items: x.items.slice(1) }, consIsWild)
      );
  }
}

// Parses the rendered missing patterns back into Patterns.
function parseWitness(s: string): Pattern {
  let i = 0;
  const ws = () => {
    while (s[i] === " ") i++;
  };
  const prim = (): Pattern => {
    ws();
    if (s.startsWith("_", i) && !/[A-Za-z]/.test(s[i + 1] ?? "")) return (i++, W);
    if (s.startsWith("[]", i)) return ((i += 2), nil);
    if (s[i] === "(") {
      i++;
      const elems = list(")");
      return elems.length === 1 ? elems[0]! : tup(...elems);
    }
    const m = /^[A-Za-z.]+/.exec(s.slice(i))!;
    i += m[0].length;
    if (m[0] === "true" || m[0] === "false") return bool(m[0] === "true");
    if (s[i] === "(") {
      i++;
      return C(m[0], ...list(")"));
    }
    return C(m[0]);
  };
  const pat = (): Pattern => {
    const h = prim();
    ws();
    if (s.startsWith("::", i)) {
      i += 2;
      return cons(h, pat());
    }
    return h;
  };
  const list = (close: string): Pattern[] => {
    const out: Pattern[] = [];
    ws();
    if (s[i] === close) return (i++, out);
    for (;;) {
      out.push(pat());
      ws();
      if (s[i] === ",") i++;
      else if (s[i] === close) return (i++, out);
      else throw new Error(`bad witness ${s} at ${i}`);
    }
  };
  const p = pat();
  if (i !== s.length) throw new Error(`trailing input in witness ${s}`);
  return p;
}

// Tiny deterministic PRNG so fast-check only has to supply seeds.
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FUZZ_TYPES: RType[] = [
  Bool,
  Color,
  Int,
  Opt(Bool),
  Opt(Color),
  Res(Bool, Color),
  tupT(Bool, Bool),
  tupT(Bool, Color, Bool),
  tupT(Opt(Bool), Int),
  Opt(tupT(Bool, Opt(Bool))),
  List(Bool),
  tupT(List(Bool), Bool),
  Opt(List(Color)),
  tupT(Unit, Bool),
];

function genPattern(t: RType, depth: number, r: () => number): Pattern {
  const x = r();
  if (depth <= 0 || x < 0.2) return x < 0.1 ? W : v("x");
  if (x < 0.28) return or(genPattern(t, depth - 1, r), genPattern(t, depth - 1, r));
  if (x < 0.32) return as(genPattern(t, depth - 1, r), "a");
  if (t.kind === "tuple") return t.elems.length === 0 ? unitP : tup(...t.elems.map((e) => genPattern(e, depth - 1, r)));
  if (t.kind !== "con") return W;
  switch (t.name) {
    case "Bool":
      return bool(r() < 0.5);
    case "Int":
      return int(r() < 0.5 ? 0 : 1);
    case "List":
      return r() < 0.4 ? nil : cons(genPattern(t.args[0]!, depth - 1, r), genPattern(t, depth - 1, r));
  }
  const sigs = oracle.ctorsOf(t)!;
  const s = sigs[Math.floor(r() * sigs.length)]!;
  return C(s.name, ...s.args.map((a) => genPattern(a, depth - 1, r)));
}

describe("brute-force cross-check against enumerated values", () => {
  it("missing and unreachable agree with the model", () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: 0, max: FUZZ_TYPES.length - 1 }), fc.integer({ min: 0, max: 6 }), (seed, ti, n) => {
        const r = rng(seed);
        const t = FUZZ_TYPES[ti]!;
        const arms: MatchArm[] = [];
        for (let k = 0; k < n; k++) arms.push({ pattern: genPattern(t, 3, r), guarded: r() < 0.15 });
        const res = checkMatch(arms, t, oracle, ctorName);
        const vals = values(t);

        // exhaustiveness (cons patterns are catch-alls)
        const uncovered = vals.filter((x) => !arms.some((a) => !a.guarded && matches(a.pattern, x, true)));
        expect(res.missing.length === 0).toBe(uncovered.length === 0);
        expect(res.missing.length).toBeLessThanOrEqual(MAX_MISSING);
        for (const m of res.missing) {
          const wp = parseWitness(m);
          expect(uncovered.some((x) => matches(wp, x, false))).toBe(true);
        }

        // redundancy (precise cons)
        const expected: number[] = [];
        arms.forEach((a, i) => {
          const useful = vals.some(
            (x) => matches(a.pattern, x, false) && !arms.slice(0, i).some((b) => !b.guarded && matches(b.pattern, x, false)),
          );
          if (!useful) expected.push(i);
        });
        expect(res.unreachable).toEqual(expected);
      }),
      { numRuns: 1500 },
    );
  });

  it("checkClauses agrees with the model over two parameters", () => {
    const pairs: [RType, RType][] = [
      [Bool, Opt(Bool)],
      [Color, Bool],
      [List(Bool), Opt(Color)],
    ];
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: 0, max: pairs.length - 1 }), fc.integer({ min: 1, max: 6 }), (seed, pi, n) => {
        const r = rng(seed);
        const [a, b] = pairs[pi]!;
        const cs: { patterns: Pattern[]; guarded: boolean }[] = [];
        for (let k = 0; k < n; k++) cs.push({ patterns: [genPattern(a, 3, r), genPattern(b, 3, r)], guarded: r() < 0.15 });
        const res = checkClauses(cs, [a, b], oracle, ctorName);
        const vals = values(tupT(a, b)) as Extract<Val, { t: "tuple" }>[];
        const hit = (c: (typeof cs)[number], x: Extract<Val, { t: "tuple" }>, cw: boolean) =>
          matches(c.patterns[0]!, x.elems[0]!, cw) && matches(c.patterns[1]!, x.elems[1]!, cw);
        const uncovered = vals.filter((x) => !cs.some((c) => !c.guarded && hit(c, x, true)));
        expect(res.missing.length === 0).toBe(uncovered.length === 0);
        for (const m of res.missing) {
          expect(m.startsWith("(")).toBe(true);
          const wp = parseWitness(m);
          expect(wp.kind).toBe("PTuple");
          expect(uncovered.some((x) => matches(wp, x, false))).toBe(true);
        }
        const expected: number[] = [];
        cs.forEach((c, i) => {
          const useful = vals.some((x) => hit(c, x, false) && !cs.slice(0, i).some((d) => !d.guarded && hit(d, x, false)));
          if (!useful) expected.push(i);
        });
        expect(res.unreachable).toEqual(expected);
      }),
      { numRuns: 500 },
    );
  });
});

describe("pathological inputs", () => {
  it("a blow-up of nested or-patterns terminates quickly", () => {
    const T = tupT(...Array.from({ length: 16 }, () => Color));
    const anyColor = or(C("Red"), C("Green"), C("Blue"));
    const arms: MatchArm[] = [];
    for (let i = 0; i < 30; i++) arms.push(arm(tup(...Array.from({ length: 16 }, (_, j) => (j === i % 16 ? C("Red") : anyColor)))));
    const t0 = performance.now();
    const r = checkMatch(arms, T, oracle, ctorName);
    expect(performance.now() - t0).toBeLessThan(5000);
    expect(r.missing.length).toBeLessThanOrEqual(MAX_MISSING);
  });
  it("a 400-arm state machine over (State, Event) is exact and fast", () => {
    const N = 20;
    const names = (p: string) => Array.from({ length: N }, (_, i) => ({ name: `${p}${i}`, args: [] as RType[] }));
    const big: MatchOracle = { ctorsOf: (t) => (t.kind === "con" && (t.name === "S" || t.name === "E") ? names(t.name) : null) };
    const byPath = (p: PCtor) => p.path[0]!;
    const arms: MatchArm[] = [];
    for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) if (i !== 3 || j !== 7) arms.push(arm(tup(C(`S${i}`), C(`E${j}`))));
    const T = tupT(con("S"), con("E"));
    const t0 = performance.now();
    expect(checkMatch(arms, T, big, byPath)).toEqual({ missing: ["(S3, E7)"], unreachable: [] });
    arms.push(arm(tup(C("S3"), C("E7"))), arm(W));
    expect(checkMatch(arms, T, big, byPath)).toEqual({ missing: [], unreachable: [400] });
    expect(performance.now() - t0).toBeLessThan(2000);
  });
  it("a very long cons pattern does not throw", () => {
    let p: Pattern = nil;
    for (let i = 0; i < 20000; i++) p = cons(int(i), p);
    expect(() => match(List(Int), p, W)).not.toThrow();
  });
});
