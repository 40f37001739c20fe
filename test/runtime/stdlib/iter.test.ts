import { describe, expect, it } from "vitest";
import * as lib from "../../../runtime/stdlib/index.js";
import { List } from "../../../runtime/core/list.js";
import { None } from "../../../runtime/core/builtin-types.js";
import { MeshPanic } from "../../../runtime/core/panic.js";
import { text } from "../../../runtime/core/text.js";
import { DONE, setSyncYieldHandler } from "../../../runtime/stdlib/index.js";

const L = <T>(...xs: T[]) => List.fromArray(xs);
const I = lib.Iter;

function drive<R>(g: Generator<unknown, R, unknown>): R {
  let s = g.next();
  while (!s.done) s = g.next();
  return s.value;
}

describe("Iter (stdlib.md §11)", () => {
  const nums = L(4, 9, 2, 7, 5, 8);
  it("A9 pipelines", () => {
    expect(text(lib.List.collect(I.filter(I.from(nums), (x: number) => x % 2 === 0)))).toBe("[4, 2, 8]");
    expect(I.sum(I.take(I.skip(I.map(I.from(nums), (x: number) => x + 1), 1), 3))).toBe(21);
    expect(text(I.find(I.from(nums), (x: number) => x > 6))).toBe("Some(9)");
    expect(text(lib.Map.collect(I.enumerate(I.from(L("p", "q")))))).toBe("%{0 => p, 1 => q}");
    expect(lib.String.collect(I.from(L("m", "e", "s", "h")))).toBe("mesh");
    const it = I.from(nums);
    expect(`${I.count(it)} ${I.count(it)}`).toBe("6 0");
    expect(I.reduce(I.from(L(1, 2, 3, 4)), 1, (a: number, x: number) => a * x)).toBe(24);
  });

  it("is lazy and single-pass", () => {
    const seen: number[] = [];
    const it = I.map(I.from(L(1, 2, 3, 4)), (x: number) => {
      seen.push(x);
      return x;
    });
    const first2 = I.take(it, 2);
    expect(seen).toEqual([]);
    expect(text(lib.List.collect(first2))).toBe("[1, 2]");
    expect(seen).toEqual([1, 2]); // take stops pulling after n
    expect(text(lib.List.collect(it))).toBe("[3, 4]");
    expect(I.take(I.from(L(1)), 0).next()).toBe(DONE);
    expect(I.count(I.skip(I.from(L(1, 2)), 5))).toBe(0);
    expect(I.count(I.skip(I.from(L(1, 2)), -1))).toBe(2);
  });

  it("terminal operations stop early and handle empties", () => {
    let pulled = 0;
    const src = I.map(I.from(L(1, 2, 3)), (x: number) => {
      pulled++;
      return x;
    });
    expect(I.any(src, (x: number) => x === 1)).toBe(true);
    expect(pulled).toBe(1);
    expect(I.all(I.from(L()), () => false)).toBe(true);
    expect(I.any(I.from(L()), () => true)).toBe(false);
    expect(I.all(I.from(L(1, 2)), (x: number) => x < 2)).toBe(false);
    expect(I.find(I.from(L(1)), () => false)).toBe(None);
    expect(I.sum(I.from(L()))).toBe(0);
    expect(text(lib.List.collect(I.zip(I.from(L(1, 2)), I.from(L("a")))))).toBe("[(1, a)]");
    expect(() => I.sum(I.from(L(Number.MAX_SAFE_INTEGER, 1)))).toThrow(new MeshPanic("integer overflow"));
  });

  it("supports JS iteration (for loops over iterators)", () => {
    expect([...I.map(I.from(L(1, 2)), (x: number) => x * 3)]).toEqual([3, 6]);
  });

  it("$g variants and generator callbacks", () => {
    const susp = function* (x: number): Generator<unknown, number, unknown> {
      yield "tick";
      return x * 10;
    };
    const it = drive(I.map$g(I.from(L(1, 2)), susp));
    expect(drive(I.reduce$g(it, 0, (a: number, x: number) => a + x))).toBe(30);
    expect(drive(lib.List.collect$g(drive(I.filter$g(I.from(L(1, 2, 3)), function* (x: number) {
      yield 0;
      return x > 1;
    }))))).toEqual(L(2, 3));
    expect(drive(I.count$g(I.from(L(1, 2))))).toBe(2);
    expect(drive(I.sum$g(I.from(L(1, 2))))).toBe(3);
    expect(drive(I.any$g(I.from(L(1, 2)), susp))).toBe(false);
    expect(text(drive(I.find$g(I.from(L(1, 2)), function* (x: number) {
      yield 0;
      return x === 2;
    })))).toBe("Some(2)");
    expect(drive(I.all$g(I.from(L(1, 2)), (x: number) => x > 0))).toBe(true);
    expect(drive(lib.String.collect$g(I.from(L("a", "b"))))).toBe("ab");
    expect(text(drive(lib.Set.collect$g(I.from(L(1, 1)))))).toBe("#{1}");
    expect(text(drive(lib.Map.collect$g(I.enumerate(I.from(L("x"))))))).toBe("%{0 => x}");
  });

  it("drives generator callbacks synchronously when pulled by a plain call", () => {
    const g = function* (x: number): Generator<unknown, number, unknown> {
      return x + 1; // completes without suspending
    };
    expect(text(lib.List.collect(I.map(I.from(L(1)), g)))).toBe("[2]");
    const blocking = function* (x: number): Generator<unknown, number, unknown> {
      yield "block";
      return x;
    };
    expect(() => lib.List.collect(I.map(I.from(L(1)), blocking))).toThrow(MeshPanic);
    setSyncYieldHandler(() => undefined); // e.g. the scheduler resuming after a preemption check
    try {
      expect(text(lib.List.collect(I.map(I.from(L(1)), blocking)))).toBe("[1]");
    } finally {
      setSyncYieldHandler(() => {
        throw new MeshPanic("cannot suspend here");
      });
    }
  });

  it("knows whether a pipeline has a suspending stage; pulls of plain pipelines never yield", () => {
    const gen = function* (x: number): Generator<unknown, number, unknown> {
      yield "tick";
      return x * 2;
    };
    const plain = I.take(I.filter(I.map(I.from(L(1, 2, 3)), (x: number) => x + 1), (x: number) => x > 2), 5);
    expect(plain.y).toBe(false);
    const mixed = I.skip(I.enumerate(I.map(I.from(L(1, 2, 3)), gen)), 1);
    expect(mixed.y).toBe(true);
    expect(I.zip(I.from(L(1)), I.map(I.from(L(1)), gen)).y).toBe(true);
    // a plain pipeline pulled through the generator form completes without yielding once
    const g = I.count$g(plain);
    const first = g.next();
    expect(first).toEqual({ done: true, value: 2 });
    // a suspending one yields what its stage yields, and resumes to the right result
    const yielded: unknown[] = [];
    const h = lib.List.collect$g(mixed);
    let step = h.next();
    while (!step.done) {
      yielded.push(step.value);
      step = h.next();
    }
    expect(yielded).toEqual(["tick", "tick", "tick"]);
    expect(text(step.value)).toBe("[(1, 4), (2, 6)]");
  });

  it("plain HOFs handed a generator callback run it to completion instead of keeping generator objects", () => {
    const double = function* (x: number): Generator<unknown, number, unknown> {
      return x * 2;
    };
    expect(text(lib.List.map(L(1, 2), double))).toBe("[2, 4]");
    expect(text(lib.List.filter(L(1, 2, 3), function* (x: number) {
      return x !== 2;
    }))).toBe("[1, 3]");
    expect(text(lib.List.sort(L(3, 1, 2), function* (a: number, b: number) {
      return a - b;
    }))).toBe("[1, 2, 3]");
    expect(lib.List.reduce(L(1, 2, 3), 0, function* (a: number, x: number) {
      return a + x;
    })).toBe(6);
    expect(text(lib.Range.map(lib.Range.new(0, 3), double))).toBe("[0, 2, 4]");
    // a callback that really suspends cannot be honoured by a plain call: a clear panic
    expect(() => lib.List.map(L(1), function* (x: number) {
      yield "block";
      return x;
    })).toThrow(MeshPanic);
  });
});
