import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { List } from "../../../runtime/core/list.js";
import { MeshPanic } from "../../../runtime/core/panic.js";

const arr = <T>(l: List<T>): T[] => [...l];

describe("List", () => {
  it("appends in place only when the window ends at the backing array's end", () => {
    const a = List.fromArray([1, 2, 3]);
    const b = a.append(4);
    const c = a.append(5); // a is no longer at the end: copies
    expect(arr(a)).toEqual([1, 2, 3]);
    expect(arr(b)).toEqual([1, 2, 3, 4]);
    expect(arr(c)).toEqual([1, 2, 3, 5]);
    expect(b.arr).toBe(a.arr);
    expect(c.arr).not.toBe(a.arr);
    const d = b.append(6);
    expect(arr(d)).toEqual([1, 2, 3, 4, 6]);
    expect(arr(b)).toEqual([1, 2, 3, 4]);
  });

  it("has O(1) tail and windows", () => {
    const a = List.fromArray([1, 2, 3]);
    const t = a.tail();
    expect(t.arr).toBe(a.arr);
    expect(arr(t)).toEqual([2, 3]);
    expect(arr(t.tail().tail())).toEqual([]);
    expect(t.tail().tail()).toBe(List.empty);
    // appending to a tail that ends at the array end is fine and invisible to `a`
    const t2 = t.append(9);
    expect(arr(t2)).toEqual([2, 3, 9]);
    expect(arr(a)).toEqual([1, 2, 3]);
    expect(arr(a.window(0, 2).append(7))).toEqual([1, 2, 7]);
    expect(arr(a)).toEqual([1, 2, 3]);
  });

  it("concat reuses the left array when it may, also for xs ++ xs", () => {
    const a = List.fromArray([1, 2]);
    const b = a.concat(a);
    expect(arr(b)).toEqual([1, 2, 1, 2]);
    expect(arr(a)).toEqual([1, 2]);
    expect(arr(a.concat(List.fromArray([3])))).toEqual([1, 2, 3]);
    expect(a.concat(List.empty)).toBe(a);
    expect(List.empty.concat(a)).toBe(a);
  });

  it("checked indexing raises the §4.17 message", () => {
    const a = List.fromArray([10, 20]);
    expect(a.at(1)).toBe(20);
    expect(() => a.at(2)).toThrow(new MeshPanic("index out of bounds: 2 (length 2)"));
    expect(() => a.at(-1)).toThrow("index out of bounds: -1 (length 2)");
  });

  it("toArray shares a full backing array and copyArray never does", () => {
    const a = List.fromArray([1, 2, 3]);
    expect(a.toArray()).toBe(a.arr);
    expect(a.copyArray()).not.toBe(a.arr);
    expect(a.tail().toArray()).toEqual([2, 3]);
  });

  it("agrees with an array model under random appends/tails/concats on any version", () => {
    type Op = { k: "append"; v: number; x: number } | { k: "tail"; v: number } | { k: "concat"; v: number; w: number } | { k: "drop"; v: number; n: number };
    const op: fc.Arbitrary<Op> = fc.oneof(
      fc.record({ k: fc.constant("append" as const), v: fc.nat(), x: fc.integer() }),
      fc.record({ k: fc.constant("tail" as const), v: fc.nat() }),
      fc.record({ k: fc.constant("concat" as const), v: fc.nat(), w: fc.nat() }),
      fc.record({ k: fc.constant("drop" as const), v: fc.nat(), n: fc.nat(5) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 120 }), (ops) => {
        const lists: List<number>[] = [List.empty];
        const model: number[][] = [[]];
        for (const o of ops) {
          const i = o.v % lists.length;
          if (o.k === "append") {
            lists.push(lists[i].append(o.x));
            model.push([...model[i], o.x]);
          } else if (o.k === "tail") {
            if (model[i].length === 0) continue;
            lists.push(lists[i].tail());
            model.push(model[i].slice(1));
          } else if (o.k === "concat") {
            const j = o.w % lists.length;
            lists.push(lists[i].concat(lists[j]));
            model.push([...model[i], ...model[j]]);
          } else {
            const n = Math.min(o.n, model[i].length);
            lists.push(lists[i].window(n, lists[i].length));
            model.push(model[i].slice(n));
          }
          // every version still shows its own contents
          for (let k = 0; k < lists.length; k++) {
            expect(lists[k].length).toBe(model[k].length);
            expect(arr(lists[k])).toEqual(model[k]);
          }
        }
      }),
      { numRuns: 150 },
    );
  });
});
