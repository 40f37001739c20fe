// eq / compare / hash / text / inspect over every value shape (language.md §7.5, §7.6).
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { eq, neq } from "../../../runtime/core/equality.js";
import { cmp, compare, compareStrings, ge, gt, le, lt } from "../../../runtime/core/compare.js";
import { hash } from "../../../runtime/core/hash.js";
import { inspect, text } from "../../../runtime/core/text.js";
import { List } from "../../../runtime/core/list.js";
import { MeshMap } from "../../../runtime/core/map.js";
import { MeshSet } from "../../../runtime/core/set.js";
import { Range } from "../../../runtime/core/range.js";
import { Atom } from "../../../runtime/core/meta.js";
import { Equal, Err, Greater, Less, None, Ok, Some } from "../../../runtime/core/builtin-types.js";
import { defStruct, defSum, registerImpl } from "./helpers.js";

const L = (...xs: unknown[]) => List.fromArray(xs);
const M = (...ps: [unknown, unknown][]) => MeshMap.fromPairs(ps);

const Point = defStruct("Point", ["x", "y"], ["Eq", "Ord", "Display", "Debug"]);
const Label = defStruct("Label", ["text", "at"], ["Eq", "Ord", "Hash", "Debug"]);
const Pair = defStruct("Pair", ["first", "second"], ["Display", "Eq"]);
const Empty = defStruct("Empty", [], ["Debug", "Display"]);
const Tag = defStruct("Tag", ["name"], ["Debug", "Display"]);
const Level = defSum("Level", [["Low", 0], ["Mid", 1], ["High", 2]], ["Eq", "Ord", "Display"]);
const Mood = defSum("Mood", [["Calm", 0], ["Storm", 1]]);
const Money = defStruct("Money", ["cents"], ["Eq"]);
registerImpl(Money.meta, "Display", { to_string: (m: { cents: number }) => `${m.cents}c` });
const Loose = defStruct("Loose", ["a", "b"], ["Debug"]);
registerImpl(Loose.meta, "Eq", { eq: (x: { a: number }, y: { a: number }) => x.a === y.a });
registerImpl(Loose.meta, "Ord", { lt: (x: { a: number }, y: { a: number }) => x.a > y.a }); // reversed order
const Hidden = defStruct("Hidden", ["v"], []);
registerImpl(Hidden.meta, "Debug", { inspect: () => "<hidden>" });

describe("text / inspect (§7.6, stdlib §26)", () => {
  it("prints built-in values", () => {
    expect(text(42)).toBe("42");
    expect(text(-7)).toBe("-7");
    expect(text(2.5)).toBe("2.5");
    expect(text(3.0)).toBe("3");
    expect(text(true)).toBe("true");
    expect(text("hello")).toBe("hello");
    expect(text(undefined)).toBe("()");
    expect(text(Atom.of("ready"))).toBe("ready");
    expect(text([1, "one", true])).toBe("(1, one, true)");
    expect(text(L(1, 2, 3))).toBe("[1, 2, 3]");
    expect(text(L())).toBe("[]");
    expect(text(L("hello", "world"))).toBe("[hello, world]");
    expect(text(L(L(1, 2), L(3)))).toBe("[[1, 2], [3]]");
    expect(text(L(L(1, 2), L(), L(3)))).toBe("[[1, 2], [], [3]]");
    expect(text(M(["a", 1], ["b", 2]))).toBe("%{a => 1, b => 2}");
    expect(text(MeshMap.empty)).toBe("%{}");
    expect(text(M(["xs", L(1, 2)], ["ys", L()]))).toBe("%{xs => [1, 2], ys => []}");
    expect(text(MeshSet.fromArray([3, 1]))).toBe("#{3, 1}");
    expect(text(MeshSet.empty)).toBe("#{}");
    expect(text(new Range(0, 5))).toBe("0..5");
    expect(text(new Some(3))).toBe("Some(3)");
    expect(text(new Some("hi"))).toBe("Some(hi)");
    expect(text(None)).toBe("None");
    expect(text(new Ok(7))).toBe("Ok(7)");
    expect(text(new Err("div by zero"))).toBe("Err(div by zero)");
    expect(text(Less)).toBe("Less");
    expect(text(Equal)).toBe("Equal");
    expect(text(Greater)).toBe("Greater");
    expect(text(L(new Some("a"), None))).toBe("[Some(a), None]");
    expect(text(L(1.5, 2.0))).toBe("[1.5, 2]");
    expect(text(L(20.5, 21.0, -0.25))).toBe("[20.5, 21, -0.25]");
    expect(text([0, "x"])).toBe("(0, x)");
  });

  it("prints derived and hand-written Display/Debug of user types", () => {
    const p = Point.make(1, 2);
    expect(text(p)).toBe("Point(1, 2)");
    expect(inspect(p)).toBe("Point { x: 1, y: 2 }");
    expect(text(Label.make("home", Point.make(1, 5)))).toBe("Label { text: home, at: Point(1, 5) }");
    expect(text(Pair.make(7, "seven"))).toBe("Pair(7, seven)");
    expect(text(Empty.make())).toBe("Empty()");
    expect(inspect(Empty.make())).toBe("Empty {}");
    const t = Tag.make("hot");
    expect(inspect(t) + " " + text(t) + " " + inspect("hot")).toBe('Tag { name: hot } Tag(hot) "hot"');
    expect(text(L(Level.mk.Low(), Level.mk.Mid(3), Level.mk.High("x", 2)))).toBe("[Low, Mid(3), High(x, 2)]");
    expect(text(Mood.mk.Storm(4)) + " " + text(Mood.mk.Calm())).toBe("Storm(4) Calm");
    expect(text(Money.make(380))).toBe("380c");
    expect(text(L(Money.make(1)))).toBe("[1c]");
    expect(text(Hidden.make(1))).toBe("<hidden>");
    expect(inspect(Hidden.make(1))).toBe("<hidden>");
  });

  it("inspect quotes only a top-level String, without escaping", () => {
    expect(inspect("x")).toBe('"x"');
    expect(inspect('a"b')).toBe('"a"b"');
    expect(inspect(L("a"))).toBe("[a]");
    expect(inspect(new Some("a"))).toBe("Some(a)");
    expect(inspect(42)).toBe("42");
  });
});

describe("eq (§7.5)", () => {
  it("is structural", () => {
    expect(eq(1, 1)).toBe(true);
    expect(eq(NaN, NaN)).toBe(false);
    expect(neq(NaN, NaN)).toBe(true);
    expect(eq(-0, 0)).toBe(true);
    expect(eq("é", "e\u0301")).toBe(false);
    expect(eq([1, [2, "a"]], [1, [2, "a"]])).toBe(true);
    expect(eq([1, 2], [1, 2, 3])).toBe(false);
    expect(eq(L(1, 2), L(1, 2))).toBe(true);
    expect(eq(L(1, 2), L(2, 1))).toBe(false);
    expect(eq(L(1, 2), List.fromArray([0, 1, 2]).tail())).toBe(true);
    expect(eq(M(["a", 1], ["b", 2]), M(["b", 2], ["a", 1]))).toBe(true);
    expect(eq(M(["a", 1]), M(["a", 2]))).toBe(false);
    expect(eq(MeshSet.fromArray([1, 2]), MeshSet.fromArray([2, 1]))).toBe(true);
    expect(eq(MeshSet.fromArray([1, 2]), MeshSet.fromArray([2, 3]))).toBe(false);
    expect(eq(new Some(L(1)), new Some(L(1)))).toBe(true);
    expect(eq(new Some(1), None)).toBe(false);
    expect(eq(new Ok(1), new Err(1))).toBe(false);
    expect(eq(Atom.of("a"), Atom.of("a"))).toBe(true);
    expect(eq(undefined, undefined)).toBe(true);
    expect(eq(new Range(1, 3), new Range(1, 3))).toBe(true);
    expect(eq(Point.make(1, 2), Point.make(1, 2))).toBe(true);
    expect(eq(Point.make(1, 2), Point.make(1, 5))).toBe(false);
    expect(eq(Level.mk.Mid(3), Level.mk.Mid(3))).toBe(true);
    expect(eq(Loose.make(1, "x"), Loose.make(1, "y"))).toBe(true); // hand-written Eq
    expect(eq(L(1), [1])).toBe(false);
  });

  it("compares versions of one map store without confusion", () => {
    const a = M(["a", 1], ["b", 2]);
    const b = a.put("c", 3);
    const c = b.delete("c");
    expect(eq(a, c)).toBe(true);
    expect(eq(b, a)).toBe(false);
    expect(eq(a.put("a", 1), a)).toBe(true);
  });

  it("treats pids through their equals method", () => {
    const pid = (n: number) => ({ $pid: true, n, equals: (o: { n: number }) => o.n === n, hash: () => n, toString: () => `<0.${n}>` });
    expect(eq(pid(1), pid(1))).toBe(true);
    expect(eq(pid(1), pid(2))).toBe(false);
    expect(text(L(pid(3)))).toBe("[<0.3>]");
    const m = MeshMap.empty.put(pid(4), "x");
    expect(m.lookup(pid(4))).toBe("x");
  });
});

describe("ordering (§7.5)", () => {
  it("orders numbers, bools, strings by code point, sequences lexicographically", () => {
    expect(lt(1, 2)).toBe(true);
    expect(lt(false, true)).toBe(true);
    expect(lt("Zed", "abc")).toBe(true);
    expect(lt("ab", "abc")).toBe(true);
    expect(lt("", "a")).toBe(true);
    expect(lt("ab", "a")).toBe(false);
    // U+FF61 < U+1F600 by code point, although its UTF-16 unit is larger than the surrogate
    expect("\uff61" < "😀").toBe(false);
    expect(lt("\uff61", "😀")).toBe(true);
    expect(lt(L(1, 2), L(1, 2, 0))).toBe(true);
    expect(lt(L(1, 2), L(1, 3))).toBe(true);
    expect(lt([1, "b"], [1, "c"])).toBe(true);
    expect(lt(Less, Equal) && lt(Equal, Greater)).toBe(true);
    expect(compare(3, 9)).toBe(Less);
    expect(compare("b", "a")).toBe(Greater);
    expect(compare(2.5, 2.5)).toBe(Equal);
    expect(lt(NaN, 1) || gt(NaN, 1) || le(NaN, 1) || ge(NaN, 1)).toBe(false);
    expect(le(1, 1) && ge(1, 1)).toBe(true);
    expect(le("a", "b") && !ge("a", "b")).toBe(true);
  });

  it("orders user types: derived by field / variant order, hand-written via lt", () => {
    expect(lt(Point.make(1, 2), Point.make(1, 5))).toBe(true);
    expect(lt(Level.mk.Low(), Level.mk.Mid(0))).toBe(true);
    expect(lt(Level.mk.Mid(9), Level.mk.Mid(2))).toBe(false);
    expect(gt(Level.mk.High("a", 1), Level.mk.Mid(100))).toBe(true);
    expect(lt(Loose.make(2, 0), Loose.make(1, 0))).toBe(true);
    expect(compare(Loose.make(2, 0), Loose.make(1, 0))).toBe(Less);
    expect(compare(Loose.make(1, 0), Loose.make(1, 9))).toBe(Equal);
  });

  it("compareStrings agrees with code-point order on random strings", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme" }), fc.string({ unit: "grapheme" }), (a, b) => {
        const cpa = Array.from(a, (c) => c.codePointAt(0)!);
        const cpb = Array.from(b, (c) => c.codePointAt(0)!);
        let model = 0;
        for (let i = 0; i < Math.min(cpa.length, cpb.length) && model === 0; i++) model = Math.sign(cpa[i] - cpb[i]);
        if (model === 0) model = Math.sign(cpa.length - cpb.length);
        expect(Math.sign(compareStrings(a, b))).toBe(model);
        expect(Math.sign(cmp(a, b))).toBe(model);
      }),
      { numRuns: 1000 },
    );
  });
});

describe("hash", () => {
  it("is consistent with eq", () => {
    const pairs: [unknown, unknown][] = [
      [L(1, 2), List.fromArray([0, 1, 2]).tail()],
      [M(["a", 1], ["b", 2]), M(["b", 2], ["a", 1])],
      [MeshSet.fromArray([1, 2]), MeshSet.fromArray([2, 1])],
      [[1, "x"], [1, "x"]],
      [new Some(1), new Some(1)],
      [Label.make("a", Point.make(1, 2)), Label.make("a", Point.make(1, 2))],
      [-0, 0],
      [2.5, 2.5],
      [Atom.of("q"), Atom.of("q")],
    ];
    for (const [a, b] of pairs) {
      expect(eq(a, b)).toBe(true);
      expect(hash(a)).toBe(hash(b));
      expect(Number.isInteger(hash(a))).toBe(true);
    }
    expect(hash("a")).not.toBe(hash("b"));
    expect(hash([1, 2])).not.toBe(hash([2, 1]));
  });
});
