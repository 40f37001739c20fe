// List, Map, Set, Queue, Range, Tuple modules (stdlib.md §5–§10) and the `$g` variants.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import * as lib from "../../../runtime/stdlib/index.js";
import { List } from "../../../runtime/core/list.js";
import { MeshMap } from "../../../runtime/core/map.js";
import { MeshSet } from "../../../runtime/core/set.js";
import { Range } from "../../../runtime/core/range.js";
import { None, Some } from "../../../runtime/core/builtin-types.js";
import { MeshPanic } from "../../../runtime/core/panic.js";
import { text } from "../../../runtime/core/text.js";
import { eq } from "../../../runtime/core/equality.js";

const L = <T>(...xs: T[]) => List.fromArray(xs);
const t = text;

// Runs a generator to completion, counting yields (a stand-in for the scheduler).
function drive<R>(g: Generator<unknown, R, unknown>): { value: R; yields: number } {
  let yields = 0;
  let s = g.next();
  while (!s.done) {
    yields++;
    s = g.next();
  }
  return { value: s.value, yields };
}
// A "suspending" callback: a generator function that yields once before returning f(...).
const susp = <A extends unknown[], R>(f: (...a: A) => R) =>
  function* (...a: A): Generator<unknown, R, unknown> {
    yield "tick";
    return f(...a);
  };

describe("List module", () => {
  const xs = L(5, 3, 8, 1);
  it("basic accessors and errors", () => {
    expect(t(lib.List.append(xs, 9))).toBe("[5, 3, 8, 1, 9]");
    expect(lib.List.length(L())).toBe(0);
    expect(lib.List.head(L(9, 8))).toBe(9);
    expect(t(lib.List.tail(L(9, 8)))).toBe("[8]");
    expect(lib.List.last(L(9, 8))).toBe(8);
    expect(lib.List.get(L("a", "b"), 1)).toBe("b");
    expect(lib.List.nth(L(1, 2), 0)).toBe(1);
    expect(() => lib.List.get(L(1, 2), 5)).toThrow(new MeshPanic("List.get: index 5 out of bounds (length 2)"));
    expect(() => lib.List.get(L(1, 2), -1)).toThrow(MeshPanic);
    expect(() => lib.List.head(L())).toThrow(new MeshPanic("List.head: empty list"));
    expect(() => lib.List.tail(L())).toThrow(MeshPanic);
    expect(() => lib.List.last(L())).toThrow(MeshPanic);
    expect(t(lib.List.new())).toBe("[]");
  });
  it("transformations (A5, A6)", () => {
    expect(t(lib.List.concat(L(1), L(2, 3)))).toBe("[1, 2, 3]");
    expect(t(lib.List.reverse(L(1, 2)))).toBe("[2, 1]");
    expect(t(lib.List.map(L(1, 2), (x: number) => x * 10))).toBe("[10, 20]");
    expect(t(lib.List.filter(L(1, 2, 3), (x: number) => x !== 2))).toBe("[1, 3]");
    expect(lib.List.reduce(L("a", "b"), "", (a: string, s: string) => a + s)).toBe("ab");
    expect(t(lib.List.sort(L(3, 1, 2), (a: number, b: number) => a - b))).toBe("[1, 2, 3]");
    const words = L("kiwi", "fig", "banana", "plum");
    expect(lib.String.join(lib.List.sort(words, (a: string, b: string) => a.length - b.length), ",")).toBe("fig,kiwi,plum,banana");
    expect(t(lib.List.find(L(1, 5), (x: number) => x > 2))).toBe("Some(5)");
    expect(lib.List.find(L(1), (x: number) => x > 2)).toBe(None);
    expect(lib.List.any(L(), () => true)).toBe(false);
    expect(lib.List.all(L(), () => false)).toBe(true);
    expect(lib.List.all(L(2, 4), (x: number) => x % 2 === 0)).toBe(true);
    expect(lib.List.contains(L("error", "warning"), "WARNING".toLowerCase())).toBe(true);
    expect(lib.List.contains(L([1, "a"]), [1, "a"])).toBe(true);
    expect(lib.List.contains(L(L(1)), L(1))).toBe(true);
    expect(lib.List.contains(L(NaN), NaN)).toBe(false);
    expect(t(lib.List.zip(L(1, 2, 3), L("x")))).toBe("[(1, x)]");
    expect(t(lib.List.flat_map(L(1, 2), (x: number) => L(x, x * 100)))).toBe("[1, 100, 2, 200]");
    expect(t(lib.List.flatten(L(L(1), L(), L(2, 3))))).toBe("[1, 2, 3]");
    expect(t(lib.List.enumerate(L("a")))).toBe("[(0, a)]");
    expect(t(lib.List.take(L(1, 2, 3), -1))).toBe("[]");
    expect(t(lib.List.take(L(1, 2, 3), 9))).toBe("[1, 2, 3]");
    expect(t(lib.List.drop(L(1, 2, 3), 2))).toBe("[3]");
    expect(t(lib.List.drop(L(1, 2, 3), -2))).toBe("[1, 2, 3]");
    expect(t(lib.List.collect(lib.Iter.from(L(1))))).toBe("[1]");
    expect(xs.toArray()).toEqual([5, 3, 8, 1]);
  });
  it("sort is stable", () => {
    const ps = L(["b", 1], ["a", 2], ["b", 0], ["a", 1]);
    expect(t(lib.List.sort(ps, (x: [string, number], y: [string, number]) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0)))).toBe("[(a, 2), (a, 1), (b, 1), (b, 0)]");
  });
  it("agrees with an array model (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -50, max: 50 }), { maxLength: 40 }), fc.integer({ min: -5, max: 45 }), (a, n) => {
        const l = List.fromArray(a.slice());
        expect(lib.List.reverse(l).toArray()).toEqual(a.slice().reverse());
        expect(lib.List.map(l, (x: number) => x * 2).toArray()).toEqual(a.map((x) => x * 2));
        expect(lib.List.filter(l, (x: number) => x > 0).toArray()).toEqual(a.filter((x) => x > 0));
        expect(lib.List.take(l, n).toArray()).toEqual(a.slice(0, Math.max(0, n)));
        expect(lib.List.drop(l, n).toArray()).toEqual(a.slice(Math.max(0, n)));
        expect(lib.List.sort(l, (x: number, y: number) => x - y).toArray()).toEqual(a.slice().sort((x, y) => x - y));
        expect(lib.List.reduce(l, 0, (s: number, x: number) => s + x)).toBe(a.reduce((s, x) => s + x, 0));
        expect(lib.List.contains(l, n)).toBe(a.includes(n));
        expect(drive(lib.List.sort$g(l, susp((x: number, y: number) => x - y))).value.toArray()).toEqual(a.slice().sort((x, y) => x - y));
      }),
      { numRuns: 300 },
    );
  });
  it("$g variants run plain and generator callbacks", () => {
    const r1 = drive(lib.List.map$g(L(1, 2, 3), susp((x: number) => x + 1)));
    expect(t(r1.value)).toBe("[2, 3, 4]");
    expect(r1.yields).toBe(3);
    expect(drive(lib.List.map$g(L(1, 2), (x: number) => x * 2)).value.toArray()).toEqual([2, 4]);
    expect(t(drive(lib.List.filter$g(L(1, 2, 3), susp((x: number) => x > 1))).value)).toBe("[2, 3]");
    expect(drive(lib.List.reduce$g(L(1, 2, 3), 0, susp((a: number, x: number) => a + x))).value).toBe(6);
    expect(t(drive(lib.List.find$g(L(1, 5), susp((x: number) => x > 2))).value)).toBe("Some(5)");
    const any = drive(lib.List.any$g(L(1, 5, 9), susp((x: number) => x > 2)));
    expect(any).toEqual({ value: true, yields: 2 }); // short-circuits
    expect(drive(lib.List.all$g(L(1, 5), susp((x: number) => x > 2))).value).toBe(false);
    expect(t(drive(lib.List.flat_map$g(L(1, 2), susp((x: number) => L(x, x)))).value)).toBe("[1, 1, 2, 2]");
    expect(t(drive(lib.Range.map$g(new Range(0, 3), susp((i: number) => i * 2))).value)).toBe("[0, 2, 4]");
    expect(t(drive(lib.Range.filter$g(new Range(0, 5), susp((i: number) => i > 2))).value)).toBe("[3, 4]");
    expect(t(drive(lib.prelude.map$g(L(1), susp((x: number) => x + 1))).value)).toBe("[2]");
    expect(t(drive(lib.prelude.filter$g(L(1, 2), susp((x: number) => x > 1))).value)).toBe("[2]");
    expect(drive(lib.prelude.reduce$g(L(1, 2), 0, susp((a: number, x: number) => a + x))).value).toBe(3);
  });
});

describe("Map module", () => {
  it("A7: insertion order, defaults, merge, counting", () => {
    let m = MeshMap.fromPairs<string, number>([["b", 2], ["a", 1]]);
    m = lib.Map.put(lib.Map.put(m, "c", 3), "b", 20);
    expect(`${t(m)} ${t(lib.Map.keys(m))} ${t(lib.Map.values(m))}`).toBe("%{b => 20, a => 1, c => 3} [b, a, c] [20, 1, 3]");
    expect(`${lib.Map.size(m)} ${lib.Map.has_key(m, "a")} ${lib.Map.has_key(m, "z")}`).toBe("3 true false");
    const m2 = lib.Map.delete(m, "b");
    expect(`${t(m2)} ${lib.Map.get(m2, "c", 0)} ${lib.Map.get(m2, "zzz", 0)}`).toBe("%{a => 1, c => 3} 3 0");
    const names = MeshMap.fromPairs([[1, "one"]]);
    expect("[" + lib.Map.get(names, 2, "") + "]").toBe("[]");
    const merged = lib.Map.merge(MeshMap.fromPairs([["host", "db"], ["port", "5432"]]), MeshMap.fromPairs([["port", "6543"], ["user", "app"]]));
    expect(`${t(merged)} ${lib.Map.to_list(merged).length}`).toBe("%{host => db, port => 6543, user => app} 3");
    expect(lib.Map.get(lib.Map.from_list(lib.Map.to_list(merged)), "user")).toBe("app");
    const counts = lib.List.reduce(L("a", "b", "a", "c", "a"), lib.Map.new<string, number>(), (acc: MeshMap<string, number>, k: string) => lib.Map.put(acc, k, lib.Map.get(acc, k, 0) + 1));
    expect(t(counts)).toBe("%{a => 3, b => 1, c => 1}");
  });
  it("Map.get without a zero value panics", () => {
    expect(() => lib.Map.get(MeshMap.empty, "x")).toThrow(new MeshPanic("Map.get: key not found"));
    expect(lib.Map.get(MeshMap.fromPairs([["x", L()]]), "y", List.empty)).toBe(List.empty);
  });
  it("from_list: later duplicates win, first position kept; collect", () => {
    expect(t(lib.Map.from_list(L(["a", 1], ["b", 0], ["a", 2])))).toBe("%{a => 2, b => 0}");
    expect(t(lib.Map.collect(lib.Iter.enumerate(lib.Iter.from(L("p")))))).toBe("%{0 => p}");
    expect(t(lib.Map.from_list(lib.List.zip(L(3, 1, 2), L(9, 1, 4))))).toBe("%{3 => 9, 1 => 1, 2 => 4}");
  });
  it("merge of two versions of one store", () => {
    const a = MeshMap.fromPairs([["x", 1]]);
    const b = a.put("y", 2).put("x", 5);
    expect(t(lib.Map.merge(a, b))).toBe("%{x => 5, y => 2}");
    expect(t(lib.Map.merge(b, a))).toBe("%{x => 1, y => 2}");
  });
});

describe("Set module (A8)", () => {
  it("works", () => {
    let s = lib.Set.from_list(L(3, 1, 3, 2, 1));
    expect(t(s)).toBe("#{3, 1, 2}");
    s = lib.Set.remove(lib.Set.add(s, 5), 1);
    expect(`${lib.Set.size(s)} ${lib.Set.contains(s, 1)} ${lib.Set.contains(s, 5)}`).toBe("3 false true");
    const u = lib.Set.from_list(L(2, 5, 7));
    expect(t(lib.Set.union(s, u))).toBe("#{3, 2, 5, 7}");
    expect(t(lib.Set.intersection(s, u))).toBe("#{2, 5}");
    expect(t(lib.Set.difference(s, u))).toBe("#{3}");
    expect(t(lib.Set.to_list(u))).toBe("[2, 5, 7]");
    expect(lib.Set.size(lib.Set.add(lib.Set.add(lib.Set.new(), "ops"), "ops"))).toBe(1);
    expect(lib.Set.size(lib.Set.collect(lib.Iter.from(L(1, 1))))).toBe(1);
    expect(t(lib.Set.union(lib.Set.from_list(L(1, 2)), lib.Set.from_list(L(2, 3))))).toBe("#{1, 2, 3}");
    expect(eq(lib.Set.from_list(L([1, 2])), lib.Set.from_list(L([1, 2], [1, 2])))).toBe(true);
  });
  it("agrees with a naive model (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 9 })), fc.array(fc.integer({ min: 0, max: 9 })), (a, b) => {
        const dedup = (xs: number[]) => xs.filter((x, i) => xs.indexOf(x) === i);
        const sa = lib.Set.from_list(List.fromArray(a));
        const sb = lib.Set.from_list(List.fromArray(b));
        expect(sa.keyArray()).toEqual(dedup(a));
        expect(lib.Set.union(sa, sb).keyArray()).toEqual(dedup([...a, ...b]));
        expect(lib.Set.intersection(sa, sb).keyArray()).toEqual(dedup(a).filter((x) => b.includes(x)));
        expect(lib.Set.difference(sa, sb).keyArray()).toEqual(dedup(a).filter((x) => !b.includes(x)));
      }),
    );
  });
});

describe("Queue, Range, Tuple (A8)", () => {
  it("Queue", () => {
    const q = lib.Queue.push(lib.Queue.push(lib.Queue.push(lib.Queue.new(), 10), 20), 30);
    expect(`${lib.Queue.size(q)} ${lib.Queue.peek(q)} ${lib.Queue.is_empty(q)}`).toBe("3 10 false");
    const popped = lib.Queue.pop(q);
    const rest = lib.Tuple.second(popped) as typeof q;
    expect(`${lib.Tuple.first(popped)} ${lib.Queue.size(rest)} ${lib.Queue.peek(rest)}`).toBe("10 2 20");
    expect(lib.Queue.size(q)).toBe(3);
    const q2 = lib.Queue.push(rest, 40);
    const q3 = lib.Queue.push(rest, 50);
    expect(t(q2) + " " + t(q3) + " " + t(q)).toBe("Queue(20, 30, 40) Queue(20, 30, 50) Queue(10, 20, 30)");
    expect(lib.Queue.is_empty(lib.Queue.new())).toBe(true);
    expect(() => lib.Queue.pop(lib.Queue.new())).toThrow(new MeshPanic("Queue.pop: empty queue"));
    expect(() => lib.Queue.peek(lib.Queue.new())).toThrow(MeshPanic);
    expect(eq(q2, lib.Queue.push(lib.Queue.push(lib.Queue.push(lib.Queue.new(), 20), 30), 40))).toBe(true);
  });
  it("Range", () => {
    const r = lib.Range.new(2, 6);
    expect(`${lib.Range.length(r)} ${t(lib.Range.to_list(r))}`).toBe("4 [2, 3, 4, 5]");
    expect(t(lib.Range.map(r, (i: number) => i * i))).toBe("[4, 9, 16, 25]");
    expect(t(lib.Range.filter(r, (i: number) => i % 2 === 1))).toBe("[3, 5]");
    expect(`${lib.Range.length(lib.Range.new(5, 1))} ${t(lib.Range.to_list(lib.Range.new(5, 1)))}`).toBe("0 []");
    expect(t(r)).toBe("2..6");
    expect([...new Range(1, 4)]).toEqual([1, 2, 3]);
  });
  it("Tuple", () => {
    expect(lib.Tuple.first([1, "x"])).toBe(1);
    expect(lib.Tuple.second([1, "x"])).toBe("x");
    expect(lib.Tuple.nth([5, 6], 1)).toBe(6);
    expect(lib.Tuple.size([1, 2, 3])).toBe(3);
    expect(() => lib.Tuple.nth([5, 6], 3)).toThrow(new MeshPanic("Tuple.nth: index 3 out of bounds (size 2)"));
  });
});

describe("prelude", () => {
  it("list helpers and compare", () => {
    const squares = lib.prelude.map(lib.prelude.filter(L(1, 2, 3, 4, 5, 6), (x: number) => x % 2 === 0), (x: number) => x * x);
    expect(`${t(squares)} ${lib.prelude.reduce(squares, 0, (a: number, x: number) => a + x)} ${lib.prelude.head(squares)} ${t(lib.prelude.tail(squares))}`).toBe("[4, 16, 36] 56 4 [16, 36]");
    expect(t(lib.prelude.compare("b", "a"))).toBe("Greater");
    expect(lib.prelude.default(0)).toBe(0);
    expect(() => lib.prelude.panic("boom")).toThrow(new MeshPanic("boom"));
    expect(new Some(1)).toEqual(new Some(1));
  });
});
