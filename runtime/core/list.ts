// List<T>: the immutable, persistent sequence behind Mesh list literals, `for` results and the
// List module. A list is a window [off, off + length) onto a backing JS array.
//
// - O(1) length, index, `tail` (a narrower window) and `drop`.
// - `append`/`concat` are amortised O(1) per element in a loop: when a list's window ends exactly
//   at the end of its backing array, nobody else can see the slots after it, so the new elements
//   are pushed in place and the new list is a wider window onto the same array. Any other list
//   (an older version that was already appended to, a `take` window, ...) copies its window first.
// - A window keeps its whole backing array alive (a `tail` of a huge list retains the list).
import { K_LIST } from "./equality.js";
import { panic } from "./panic.js";

const EMPTY_ARRAY: readonly never[] = Object.freeze([]);

export class List<T = unknown> implements Iterable<T> {
  declare readonly arr: T[];
  declare readonly off: number;
  declare readonly length: number;

  /** @internal use List.fromArray / List.of / List.empty */
  constructor(arr: T[], off: number, length: number) {
    this.arr = arr;
    this.off = off;
    this.length = length;
  }

  static readonly empty: List<never> = new List<never>(EMPTY_ARRAY as never[], 0, 0);

  /** Wraps `arr` without copying: the list takes ownership, the caller must not mutate it again. */
  static fromArray<T>(arr: T[]): List<T> {
    return arr.length === 0 ? (List.empty as List<T>) : new List(arr, 0, arr.length);
  }

  static of<T>(...xs: T[]): List<T> {
    return List.fromArray(xs);
  }

  /** Unchecked element access (0 <= i < length). */
  get(i: number): T {
    return this.arr[this.off + i];
  }

  /** Checked access with the message of `xs[i]` (language.md §4.17). */
  at(i: number): T {
    if (i >= 0 && i < this.length && Number.isInteger(i)) return this.arr[this.off + i];
    return panic(`index out of bounds: ${i} (length ${this.length})`);
  }

  head(): T {
    return this.arr[this.off];
  }

  /** All but the first element; O(1). The caller checks that the list is non-empty. */
  tail(): List<T> {
    return this.length <= 1 ? (List.empty as List<T>) : new List(this.arr, this.off + 1, this.length - 1);
  }

  /** Elements [start, end) of this list (both already clamped by the caller); O(1). */
  window(start: number, end: number): List<T> {
    if (end <= start) return List.empty as List<T>;
    if (start === 0 && end === this.length) return this;
    return new List(this.arr, this.off + start, end - start);
  }

  append(x: T): List<T> {
    const len = this.length;
    if (len === 0) return new List([x], 0, 1);
    const end = this.off + len;
    const arr = this.arr;
    if (end === arr.length) {
      arr.push(x);
      return new List(arr, this.off, len + 1);
    }
    const copy = arr.slice(this.off, end);
    copy.push(x);
    return new List(copy, 0, len + 1);
  }

  concat(other: List<T>): List<T> {
    const n = other.length;
    if (n === 0) return this;
    const len = this.length;
    if (len === 0) return other;
    const end = this.off + len;
    let arr = this.arr;
    let off = this.off;
    if (end !== arr.length) {
      arr = arr.slice(off, end);
      off = 0;
    }
    const src = other.arr;
    // `other` may share our backing array (xs ++ xs): read its window before growing the array.
    for (let i = other.off, stop = other.off + n; i < stop; i++) arr.push(src[i]);
    return new List(arr, off, len + n);
  }

  /**
   * The elements as a JS array. When the list covers its whole backing array that array itself
   * is returned (no copy): treat the result as read-only and use it before this list is appended
   * to again (an append may push onto it). Use `copyArray()` for an array you may keep or mutate.
   */
  toArray(): T[] {
    if (this.off === 0 && this.length === this.arr.length) return this.arr;
    return this.arr.slice(this.off, this.off + this.length);
  }

  /** A fresh array the caller owns. */
  copyArray(): T[] {
    return this.arr.slice(this.off, this.off + this.length);
  }

  [Symbol.iterator](): Iterator<T> {
    return new ListIterator(this.arr, this.off, this.off + this.length);
  }

  toString(): string {
    return `[List of ${this.length}]`;
  }
}

class ListIterator<T> implements Iterator<T> {
  constructor(
    private readonly arr: T[],
    private i: number,
    private readonly end: number,
  ) {}
  next(): IteratorResult<T> {
    if (this.i < this.end) return { value: this.arr[this.i++], done: false };
    return { value: undefined, done: true };
  }
  [Symbol.iterator](): Iterator<T> {
    return this;
  }
}

export function isList(v: unknown): v is List {
  return v instanceof List;
}
Object.defineProperty(List.prototype, "$k", { value: K_LIST });
