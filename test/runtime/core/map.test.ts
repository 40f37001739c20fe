import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { MeshMap, NOT_FOUND } from "../../../runtime/core/map.js";
import { MeshSet } from "../../../runtime/core/set.js";
import { List } from "../../../runtime/core/list.js";
import { eq } from "../../../runtime/core/equality.js";
import { Atom } from "../../../runtime/core/meta.js";
import { None, Some } from "../../../runtime/core/builtin-types.js";
import { MeshPanic } from "../../../runtime/core/panic.js";
import { defStruct } from "./helpers.js";

const Pt = defStruct("Pt", ["x", "y"]);

function entries(m: MeshMap): [unknown, unknown][] {
  return m.pairs();
}

// A naive model: insertion-ordered association list compared with eq().
class Model {
  constructor(readonly es: [unknown, unknown][] = []) {}
  put(k: unknown, v: unknown): Model {
    const i = this.es.findIndex(([x]) => eq(x, k));
    if (i < 0) return new Model([...this.es, [k, v]]);
    const es = this.es.slice();
    es[i] = [es[i][0], v];
    return new Model(es);
  }
  del(k: unknown): Model {
    return new Model(this.es.filter(([x]) => !eq(x, k)));
  }
  get(k: unknown): unknown {
    const e = this.es.find(([x]) => eq(x, k));
    return e === undefined ? NOT_FOUND : e[1];
  }
}

const keyArb: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer({ min: -4, max: 12 }),
  fc.constantFrom("a", "b", "c", "é", "😀", ""),
  fc.tuple(fc.integer({ min: 0, max: 2 }), fc.constantFrom("x", "y")),
  fc.integer({ min: 0, max: 2 }).map((x) => Pt.make(x, x % 2)),
  fc.constantFrom(None, new Some(1), new Some(2)),
  fc.constantFrom(Atom.of("ok"), Atom.of("err")),
  fc.constantFrom(undefined, true, false),
  fc.integer({ min: 0, max: 2 }).map((n) => List.fromArray(Array.from({ length: n }, (_, i) => i))),
);

describe("MeshMap", () => {
  it("keeps insertion order, replaces in place, deletes keep order", () => {
    let m = MeshMap.fromPairs<string, number>([["b", 2], ["a", 1]]);
    m = m.put("c", 3).put("b", 20);
    expect(entries(m)).toEqual([["b", 20], ["a", 1], ["c", 3]]);
    const m2 = m.delete("b");
    expect(entries(m2)).toEqual([["a", 1], ["c", 3]]);
    expect(entries(m)).toEqual([["b", 20], ["a", 1], ["c", 3]]);
    expect(m2.put("b", 5).keyArray()).toEqual(["a", "c", "b"]);
    expect(m.delete("zz")).toBe(m);
    expect(MeshMap.fromPairs([["a", 1], ["a", 2]]).pairs()).toEqual([["a", 2]]);
  });

  it("treats structurally equal keys as one key", () => {
    const m = MeshMap.empty.put([1, "x"], "first").put([1, "x"], "second").put(Pt.make(1, 2), "p");
    expect(m.size).toBe(2);
    expect(m.lookup([1, "x"])).toBe("second");
    expect(m.lookup(Pt.make(1, 2))).toBe("p");
    expect(m.lookup(Pt.make(2, 1))).toBe(NOT_FOUND);
    expect(MeshMap.empty.put(-0, "z").lookup(0)).toBe("z");
  });

  it("m[k] panics with `key not found`", () => {
    expect(() => MeshMap.empty.at("x")).toThrow(new MeshPanic("key not found"));
  });

  it("every version keeps its contents under random operations on random versions", () => {
    type Op = { k: "put"; v: number; key: unknown; val: number } | { k: "del"; v: number; key: unknown } | { k: "get"; v: number; key: unknown };
    const op: fc.Arbitrary<Op> = fc.oneof(
      { weight: 5, arbitrary: fc.record({ k: fc.constant("put" as const), v: fc.nat(), key: keyArb, val: fc.integer({ min: 0, max: 5 }) }) },
      { weight: 2, arbitrary: fc.record({ k: fc.constant("del" as const), v: fc.nat(), key: keyArb }) },
      { weight: 2, arbitrary: fc.record({ k: fc.constant("get" as const), v: fc.nat(), key: keyArb }) },
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 150 }), fc.boolean(), (ops, linear) => {
        const maps: MeshMap[] = [MeshMap.empty];
        const models: Model[] = [new Model()];
        for (const o of ops) {
          // linear: mostly use the newest version (the fast path); otherwise any version
          const i = linear && o.v % 4 !== 0 ? maps.length - 1 : o.v % maps.length;
          if (o.k === "put") {
            maps.push(maps[i].put(o.key, o.val));
            models.push(models[i].put(o.key, o.val));
          } else if (o.k === "del") {
            maps.push(maps[i].delete(o.key));
            models.push(models[i].del(o.key));
          } else {
            expect(maps[i].lookup(o.key)).toEqual(models[i].get(o.key));
            expect(maps[i].has(o.key)).toBe(models[i].get(o.key) !== NOT_FOUND);
          }
        }
        for (let k = maps.length - 1; k >= 0; k--) {
          expect(maps[k].size).toBe(models[k].es.length);
          expect(entries(maps[k])).toEqual(models[k].es);
        }
        for (let k = 0; k < maps.length; k++) {
          for (const [key, v] of models[k].es) expect(maps[k].lookup(key)).toEqual(v);
          expect([...maps[k]]).toEqual(models[k].es);
        }
      }),
      {
        numRuns: Number(process.env.MAP_RUNS ?? 300),
        seed: process.env.MAP_SEED ? Number(process.env.MAP_SEED) : undefined,
        path: process.env.MAP_PATH,
        verbose: process.env.MAP_SEED ? 2 : 0,
      },
    );
  });

  it("survives long chains: far reroots copy, budgets fork, deletes compact", () => {
    let m = MeshMap.empty as MeshMap<number, number>;
    for (let i = 0; i < 300; i++) m = m.put(i, i);
    const base = m;
    // many replacements and deletions on the newest version while `base` stays alive
    const snaps: MeshMap<number, number>[] = [];
    for (let r = 0; r < 5000; r++) {
      m = r % 7 === 0 ? m.delete(r % 300) : m.put(r % 300, r);
      if (r % 500 === 0) snaps.push(m);
    }
    expect(base.size).toBe(300);
    for (let i = 0; i < 300; i++) expect(base.lookup(i)).toBe(i);
    expect(base.keyArray()).toEqual(Array.from({ length: 300 }, (_, i) => i));
    // alternate between distant versions
    for (let rep = 0; rep < 3; rep++) {
      for (const s of snaps) expect(s.size).toBeGreaterThan(0);
      expect(base.lookup(299)).toBe(299);
    }
    // the newest version still agrees with a recomputation
    const model = new Map<number, number>();
    for (let i = 0; i < 300; i++) model.set(i, i);
    for (let r = 0; r < 5000; r++) {
      if (r % 7 === 0) model.delete(r % 300);
      else if (model.has(r % 300)) model.set(r % 300, r);
      else model.set(r % 300, r);
    }
    expect(m.size).toBe(model.size);
    for (const [k, v] of model) expect(m.lookup(k)).toBe(v);
  });

  it("iterators see their own version even when the loop body updates the map", () => {
    const m = MeshMap.fromPairs<number, number>([[1, 1], [2, 2], [3, 3]]);
    const seen: unknown[] = [];
    let acc = m;
    for (const [k, v] of m) {
      acc = acc.put((k as number) + 10, v as number).delete(k as number);
      seen.push([k, v, m.size]);
    }
    expect(seen).toEqual([[1, 1, 3], [2, 2, 3], [3, 3, 3]]);
    expect(acc.keyArray()).toEqual([11, 12, 13]);
    expect(m.keyArray()).toEqual([1, 2, 3]);
  });
});

describe("MeshSet", () => {
  it("keeps first-insertion order and agrees with a model on random versions", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(), fc.boolean(), keyArb), { maxLength: 120 }), (ops) => {
        const sets: MeshSet[] = [MeshSet.empty];
        const models: unknown[][] = [[]];
        for (const [v, add, x] of ops) {
          const i = v % sets.length;
          sets.push(add ? sets[i].add(x) : sets[i].remove(x));
          const m = models[i];
          models.push(add ? (m.some((y) => eq(y, x)) ? m : [...m, x]) : m.filter((y) => !eq(y, x)));
        }
        for (let k = 0; k < sets.length; k++) {
          expect(sets[k].keyArray()).toEqual(models[k]);
          expect([...sets[k]]).toEqual(models[k]);
          for (const x of models[k]) expect(sets[k].has(x)).toBe(true);
        }
      }),
      { numRuns: 200 },
    );
  });

  it("fromArray drops duplicates keeping the first position", () => {
    expect(MeshSet.fromArray([3, 1, 3, 2, 1]).keyArray()).toEqual([3, 1, 2]);
    expect(MeshSet.fromArray([]).size).toBe(0);
  });
});
