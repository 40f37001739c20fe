// Range: the half-open Int range `a..b` (language.md §7.4, stdlib.md §9). Empty when end <= start.
import { K_RANGE } from "./equality.js";

export class Range implements Iterable<number> {
  constructor(
    readonly start: number,
    readonly end: number,
  ) {}

  get length(): number {
    return this.end > this.start ? this.end - this.start : 0;
  }

  *[Symbol.iterator](): Iterator<number> {
    for (let i = this.start; i < this.end; i++) yield i;
  }

  toString(): string {
    return `${this.start}..${this.end}`;
  }
}
Object.defineProperty(Range.prototype, "$k", { value: K_RANGE });

export function isRange(v: unknown): v is Range {
  return v instanceof Range;
}
