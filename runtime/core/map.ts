// MeshMap<K, V>: the immutable, insertion-ordered map behind `%{...}` literals and the Map module
// (language.md §7.4, stdlib.md §6); the shared `Table` machinery also backs MeshSet (set.ts).
//
// Design: "version trees over one mutable store" (Baker's trick for persistent arrays).
// A Store holds the entries of ONE version in mutable form: slots (keys/vals arrays in insertion
// order, deleted slots hold TOMB) plus an index from key to slot (a JS Map for primitive keys and
// atoms; a hash -> slot(s) Map plus eq() for tuples, structs, variants, lists, ...).
// Every map value is a Table object. The version the store currently represents is its *root*
// (`next === null`); every other version records `next` and the one-step diff that turns `next`'s
// state into its own. `put` on the root mutates the store in place, in amortised O(1), and turns
// the old root into a diff pointing at the new one. Reading or updating an older version first
// "reroots" the store: it walks the diff chain and applies the diffs (reversing them), so any
// version can always be used and always shows its own contents; no operation ever changes what
// a value means. Linear use (the common case: loops, reduce, state threading) never reroots.
//
// Safety valves:
// - a store accepts at most 4*size + 64 in-place replacements/deletions; the next one then copies
//   the live entries into a fresh, compacted store. This bounds the history an old version can
//   keep alive (inserts need no budget: the history they leave is never larger than the map);
//   a store whose deleted slots outnumber the live ones is compacted the same way;
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

const OP_POP = 1; // this = next without its last slot
const OP_PUSH = 2; // this = next plus one appended slot (dk, dv)
const OP_SETV = 3; // this = next with vals[slot] = dv
const OP_KILL = 4; // this = next with slot deleted
const OP_REVIVE = 5; // this = next with slot restored to (dk, dv)

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

/**
 * One version of a table. Fields other than `size` are private to this file and set.ts.
 * Invariant: `next === null` => `store` is the store and currently holds exactly this version
 * (or `store === null` for the empty table).
 */
export abstract class Table {
  // Plain assignments in the constructor (not class-field definitions): versions are allocated on
  // every update, and this keeps their construction cheap.
  /** @internal */ declare store: Store | null;
  /** @internal */ declare next: Table | null;
  /** @internal */ declare op: number;
  /** @internal */ declare slot: number;
  /** @internal */ declare dk: unknown;
  /** @internal */ declare dv: unknown;
  declare readonly size: number;

  constructor(store: Store | null, size: number) {
    this.store = store;
    this.next = null;
    this.op = 0;
    this.slot = 0;
    this.dk = undefined;
    this.dv = undefined;
    this.size = size;
  }

  /** @internal */ protected abstract spawn(store: Store | null, size: number): this;

  /** Makes this version the root of its store; returns the store (null for an empty table). */
  /** @internal */ root(): Store | null {
    if (this.next === null) return this.store;
    return this.reroot();
  }

  private reroot(): Store {
    const path: Table[] = [];
    let u: Table = this;
    while (u.next !== null) {
      path.push(u);
      u = u.next;
    }
    const st = u.store!;
    if (path.length > 32 + (this.size >>> 3)) {
      // Far away: build this version in a copy instead of rewinding the shared store.
      const copy = layoutCopy(st);
      for (let i = path.length - 1; i >= 0; i--) applyDiff(copy, path[i]);
      copy.budget = 4 * copy.live + 64;
      this.next = null;
      this.store = copy;
      return copy;
    }
    for (let i = path.length - 1; i >= 0; i--) {
      const w = path[i];
      const nx = w.next!;
      invertInto(st, w, nx);
      w.next = null;
      w.store = st;
    }
    return st;
  }

  /** @internal */ findSlot(k: unknown): number {
    const st = this.root();
    return st === null ? -1 : storeFind(st, k);
  }

  has(k: unknown): boolean {
    return this.findSlot(k) >= 0;
  }

  /** @internal */ putEntry(k: unknown, v: unknown): this {
    const st0 = this.next === null ? this.store : this.root();
    if (st0 === null) {
      const st = new Store(this.isMapTable());
      storePush(st, k, v);
      return this.spawn(st, 1);
    }
    let st: Store = st0;
    let s: number;
    if (typeof k !== "object" || k === null || k instanceof Atom) {
      const found = st.prim.get(k);
      if (found === undefined) {
        // New key, primitive fast path. Inserts do not use up the budget: the history they leave
        // behind never exceeds the size of the map itself.
        const slot = st.keys.length;
        st.keys.push(k);
        if (st.vals !== null) st.vals.push(v);
        st.prim.set(k, slot);
        st.live++;
        const nv = this.spawn(st, this.size + 1);
        this.op = OP_POP;
        this.slot = slot;
        this.next = nv;
        return nv;
      }
      s = found;
    } else {
      s = storeFind(st, k);
      if (s < 0) {
        const slot = st.keys.length;
        storePush(st, k, v);
        const nv = this.spawn(st, this.size + 1);
        this.op = OP_POP;
        this.slot = slot;
        this.next = nv;
        return nv;
      }
    }
    // Existing key: replace the value in place.
    if (st.vals === null || st.vals[s] === v) return this;
    if (st.budget <= 0) {
      st = compactCopy(st);
      storePut(st, k, v);
      return this.spawn(st, this.size);
    }
    st.budget--;
    const old = st.vals[s];
    st.vals[s] = v;
    const nv = this.spawn(st, this.size);
    this.op = OP_SETV;
    this.slot = s;
    this.dv = old;
    this.next = nv;
    return nv;
  }

  /** @internal */ removeEntry(k: unknown): this {
    const st0 = this.root();
    if (st0 === null) return this;
    let st: Store = st0;
    const s = storeFind(st, k);
    if (s < 0) return this;
    if (this.size === 1) return this.spawn(null, 0);
    const dead = st.keys.length - st.live;
    if (st.budget <= 0 || dead > st.live + 32) {
      st = compactCopy(st);
      const s2 = storeFind(st, k);
      killSlot(st, s2, k);
      return this.spawn(st, this.size - 1);
    }
    st.budget--;
    const old = st.vals === null ? undefined : st.vals[s];
    killSlot(st, s, k);
    const nv = this.spawn(st, this.size - 1);
    this.op = OP_REVIVE;
    this.slot = s;
    this.dk = k;
    this.dv = old;
    this.next = nv;
    return nv;
  }

  /** @internal */ abstract isMapTable(): boolean;

  /** Keys in order, as a fresh array. */
  keyArray(): unknown[] {
    const st = this.root();
    if (st === null) return [];
    const keys = st.keys;
    if (st.live === keys.length) return keys.slice();
    const out: unknown[] = [];
    for (let i = 0; i < keys.length; i++) if (keys[i] !== TOMB) out.push(keys[i]);
    return out;
  }

  /** Keys and values in order, as fresh arrays (a snapshot safe against callbacks). */
  entryArrays(): { keys: unknown[]; vals: unknown[] } {
    const st = this.root();
    if (st === null) return { keys: [], vals: [] };
    const keys = st.keys;
    const vals = st.vals ?? keys;
    if (st.live === keys.length) return { keys: keys.slice(), vals: vals.slice() };
    const ok: unknown[] = [];
    const ov: unknown[] = [];
    for (let i = 0; i < keys.length; i++) {
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

  /** @internal slot-stable cursor: returns the next live slot >= i of this version, or -1. */
  nextSlot(i: number): number {
    const st = this.root();
    if (st === null) return -1;
    const keys = st.keys;
    while (i < keys.length) {
      if (keys[i] !== TOMB) return i;
      i++;
    }
    return -1;
  }
}

function killSlot(st: Store, s: number, k: unknown): void {
  indexRemove(st, k, s);
  st.keys[s] = TOMB;
  if (st.vals !== null) st.vals[s] = undefined;
  st.live--;
}

// Applies w's diff to st (which holds w.next's state) and stores the inverse diff in nx = w.next,
// so that nx can find its way back: afterwards nx.next === w.
function invertInto(st: Store, w: Table, nx: Table): void {
  const s = w.slot;
  switch (w.op) {
    case OP_POP: {
      const k = st.keys[s];
      const v = st.vals === null ? undefined : st.vals[s];
      indexRemove(st, k, s);
      st.keys.length = s;
      if (st.vals !== null) st.vals.length = s;
      st.live--;
      nx.op = OP_PUSH;
      nx.dk = k;
      nx.dv = v;
      break;
    }
    case OP_PUSH: {
      storePush(st, w.dk, w.dv);
      nx.op = OP_POP;
      nx.dk = w.dk;
      nx.dv = undefined;
      break;
    }
    case OP_SETV: {
      const vals = st.vals!;
      const old = vals[s];
      vals[s] = w.dv;
      nx.op = OP_SETV;
      nx.dv = old;
      break;
    }
    case OP_KILL: {
      const k = st.keys[s];
      const v = st.vals === null ? undefined : st.vals[s];
      killSlot(st, s, k);
      nx.op = OP_REVIVE;
      nx.dk = k;
      nx.dv = v;
      break;
    }
    case OP_REVIVE: {
      st.keys[s] = w.dk;
      if (st.vals !== null) st.vals[s] = w.dv;
      indexAdd(st, w.dk, s);
      st.live++;
      nx.op = OP_KILL;
      nx.dk = w.dk;
      nx.dv = undefined;
      break;
    }
  }
  nx.slot = s;
  nx.next = w;
  w.dk = undefined;
  w.dv = undefined;
  w.op = 0;
}

// Applies w's diff to a private copy of w.next's state, leaving the versions untouched.
function applyDiff(st: Store, w: Table): void {
  const s = w.slot;
  switch (w.op) {
    case OP_POP: {
      indexRemove(st, st.keys[s], s);
      st.keys.length = s;
      if (st.vals !== null) st.vals.length = s;
      st.live--;
      break;
    }
    case OP_PUSH:
      storePush(st, w.dk, w.dv);
      break;
    case OP_SETV:
      st.vals![s] = w.dv;
      break;
    case OP_KILL:
      killSlot(st, s, st.keys[s]);
      break;
    case OP_REVIVE:
      st.keys[s] = w.dk;
      if (st.vals !== null) st.vals[s] = w.dv;
      indexAdd(st, w.dk, s);
      st.live++;
      break;
  }
}

export class MeshMap<K = unknown, V = unknown> extends Table {
  constructor(store: Store | null, size: number) {
    super(store, size);
  }
  static readonly empty: MeshMap<never, never> = new MeshMap<never, never>(null, 0);

  protected spawn(store: Store | null, size: number): this {
    return new MeshMap<K, V>(store, size) as this;
  }
  isMapTable(): boolean {
    return true;
  }

  /** Wraps a store that nobody else references. */
  static fromStore<K, V>(st: Store): MeshMap<K, V> {
    if (st.live === 0) return MeshMap.empty as MeshMap<K, V>;
    st.budget = 4 * st.live + 64;
    return new MeshMap<K, V>(st, st.live);
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
    const st = this.next === null ? this.store : this.root();
    if (st === null) return NOT_FOUND;
    let s: number | undefined;
    if (typeof k !== "object" || k === null || k instanceof Atom) {
      s = st.prim.get(k);
      if (s === undefined) return NOT_FOUND;
    } else {
      s = storeFind(st, k);
      if (s < 0) return NOT_FOUND;
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
    const st = this.t.store!;
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
