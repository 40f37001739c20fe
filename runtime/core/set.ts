// MeshSet<T>: immutable set in first-insertion order (language.md §7.4, stdlib.md §7), sharing
// the versioned store of map.ts (keys only).
import { K_SET } from "./equality.js";
import { List } from "./list.js";
import { Cell, Store, storePut, Table, TableIterator } from "./map.js";

export class MeshSet<T = unknown> extends Table {
  constructor(cell: Cell | null, slots: number, size: number) {
    super(cell, slots, size);
  }
  static readonly empty: MeshSet<never> = new MeshSet<never>(null, 0, 0);

  protected spawn(cell: Cell | null, slots: number, size: number): this {
    return new MeshSet<T>(cell, slots, size) as this;
  }
  isMapTable(): boolean {
    return false;
  }

  static fromArray<T>(xs: ArrayLike<T>): MeshSet<T> {
    const st = new Store(false);
    for (let i = 0; i < xs.length; i++) storePut(st, xs[i], undefined);
    if (st.live === 0) return MeshSet.empty as MeshSet<T>;
    st.budget = 4 * st.live + 64;
    return new MeshSet<T>(new Cell(st), st.keys.length, st.live);
  }

  add(x: T): MeshSet<T> {
    return this.putEntry(x, undefined);
  }

  remove(x: T): MeshSet<T> {
    return this.removeEntry(x);
  }

  toList(): List<T> {
    return List.fromArray(this.keyArray() as T[]);
  }

  [Symbol.iterator](): Iterator<T> {
    return new TableIterator<T>(this, false);
  }

  override toString(): string {
    return `[Set of ${this.size}]`;
  }
}
Object.defineProperty(MeshSet.prototype, "$k", { value: K_SET });

export function isSet(v: unknown): v is MeshSet {
  return v instanceof MeshSet;
}
