// Iter<T> (stdlib.md §11): a stateful, single-pass, lazy cursor. Each stage pulls from its source
// only when it is itself pulled. `next()` pulls synchronously; `nextG()` is the generator form,
// so that stages whose callbacks may suspend run under `yield*` and a suspension suspends the
// process that pulls. `y` says whether any stage of the pipeline has a generator callback (fixed
// when the stage is made): the pulling operations (`count$g`, `drain$g`, a `for` loop in a
// generator) take the plain `next()` path when it is false, so pipelines of plain callbacks pay
// nothing for it. Compiled code always pulls through the `$g` forms (every pull is a suspension
// point for the compiler); a plain pull of a yielding pipeline (host code) drives the callbacks
// synchronously (hof.ts callSync).
import { None, Some, type Option } from "../core/builtin-types.js";
import { List } from "../core/list.js";
import { MeshMap } from "../core/map.js";
import { MeshSet } from "../core/set.js";
import { Range } from "../core/range.js";
import { panic } from "../core/panic.js";
import { callSync, isGenFn } from "./hof.js";
import { iter as forIterable } from "../core/ops.js";

export const DONE: unique symbol = Symbol("Iter.done");
export type Pulled<T> = T | typeof DONE;

const MAX_INT = Number.MAX_SAFE_INTEGER;

export abstract class Iter<T = unknown> implements Iterable<T> {
  /** Some stage of this pipeline has a generator callback: pull it with `nextG()`. */
  y = false;
  abstract next(): Pulled<T>;
  // eslint-disable-next-line require-yield
  *nextG(): Generator<unknown, Pulled<T>, unknown> {
    return this.next();
  }
  [Symbol.iterator](): Iterator<T> {
    return {
      next: (): IteratorResult<T> => {
        const x = this.next();
        return x === DONE ? { value: undefined, done: true } : { value: x, done: false };
      },
    };
  }
  $show(): string {
    return "<iterator>";
  }
}

class ArrayIter<T> extends Iter<T> {
  constructor(
    private readonly arr: ArrayLike<T>,
    private i: number,
    private readonly end: number,
  ) {
    super();
  }
  next(): Pulled<T> {
    return this.i < this.end ? this.arr[this.i++] : DONE;
  }
}

class RangeIter extends Iter<number> {
  constructor(
    private i: number,
    private readonly end: number,
  ) {
    super();
  }
  next(): Pulled<number> {
    return this.i < this.end ? this.i++ : DONE;
  }
}

class MapIter<T, U> extends Iter<U> {
  private readonly gen: boolean;
  constructor(
    private readonly src: Iter<T>,
    private readonly f: (x: T) => U,
  ) {
    super();
    this.gen = isGenFn(f);
    this.y = this.gen || src.y;
  }
  next(): Pulled<U> {
    const x = this.src.next();
    if (x === DONE) return DONE;
    return this.gen ? (callSync(this.f, [x]) as U) : this.f(x);
  }
  override *nextG(): Generator<unknown, Pulled<U>, unknown> {
    const x = yield* this.src.nextG();
    if (x === DONE) return DONE;
    if (this.gen) return (yield* this.f(x) as unknown as Generator<unknown, U, unknown>) as U;
    return this.f(x);
  }
}

class FilterIter<T> extends Iter<T> {
  private readonly gen: boolean;
  constructor(
    private readonly src: Iter<T>,
    private readonly p: (x: T) => boolean,
  ) {
    super();
    this.gen = isGenFn(p);
    this.y = this.gen || src.y;
  }
  next(): Pulled<T> {
    for (;;) {
      const x = this.src.next();
      if (x === DONE) return DONE;
      if (this.gen ? callSync(this.p, [x]) === true : this.p(x)) return x;
    }
  }
  override *nextG(): Generator<unknown, Pulled<T>, unknown> {
    for (;;) {
      const x = yield* this.src.nextG();
      if (x === DONE) return DONE;
      const keep = this.gen ? yield* this.p(x) as unknown as Generator<unknown, boolean, unknown> : this.p(x);
      if (keep === true) return x;
    }
  }
}

class TakeIter<T> extends Iter<T> {
  constructor(
    private readonly src: Iter<T>,
    private n: number,
  ) {
    super();
    this.y = src.y;
  }
  next(): Pulled<T> {
    if (this.n <= 0) return DONE;
    this.n--;
    return this.src.next();
  }
  override *nextG(): Generator<unknown, Pulled<T>, unknown> {
    if (this.n <= 0) return DONE;
    this.n--;
    return yield* this.src.nextG();
  }
}

class SkipIter<T> extends Iter<T> {
  constructor(
    private readonly src: Iter<T>,
    private n: number,
  ) {
    super();
    this.y = src.y;
  }
  next(): Pulled<T> {
    while (this.n > 0) {
      this.n--;
      if (this.src.next() === DONE) {
        this.n = 0;
        return DONE;
      }
    }
    return this.src.next();
  }
  override *nextG(): Generator<unknown, Pulled<T>, unknown> {
    while (this.n > 0) {
      this.n--;
      if ((yield* this.src.nextG()) === DONE) {
        this.n = 0;
        return DONE;
      }
    }
    return yield* this.src.nextG();
  }
}

class EnumerateIter<T> extends Iter<[number, T]> {
  private i = 0;
  constructor(private readonly src: Iter<T>) {
    super();
    this.y = src.y;
  }
  next(): Pulled<[number, T]> {
    const x = this.src.next();
    return x === DONE ? DONE : [this.i++, x];
  }
  override *nextG(): Generator<unknown, Pulled<[number, T]>, unknown> {
    const x = yield* this.src.nextG();
    return x === DONE ? DONE : [this.i++, x];
  }
}

class ZipIter<T, U> extends Iter<[T, U]> {
  constructor(
    private readonly a: Iter<T>,
    private readonly b: Iter<U>,
  ) {
    super();
    this.y = a.y || b.y;
  }
  next(): Pulled<[T, U]> {
    const x = this.a.next();
    if (x === DONE) return DONE;
    const y = this.b.next();
    return y === DONE ? DONE : [x, y];
  }
  override *nextG(): Generator<unknown, Pulled<[T, U]>, unknown> {
    const x = yield* this.a.nextG();
    if (x === DONE) return DONE;
    const y = yield* this.b.nextG();
    return y === DONE ? DONE : [x, y];
  }
}

class HostIter<T> extends Iter<T> {
  constructor(private readonly it: Iterator<T>) {
    super();
  }
  next(): Pulled<T> {
    const r = this.it.next();
    return r.done === true ? DONE : r.value;
  }
}

/**
 * What a `for` loop in a generator pulls when the compiler does not know the iterable's type: the
 * Iter itself (its stages may suspend), or a plain cursor over what `for` iterates otherwise.
 */
export function iterOf(x: unknown, pairs: boolean): Iter {
  return x instanceof Iter ? x : new HostIter(forIterable(x, pairs)[Symbol.iterator]());
}

/** An iterator over any built-in iterable value (List primarily; Range/Set/Map/tuple tolerated). */
export function iterFrom<T>(xs: unknown): Iter<T> {
  if (xs instanceof List) return new ArrayIter<T>(xs.arr as T[], xs.off, xs.off + xs.length);
  if (xs instanceof Iter) return xs as Iter<T>;
  if (xs instanceof Range) return new RangeIter(xs.start, xs.end) as unknown as Iter<T>;
  if (xs instanceof MeshSet) {
    const ks = xs.keyArray();
    return new ArrayIter<T>(ks as T[], 0, ks.length);
  }
  if (xs instanceof MeshMap) {
    const ps = xs.pairs();
    return new ArrayIter<T>(ps as T[], 0, ps.length);
  }
  if (Array.isArray(xs)) return new ArrayIter<T>(xs as T[], 0, xs.length);
  return panic("Iter.from: not iterable");
}

function addInt(a: number, b: number): number {
  const s = a + b;
  if (s > MAX_INT || s < -MAX_INT) panic("integer overflow");
  return s;
}

// ---- terminal operations, plain and generator forms

function count(it: Iter): number {
  let n = 0;
  while (it.next() !== DONE) n++;
  return n;
}
function* count$g(it: Iter): Generator<unknown, number, unknown> {
  if (!it.y) return count(it);
  let n = 0;
  while ((yield* it.nextG()) !== DONE) n++;
  return n;
}
function sum(it: Iter<number>): number {
  let s = 0;
  for (let x = it.next(); x !== DONE; x = it.next()) s = addInt(s, x);
  return s;
}
function* sum$g(it: Iter<number>): Generator<unknown, number, unknown> {
  if (!it.y) return sum(it);
  let s = 0;
  for (let x = yield* it.nextG(); x !== DONE; x = yield* it.nextG()) s = addInt(s, x as number);
  return s;
}
function any<T>(it: Iter<T>, p: (x: T) => boolean): boolean {
  const g = isGenFn(p);
  for (let x = it.next(); x !== DONE; x = it.next()) if (g ? callSync(p, [x]) === true : p(x)) return true;
  return false;
}
function* any$g<T>(it: Iter<T>, p: (x: T) => boolean): Generator<unknown, boolean, unknown> {
  const g = isGenFn(p);
  if (!g && !it.y) return any(it, p);
  for (let x = yield* it.nextG(); x !== DONE; x = yield* it.nextG()) {
    const r = g ? yield* p(x as T) as unknown as Generator<unknown, boolean, unknown> : p(x as T);
    if (r === true) return true;
  }
  return false;
}
function all<T>(it: Iter<T>, p: (x: T) => boolean): boolean {
  const g = isGenFn(p);
  for (let x = it.next(); x !== DONE; x = it.next()) if ((g ? callSync(p, [x]) : p(x)) !== true) return false;
  return true;
}
function* all$g<T>(it: Iter<T>, p: (x: T) => boolean): Generator<unknown, boolean, unknown> {
  const g = isGenFn(p);
  if (!g && !it.y) return all(it, p);
  for (let x = yield* it.nextG(); x !== DONE; x = yield* it.nextG()) {
    const r = g ? yield* p(x as T) as unknown as Generator<unknown, boolean, unknown> : p(x as T);
    if (r !== true) return false;
  }
  return true;
}
function find<T>(it: Iter<T>, p: (x: T) => boolean): Option<T> {
  const g = isGenFn(p);
  for (let x = it.next(); x !== DONE; x = it.next()) if ((g ? callSync(p, [x]) : p(x)) === true) return new Some(x);
  return None;
}
function* find$g<T>(it: Iter<T>, p: (x: T) => boolean): Generator<unknown, Option<T>, unknown> {
  const g = isGenFn(p);
  if (!g && !it.y) return find(it, p);
  for (let x = yield* it.nextG(); x !== DONE; x = yield* it.nextG()) {
    const r = g ? yield* p(x as T) as unknown as Generator<unknown, boolean, unknown> : p(x as T);
    if (r === true) return new Some(x as T);
  }
  return None;
}
function reduce<T, U>(it: Iter<T>, init: U, f: (acc: U, x: T) => U): U {
  const g = isGenFn(f);
  let acc = init;
  for (let x = it.next(); x !== DONE; x = it.next()) acc = g ? (callSync(f, [acc, x]) as U) : f(acc, x);
  return acc;
}
function* reduce$g<T, U>(it: Iter<T>, init: U, f: (acc: U, x: T) => U): Generator<unknown, U, unknown> {
  const g = isGenFn(f);
  if (!g && !it.y) return reduce(it, init, f);
  let acc = init;
  for (let x = yield* it.nextG(); x !== DONE; x = yield* it.nextG()) {
    acc = g ? ((yield* f(acc, x as T) as unknown as Generator<unknown, U, unknown>) as U) : f(acc, x as T);
  }
  return acc;
}

/** Drains an iterator into an array (List/Map/Set.collect). */
export function drain<T>(it: Iter<T>): T[] {
  const out: T[] = [];
  for (let x = it.next(); x !== DONE; x = it.next()) out.push(x);
  return out;
}
export function* drain$g<T>(it: Iter<T>): Generator<unknown, T[], unknown> {
  if (!it.y) return drain(it);
  const out: T[] = [];
  for (let x = yield* it.nextG(); x !== DONE; x = yield* it.nextG()) out.push(x as T);
  return out;
}

export const Iter_ = {
  from: <T>(xs: List<T>): Iter<T> => iterFrom<T>(xs),
  map: <T, U>(it: Iter<T>, f: (x: T) => U): Iter<U> => new MapIter(it, f),
  *map$g<T, U>(it: Iter<T>, f: (x: T) => U): Generator<never, Iter<U>, unknown> {
    return new MapIter(it, f);
  },
  filter: <T>(it: Iter<T>, p: (x: T) => boolean): Iter<T> => new FilterIter(it, p),
  *filter$g<T>(it: Iter<T>, p: (x: T) => boolean): Generator<never, Iter<T>, unknown> {
    return new FilterIter(it, p);
  },
  take: <T>(it: Iter<T>, n: number): Iter<T> => new TakeIter(it, n),
  skip: <T>(it: Iter<T>, n: number): Iter<T> => new SkipIter(it, n),
  enumerate: <T>(it: Iter<T>): Iter<[number, T]> => new EnumerateIter(it),
  zip: <T, U>(a: Iter<T>, b: Iter<U>): Iter<[T, U]> => new ZipIter(a, b),
  count,
  count$g,
  sum,
  sum$g,
  any,
  any$g,
  all,
  all$g,
  find,
  find$g,
  reduce,
  reduce$g,
};
