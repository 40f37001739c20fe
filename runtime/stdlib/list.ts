// The List module (stdlib.md §5) over core/list.ts. Callbacks run in order, left to right; the
// `$g` variants run generator callbacks with `yield*` (hof.ts) and take the plain path for plain
// ones. A plain variant handed a generator callback (host code, or a call the compiler could not
// see) runs its `$g` variant synchronously instead of collecting generator objects.
import { None, Some, type Option } from "../core/builtin-types.js";
import { eq } from "../core/equality.js";
import { List } from "../core/list.js";
import { panic } from "../core/panic.js";
import { callSync, isGenFn } from "./hof.js";
import { drain, drain$g, type Iter } from "./iter.js";

type G<R> = Generator<unknown, R, unknown>;
// Calls a callback that is a generator function (yield*) or a plain one.
function* call1<A, R>(g: boolean, f: (a: A) => R, a: A): G<R> {
  return g ? ((yield* f(a) as unknown as G<R>) as R) : f(a);
}
function* call2<A, B, R>(g: boolean, f: (a: A, b: B) => R, a: A, b: B): G<R> {
  return g ? ((yield* f(a, b) as unknown as G<R>) as R) : f(a, b);
}

function clampCount(n: number, len: number): number {
  return n < 0 ? 0 : n > len ? len : n;
}

export function listGet<T>(xs: List<T>, i: number, fn = "List.get"): T {
  if (i >= 0 && i < xs.length) return xs.get(i);
  return panic(`${fn}: index ${i} out of bounds (length ${xs.length})`);
}

function head<T>(xs: List<T>): T {
  return xs.length > 0 ? xs.get(0) : panic("List.head: empty list");
}
function tail<T>(xs: List<T>): List<T> {
  return xs.length > 0 ? xs.tail() : panic("List.tail: empty list");
}
function last<T>(xs: List<T>): T {
  return xs.length > 0 ? xs.get(xs.length - 1) : panic("List.last: empty list");
}

function reverse<T>(xs: List<T>): List<T> {
  const out: T[] = [];
  for (let i = xs.off + xs.length - 1; i >= xs.off; i--) out.push(xs.arr[i]);
  return List.fromArray(out);
}

export function map<T, U>(xs: List<T>, f: (x: T) => U): List<U> {
  if (isGenFn(f)) return callSync(map$g, [xs, f]) as List<U>;
  const out: U[] = [];
  const a = xs.arr;
  for (let i = xs.off, end = xs.off + xs.length; i < end; i++) out.push(f(a[i]));
  return List.fromArray(out);
}
export function* map$g<T, U>(xs: List<T>, f: (x: T) => U): G<List<U>> {
  const g = isGenFn(f);
  if (!g) return map(xs, f);
  const n = xs.length;
  const out = new Array<U>(n);
  for (let i = 0; i < n; i++) out[i] = yield* call1(g, f, xs.get(i));
  return List.fromArray(out);
}

export function filter<T>(xs: List<T>, p: (x: T) => boolean): List<T> {
  if (isGenFn(p)) return callSync(filter$g, [xs, p]) as List<T>;
  const out: T[] = [];
  const a = xs.arr;
  for (let i = xs.off, end = xs.off + xs.length; i < end; i++) if (p(a[i])) out.push(a[i]);
  return out.length === xs.length ? xs : List.fromArray(out);
}
export function* filter$g<T>(xs: List<T>, p: (x: T) => boolean): G<List<T>> {
  const g = isGenFn(p);
  if (!g) return filter(xs, p);
  const out: T[] = [];
  for (let i = 0; i < xs.length; i++) {
    const x = xs.get(i);
    if ((yield* call1(g, p, x)) === true) out.push(x);
  }
  return List.fromArray(out);
}

export function reduce<T, U>(xs: List<T>, init: U, f: (acc: U, x: T) => U): U {
  if (isGenFn(f)) return callSync(reduce$g, [xs, init, f]) as U;
  let acc = init;
  const a = xs.arr;
  for (let i = xs.off, end = xs.off + xs.length; i < end; i++) acc = f(acc, a[i]);
  return acc;
}
export function* reduce$g<T, U>(xs: List<T>, init: U, f: (acc: U, x: T) => U): G<U> {
  const g = isGenFn(f);
  if (!g) return reduce(xs, init, f);
  let acc = init;
  for (let i = 0; i < xs.length; i++) acc = yield* call2(g, f, acc, xs.get(i));
  return acc;
}

function sort<T>(xs: List<T>, cmp: (a: T, b: T) => number): List<T> {
  if (isGenFn(cmp)) return callSync(sort$g, [xs, cmp]) as List<T>;
  if (xs.length < 2) return xs;
  return List.fromArray(xs.copyArray().sort(cmp)); // Array.prototype.sort is stable
}
// Stable bottom-up merge sort that can yield inside the comparison.
function* sort$g<T>(xs: List<T>, cmp: (a: T, b: T) => number): G<List<T>> {
  const g = isGenFn(cmp);
  if (!g) return sort(xs, cmp);
  const n = xs.length;
  let src = xs.copyArray();
  if (n < 2) return List.fromArray(src);
  let dst = new Array<T>(n);
  for (let width = 1; width < n; width *= 2) {
    for (let lo = 0; lo < n; lo += 2 * width) {
      const mid = Math.min(lo + width, n);
      const hi = Math.min(lo + 2 * width, n);
      let i = lo;
      let j = mid;
      let k = lo;
      while (i < mid && j < hi) {
        const c = yield* call2(g, cmp, src[j], src[i]);
        dst[k++] = c < 0 ? src[j++] : src[i++];
      }
      while (i < mid) dst[k++] = src[i++];
      while (j < hi) dst[k++] = src[j++];
    }
    const t = src;
    src = dst;
    dst = t;
  }
  return List.fromArray(src);
}

function find<T>(xs: List<T>, p: (x: T) => boolean): Option<T> {
  if (isGenFn(p)) return callSync(find$g, [xs, p]) as Option<T>;
  for (let i = 0; i < xs.length; i++) {
    const x = xs.get(i);
    if (p(x)) return new Some(x);
  }
  return None;
}
function* find$g<T>(xs: List<T>, p: (x: T) => boolean): G<Option<T>> {
  const g = isGenFn(p);
  if (!g) return find(xs, p);
  for (let i = 0; i < xs.length; i++) {
    const x = xs.get(i);
    if ((yield* call1(g, p, x)) === true) return new Some(x);
  }
  return None;
}

function any<T>(xs: List<T>, p: (x: T) => boolean): boolean {
  if (isGenFn(p)) return callSync(any$g, [xs, p]) as boolean;
  for (let i = 0; i < xs.length; i++) if (p(xs.get(i))) return true;
  return false;
}
function* any$g<T>(xs: List<T>, p: (x: T) => boolean): G<boolean> {
  const g = isGenFn(p);
  if (!g) return any(xs, p);
  for (let i = 0; i < xs.length; i++) if ((yield* call1(g, p, xs.get(i))) === true) return true;
  return false;
}
function all<T>(xs: List<T>, p: (x: T) => boolean): boolean {
  if (isGenFn(p)) return callSync(all$g, [xs, p]) as boolean;
  for (let i = 0; i < xs.length; i++) if (!p(xs.get(i))) return false;
  return true;
}
function* all$g<T>(xs: List<T>, p: (x: T) => boolean): G<boolean> {
  const g = isGenFn(p);
  if (!g) return all(xs, p);
  for (let i = 0; i < xs.length; i++) if ((yield* call1(g, p, xs.get(i))) !== true) return false;
  return true;
}

function contains<T>(xs: List<T>, x: T): boolean {
  const a = xs.arr;
  const end = xs.off + xs.length;
  if (typeof x !== "object") {
    for (let i = xs.off; i < end; i++) if (a[i] === x) return true;
    return false;
  }
  for (let i = xs.off; i < end; i++) if (eq(a[i], x)) return true;
  return false;
}

function zip<T, U>(a: List<T>, b: List<U>): List<[T, U]> {
  const n = Math.min(a.length, b.length);
  const out: [T, U][] = [];
  for (let i = 0; i < n; i++) out.push([a.get(i), b.get(i)]);
  return List.fromArray(out);
}

function flat_map<T, U>(xs: List<T>, f: (x: T) => List<U>): List<U> {
  if (isGenFn(f)) return callSync(flat_map$g, [xs, f]) as List<U>;
  const out: U[] = [];
  for (let i = 0; i < xs.length; i++) {
    const ys = f(xs.get(i));
    for (let j = 0; j < ys.length; j++) out.push(ys.get(j));
  }
  return List.fromArray(out);
}
function* flat_map$g<T, U>(xs: List<T>, f: (x: T) => List<U>): G<List<U>> {
  const g = isGenFn(f);
  if (!g) return flat_map(xs, f);
  const out: U[] = [];
  for (let i = 0; i < xs.length; i++) {
    const ys = yield* call1(g, f, xs.get(i));
    for (let j = 0; j < ys.length; j++) out.push(ys.get(j));
  }
  return List.fromArray(out);
}

function flatten<T>(xss: List<List<T>>): List<T> {
  const out: T[] = [];
  for (let i = 0; i < xss.length; i++) {
    const ys = xss.get(i);
    for (let j = 0; j < ys.length; j++) out.push(ys.get(j));
  }
  return List.fromArray(out);
}

function enumerate<T>(xs: List<T>): List<[number, T]> {
  const n = xs.length;
  const out: [number, T][] = [];
  for (let i = 0; i < n; i++) out.push([i, xs.get(i)]);
  return List.fromArray(out);
}

export const List_ = {
  new: <T>(): List<T> => List.empty as List<T>,
  length: <T>(xs: List<T>): number => xs.length,
  append: <T>(xs: List<T>, x: T): List<T> => xs.append(x),
  head,
  tail,
  last,
  get: <T>(xs: List<T>, i: number): T => listGet(xs, i),
  nth: <T>(xs: List<T>, i: number): T => listGet(xs, i, "List.nth"),
  concat: <T>(a: List<T>, b: List<T>): List<T> => a.concat(b),
  reverse,
  map,
  map$g,
  filter,
  filter$g,
  reduce,
  reduce$g,
  sort,
  sort$g,
  find,
  find$g,
  any,
  any$g,
  all,
  all$g,
  contains,
  zip,
  flat_map,
  flat_map$g,
  flatten,
  enumerate,
  take: <T>(xs: List<T>, n: number): List<T> => xs.window(0, clampCount(n, xs.length)),
  drop: <T>(xs: List<T>, n: number): List<T> => xs.window(clampCount(n, xs.length), xs.length),
  collect: <T>(it: Iter<T>): List<T> => List.fromArray(drain(it)),
  *collect$g<T>(it: Iter<T>): G<List<T>> {
    return List.fromArray(yield* drain$g(it));
  },
};
