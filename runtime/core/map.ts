// MeshMap<K, V>: the immutable, insertion-ordered map behind `%{...}` literals and the Map module
// (language.md §7.4, stdlib.md §6); the shared `Table` machinery also backs MeshSet (set.ts).
//
// Design: "version trees over one mutable store" (Baker's trick for persistent arrays), with runs
// of insertions collapsed the way List collapses appends.
// - A Store holds one state in mutable form: slots (keys/vals arrays in insertion order, deleted
//   slots hold TOMB) plus an index from key to slot (a JS Map for primitive keys and atoms; a
//   hash -> slot(s) Map plus eq() for tuples, structs, variants, lists, ...).
// - A Cell is a node of the version tree. The store currently holds the state of its *root* cell
//   (`next === null`); every other cell records `next` and the one-step diff that turns `next`'s
//   state into its own.
// - A map value (Table) is a *prefix* of a cell's state: (cell, slots, size) sees the cell's
//   slots below `slots`. Inserting a new key into a table whose prefix covers all of its root
//   cell's slots appends in place and returns (same cell, slots + 1): no diff, no new cell, so a
//   loop of inserts allocates only the small table objects. Replacements and deletions make a new
//   root cell and turn the old one into a diff (SETV / REVIVE); inserting into a shorter prefix
//   first cuts the later slots off (CUT, whose inverse re-appends them).
// - Reading or updating a table whose cell is not the root first "reroots" the store: it walks
//   the diff chain and applies the diffs, reversing them. Any version can always be used and
//   always shows its own contents; linear use (loops, reduce, state threading) never reroots.
//   Diffs point from older cells to newer ones, so plain insert loops leave no chains behind
//   for the garbage collector to drag along.
//
// Safety valves:
// - a store accepts at most 4*size + 64 in-place replacements/deletions/cut slots; the next one
//   copies the live entries into a fresh, compacted store. This bounds the history an old version
//   can keep alive (insertions need no budget: what they leave behind is the map itself); a store
//   whose deleted slots outnumber the live ones is compacted the same way;
// - rerooting more than 32 + size/8 steps away copies the store instead (so alternating between
//   two distant versions costs one copy instead of a long walk each time);
// - iteration with callbacks and binary operations work on snapshots (entryArrays/keyArray) or
//   re-check the root before each step, because a callback may touch another version.
import { Atom } from "./meta.js";
import { eq, K_MAP, NOT_FOUND } from "./equality.js";
import { hash } from "./hash.js";
import { List } from "./list.js";
import { panic } from "./panic.js";

export { NOT_FOUND } from "./equality.js";

const TOMB: unique symbol = Symbol("deleted");

// A diff turns `next`'s state into this cell's state in three steps: cut the slots from `cutAt`
// on (the next cell's own later slots, or slots appended after it became the root), apply one
// point change to a slot below `cutAt`, append the saved tail slots `tk`/`tv`. Cutting first keeps
// every intermediate state free of duplicate keys, which the index relies on.
const OP_NONE = 0;
const OP_SETV = 3; // vals[slot] = dv
const OP_KILL = 4; // slot deleted
const OP_REVIVE = 5; // slot restored to (dk, dv)

function isPrimKey(k: unknown): boolean {
  return typeof k !== "object" || k === null || k instanceof Atom;
}

export class Store {
  declare keys: unknown[];
  declare vals: unknown[] | null; // null for sets
  declare prim: Map<unknown, number>;
  declare hashed: Map<number, number | number[]> | null;
  declare live: number;
  declare budget: number;
  constructor(isMap: boolean) {
    this.keys = [];
    this.vals = isMap ? [] : null;
    this.prim = new Map();
    this.hashed = null;
    this.live = 0;
    this.budget = 64;
  }
}

export function storeFind(st: Store, k: unknown): number {
  if (isPrimKey(k)) {
    const s = st.prim.get(k);
    return s === undefined ? -1 : s;
  }
  const hm = st.hashed;
  if (hm === null) return -1;
  const b = hm.get(hash(k));
  if (b === undefined) return -1;
  if (typeof b === "number") return eq(st.keys[b], k) ? b : -1;
  for (let i = 0; i < b.length; i++) if (eq(st.keys[b[i]], k)) return b[i];
  return -1;
}

function indexAdd(st: Store, k: unknown, slot: number): void {
  if (isPrimKey(k)) {
    st.prim.set(k, slot);
    return;
  }
  const hm = st.hashed ?? (st.hashed = new Map());
  const h = hash(k);
  const b = hm.get(h);
  if (b === undefined) hm.set(h, slot);
  else if (typeof b === "number") hm.set(h, [b, slot]);
  else b.push(slot);
}

function indexRemove(st: Store, k: unknown, slot: number): void {
  if (isPrimKey(k)) {
    st.prim.delete(k);
    return;
  }
  const hm = st.hashed!;
  const h = hash(k);
  const b = hm.get(h);
  if (typeof b === "number") hm.delete(h);
  else if (b !== undefined) {
    const i = b.indexOf(slot);
    if (i >= 0) b.splice(i, 1);
    if (b.length === 1) hm.set(h, b[0]);
  }
}

/** Appends a new slot (the key must be absent). */
export function storePush(st: Store, k: unknown, v: unknown): void {
  const slot = st.keys.length;
  st.keys.push(k);
  if (st.vals !== null) st.vals.push(v);
  indexAdd(st, k, slot);
  st.live++;
}

/** put semantics on a store nobody else sees (builders). */
export function storePut(st: Store, k: unknown, v: unknown): void {
  const s = storeFind(st, k);
  if (s < 0) storePush(st, k, v);
  else if (st.vals !== null) st.vals[s] = v;
}

/** A compacted copy of the live entries. */
function compactCopy(st: Store): Store {
  const n = new Store(st.vals !== null);
  const keys = st.keys;
  const vals = st.vals;
  if (st.live === keys.length) {
    n.keys = keys.slice();
    if (vals !== null) n.vals = vals.slice();
    n.prim = new Map(st.prim);
    if (st.hashed !== null) {
      const hm = new Map<number, number | number[]>();
      for (const [h, b] of st.hashed) hm.set(h, typeof b === "number" ? b : b.slice());
      n.hashed = hm;
    }
    n.live = st.live;
  } else {
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i];
      if (k !== TOMB) storePush(n, k, vals === null ? undefined : vals[i]);
    }
  }
  n.budget = 4 * n.live + 64;
  return n;
}

/** An exact copy (same slot layout, so iterators holding slot numbers stay valid). */
function layoutCopy(st: Store): Store {
  if (st.live === st.keys.length) return compactCopy(st);
  const n = new Store(st.vals !== null);
  n.keys = st.keys.slice();
  if (st.vals !== null) n.vals = st.vals.slice();
  n.prim = new Map(st.prim);
  if (st.hashed !== null) {
    const hm = new Map<number, number | number[]>();
    for (const [h, b] of st.hashed) hm.set(h, typeof b === "number" ? b : b.slice());
    n.hashed = hm;
  }
  n.live = st.live;
  n.budget = 4 * n.live + 64;
  return n;
}

/** A node of the version tree (see the file comment). Private to this file and set.ts. */
export class Cell {
  declare store: Store | null; // the store, while this cell is the root
  declare next: Cell | null;
  // the diff (when next !== null)
  declare cutAt: number;
  declare op: number;
  declare slot: number;
  declare dk: unknown;
  declare dv: unknown;
  declare tk: unknown[] | null;
  declare tv: unknown[] | null;
  constructor(store: Store) {
    this.store = store;
    this.next = null;
    this.cutAt = 0;
    this.op = OP_NONE;
    this.slot = 0;
    this.dk = undefined;
    this.dv = undefined;
    this.tk = null;
    this.tv = null;
  }
}

function killSlot(st: Store, s: number, k: unknown): void {
  indexRemove(st, k, s);
  st.keys[s] = TOMB;
  if (st.vals !== null) st.vals[s] = undefined;
  st.live--;
}

// Removes the slots from `from` on; returns them (null when there were none).
function cutSlots(st: Store, from: number): { keys: unknown[]; vals: unknown[] | null } | null {
  if (st.keys.length <= from) return null;
  const keys = st.keys.slice(from);
  const vals = st.vals === null ? null : st.vals.slice(from);
  for (let i = keys.length - 1; i >= 0; i--) {
    const k = keys[i];
    if (k !== TOMB) {
      indexRemove(st, k, from + i);
      st.live--;
    }
  }
  st.keys.length = from;
  if (st.vals !== null) st.vals.length = from;
  return { keys, vals };
}

function appendSlots(st: Store, keys: unknown[], vals: unknown[] | null): void {
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i];
    const slot = st.keys.length;
    st.keys.push(k);
    if (st.vals !== null) st.vals.push(vals === null ? undefined : vals[i]);
    if (k !== TOMB) {
      indexAdd(st, k, slot);
      st.live++;
    }
  }
}

// Applies w's diff to st (which holds w.next's state). With `inv`, records the inverse diff in
// it (inv = w.next, which then points back: inv.next === w); without, leaves the cells untouched
// (building a private copy).
function applyDiff(st: Store, w: Cell, inv: Cell | null): void {
  const s = w.slot;
  const removed = cutSlots(st, w.cutAt);
  let op = OP_NONE;
  let dk: unknown = undefined;
  let dv: unknown = undefined;
  switch (w.op) {
    case OP_SETV: {
      const vals = st.vals!;
      dv = vals[s];
      vals[s] = w.dv;
      op = OP_SETV;
      break;
    }
    case OP_KILL: {
      dk = st.keys[s];
      dv = st.vals === null ? undefined : st.vals[s];
      killSlot(st, s, dk);
      op = OP_REVIVE;
      break;
    }
    case OP_REVIVE: {
      st.keys[s] = w.dk;
      if (st.vals !== null) st.vals[s] = w.dv;
      indexAdd(st, w.dk, s);
      st.live++;
      dk = w.dk;
      op = OP_KILL;
      break;
    }
  }
  if (w.tk !== null) appendSlots(st, w.tk, w.tv);
  if (inv === null) return;
  inv.cutAt = w.cutAt;
  inv.op = op;
  inv.slot = s;
  inv.dk = dk;
  inv.dv = dv;
  inv.tk = removed === null ? null : removed.keys;
  inv.tv = removed === null ? null : removed.vals;
  inv.next = w;
  inv.store = null;
  w.op = OP_NONE;
  w.dk = undefined;
  w.dv = undefined;
  w.tk = null;
  w.tv = null;
}

/** Turns root cell c into a diff towards the new root nc (c keeps the diff's fields as set). */
function demote(c: Cell, nc: Cell): void {
  c.next = nc;
  c.store = null;
}

/** Makes `c` the root of its store (rerooting or copying); returns the store. */
function rootOf(c: Cell, size: number): Store {
  const path: Cell[] = [];
  let u: Cell = c;
  while (u.next !== null) {
    path.push(u);
    u = u.next;
  }
  const st = u.store!;
  if (path.length > 32 + (size >>> 3)) {
    // Far away: build this cell's state in a copy instead of rewinding the shared store.
    const copy = layoutCopy(st);
    for (let i = path.length - 1; i >= 0; i--) applyDiff(copy, path[i], null);
    copy.budget = 4 * copy.live + 64;
    c.next = null;
    c.store = copy;
    c.op = OP_NONE;
    c.dk = undefined;
    c.dv = undefined;
    c.tk = null;
    c.tv = null;
    return copy;
  }
  for (let i = path.length - 1; i >= 0; i--) {
    const w = path[i];
    applyDiff(st, w, w.next!);
    w.next = null;
    w.store = st;
  }
  return st;
}

/**
 * One map or set value: the first `slots` slots of `cell`'s state, holding `size` live entries.
 * Fields other than `size` are private to this file and set.ts.
 */
export abstract class Table {
  // Plain assignments in the constructor (not class-field definitions): a table is allocated on
  // every update, and this keeps construction cheap.
  /** @internal */ declare cell: Cell | null; // null: the empty table
  /** @internal */ declare slots: number;
  declare readonly size: number;

  constructor(cell: Cell | null, slots: number, size: number) {
    this.cell = cell;
    this.slots = slots;
    this.size = size;
  }

  /** @internal */ protected abstract spawn(cell: Cell | null, slots: number, size: number): this;
  /** @internal */ abstract isMapTable(): boolean;

  /** @internal Makes this table's cell the root; returns the store (null for an empty table). */
  root(): Store | null {
    const c = this.cell;
    if (c === null) return null;
    return c.next === null ? c.store : rootOf(c, this.size);
  }

  /** @internal The slot of k in this table, or -1. */
  findSlot(k: unknown): number {
    const st = this.root();
    if (st === null) return -1;
    const s = storeFind(st, k);
    return s < this.slots ? s : -1;
  }

  has(k: unknown): boolean {
    return this.findSlot(k) >= 0;
  }

  /** @internal A new version with k -> v (replacing in place, or appended). */
  putEntry(k: unknown, v: unknown): this {
    const c = this.cell;
    if (c === null) {
      const st = new Store(this.isMapTable());
      storePush(st, k, v);
      return this.spawn(new Cell(st), 1, 1);
    }
    let st = c.next === null ? c.store! : rootOf(c, this.size);
    const n = this.slots;
    let s: number;
    if (typeof k !== "object" || k === null || k instanceof Atom) {
      const found = st.prim.get(k);
      s = found === undefined || found >= n ? -1 : found;
      if (s < 0 && st.keys.length === n) {
        // The fast path: a new key at the end of the root cell's slots. No diff is needed, as
        // every other table on this cell sees a shorter prefix.
        st.keys.push(k);
        if (st.vals !== null) st.vals.push(v);
        st.prim.set(k, n);
        st.live++;
        return this.spawn(c, n + 1, this.size + 1);
      }
    } else {
      s = storeFind(st, k);
      if (s >= n) s = -1;
      if (s < 0 && st.keys.length === n) {
        storePush(st, k, v);
        return this.spawn(c, n + 1, this.size + 1);
      }
    }
    if (s < 0) {
      // A new key for this table, but later slots of the cell belong to other tables: cut them
      // off (remembering them in the old cell), then append.
      const extra = st.keys.length - n;
      if (st.budget < extra) {
        st = compactPrefix(st, n);
        storePush(st, k, v);
        return this.spawn(new Cell(st), st.keys.length, this.size + 1);
      }
      st.budget -= extra;
      const cut = cutSlots(st, n)!;
      const nc = new Cell(st);
      c.cutAt = n;
      c.tk = cut.keys;
      c.tv = cut.vals;
      demote(c, nc);
      storePush(st, k, v);
      return this.spawn(nc, n + 1, this.size + 1);
    }
    // An existing key: replace its value.
    if (st.vals === null || st.vals[s] === v) return this;
    if (st.budget <= 0) {
      st = compactPrefix(st, n);
      storePut(st, k, v);
      return this.spawn(new Cell(st), st.keys.length, this.size);
    }
    st.budget--;
    const nc = new Cell(st);
    c.cutAt = st.keys.length;
    c.op = OP_SETV;
    c.slot = s;
    c.dv = st.vals[s];
    demote(c, nc);
    st.vals[s] = v;
    return this.spawn(nc, n, this.size);
  }

  /** @internal A new version without k. */
  removeEntry(k: unknown): this {
    const c = this.cell;
    if (c === null) return this;
    let st = c.next === null ? c.store! : rootOf(c, this.size);
    const n = this.slots;
    const s = storeFind(st, k);
    if (s < 0 || s >= n) return this;
    if (this.size === 1) return this.spawn(null, 0, 0);
    const dead = st.keys.length - st.live;
    if (st.budget <= 0 || dead > st.live + 32) {
      st = compactPrefix(st, n);
      killSlot(st, storeFind(st, k), k);
      return this.spawn(new Cell(st), st.keys.length, this.size - 1);
    }
    st.budget--;
    const nc = new Cell(st);
    c.cutAt = st.keys.length;
    c.op = OP_REVIVE;
    c.slot = s;
    c.dk = st.keys[s];
    c.dv = st.vals === null ? undefined : st.vals[s];
    demote(c, nc);
    killSlot(st, s, k);
    return this.spawn(nc, n, this.size - 1);
  }

  /** Keys in order, as a fresh array. */
  keyArray(): unknown[] {
    const st = this.root();
    if (st === null) return [];
    const keys = st.keys;
    const n = this.slots;
    if (st.live === keys.length) return n === keys.length ? keys.slice() : keys.slice(0, n);
    const out: unknown[] = [];
    for (let i = 0; i < n; i++) if (keys[i] !== TOMB) out.push(keys[i]);
    return out;
  }

  /** Keys and values in order, as fresh arrays (a snapshot safe against callbacks). */
  entryArrays(): { keys: unknown[]; vals: unknown[] } {
    const st = this.root();
    if (st === null) return { keys: [], vals: [] };
    const keys = st.keys;
    const vals = st.vals ?? keys;
    const n = this.slots;
    if (st.live === keys.length) return { keys: keys.slice(0, n), vals: vals.slice(0, n) };
    const ok: unknown[] = [];
    const ov: unknown[] = [];
    for (let i = 0; i < n; i++) {
      if (keys[i] !== TOMB) {
        ok.push(keys[i]);
        ov.push(vals[i]);
      }
    }
    return { keys: ok, vals: ov };
  }

  forEachKey(f: (k: unknown) => void): void {
    const ks = this.keyArray();
    for (let i = 0; i < ks.length; i++) f(ks[i]);
  }

  forEachPair(f: (k: unknown, v: unknown) => void): void {
    const { keys, vals } = this.entryArrays();
    for (let i = 0; i < keys.length; i++) f(keys[i], vals[i]);
  }

  /** @internal Slot-stable cursor: the next live slot >= i of this table, or -1 (re-roots first). */
  nextSlot(i: number): number {
    const st = this.root();
    if (st === null) return -1;
    const keys = st.keys;
    const n = this.slots;
    while (i < n) {
      if (keys[i] !== TOMB) return i;
      i++;
    }
    return -1;
  }

  /** @internal The store after nextSlot/root (valid until another table of the store is used). */
  currentStore(): Store {
    return this.cell!.store!;
  }
}

/** A compacted copy of the live entries among the first n slots. */
function compactPrefix(st: Store, n: number): Store {
  if (n === st.keys.length) return compactCopy(st);
  const out = new Store(st.vals !== null);
  const keys = st.keys;
  const vals = st.vals;
  for (let i = 0; i < n; i++) {
    const k = keys[i];
    if (k !== TOMB) storePush(out, k, vals === null ? undefined : vals[i]);
  }
  out.budget = 4 * out.live + 64;
  return out;
}

export class MeshMap<K = unknown, V = unknown> extends Table {
  constructor(cell: Cell | null, slots: number, size: number) {
    super(cell, slots, size);
  }
  static readonly empty: MeshMap<never, never> = new MeshMap<never, never>(null, 0, 0);

  protected spawn(cell: Cell | null, slots: number, size: number): this {
    return new MeshMap<K, V>(cell, slots, size) as this;
  }
  isMapTable(): boolean {
    return true;
  }

  /** Wraps a store that nobody else references. */
  static fromStore<K, V>(st: Store): MeshMap<K, V> {
    if (st.live === 0) return MeshMap.empty as MeshMap<K, V>;
    st.budget = 4 * st.live + 64;
    return new MeshMap<K, V>(new Cell(st), st.keys.length, st.live);
  }

  /** Map literal / from_list: entries inserted left to right, a repeated key keeps its first position. */
  static fromPairs<K, V>(pairs: ArrayLike<readonly [K, V] | unknown[]>): MeshMap<K, V> {
    const st = new Store(true);
    for (let i = 0; i < pairs.length; i++) {
      const p = pairs[i] as unknown[];
      storePut(st, p[0], p[1]);
    }
    return MeshMap.fromStore(st);
  }

  /** Like fromPairs with parallel arrays. */
  static fromArrays<K, V>(keys: ArrayLike<K>, vals: ArrayLike<V>): MeshMap<K, V> {
    const st = new Store(true);
    for (let i = 0; i < keys.length; i++) storePut(st, keys[i], vals[i]);
    return MeshMap.fromStore(st);
  }

  /** The value for k, or NOT_FOUND. */
  lookup(k: K | unknown): V | typeof NOT_FOUND {
    const c = this.cell;
    if (c === null) return NOT_FOUND;
    const st = c.next === null ? c.store! : rootOf(c, this.size);
    let s: number | undefined;
    if (typeof k !== "object" || k === null || k instanceof Atom) {
      s = st.prim.get(k);
      if (s === undefined || s >= this.slots) return NOT_FOUND;
    } else {
      s = storeFind(st, k);
      if (s < 0 || s >= this.slots) return NOT_FOUND;
    }
    return st.vals![s] as V;
  }

  /** `m[k]` (language.md §4.17). */
  at(k: K): V {
    const v = this.lookup(k);
    return v === NOT_FOUND ? panic("key not found") : v;
  }

  put(k: K, v: V): MeshMap<K, V> {
    return this.putEntry(k, v);
  }

  delete(k: K): MeshMap<K, V> {
    return this.removeEntry(k);
  }

  keys(): List<K> {
    return List.fromArray(this.keyArray() as K[]);
  }

  values(): List<V> {
    return List.fromArray(this.entryArrays().vals as V[]);
  }

  /** Entries as 2-tuples (JS arrays), in order. */
  pairs(): [K, V][] {
    const { keys, vals } = this.entryArrays();
    const out = new Array<[K, V]>(keys.length);
    for (let i = 0; i < keys.length; i++) out[i] = [keys[i] as K, vals[i] as V];
    return out;
  }

  /** Iterates [key, value] tuples in insertion order (`for {k, v} in m`). */
  [Symbol.iterator](): Iterator<[K, V]> {
    return new TableIterator<[K, V]>(this, true);
  }

  override toString(): string {
    return `[Map of ${this.size}]`;
  }
}
Object.defineProperty(MeshMap.prototype, "$k", { value: K_MAP });

/** Slot-stable iterator: re-roots before every step, so callbacks may use other versions. */
export class TableIterator<T> implements Iterator<T> {
  private i = 0;
  constructor(
    private readonly t: Table,
    private readonly pairs: boolean,
  ) {}
  next(): IteratorResult<T> {
    const s = this.t.nextSlot(this.i);
    if (s < 0) return { value: undefined, done: true };
    this.i = s + 1;
    const st = this.t.currentStore();
    const value = this.pairs ? [st.keys[s], st.vals![s]] : st.keys[s];
    return { value: value as T, done: false };
  }
  [Symbol.iterator](): Iterator<T> {
    return this;
  }
}

export function isMap(v: unknown): v is MeshMap {
  return v instanceof MeshMap;
}
