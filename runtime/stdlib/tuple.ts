// The Tuple module (stdlib.md §10). Tuples are JS arrays.
import { panic } from "../core/panic.js";

export const Tuple_ = {
  first: (t: readonly unknown[]): unknown => t[0],
  second: (t: readonly unknown[]): unknown => t[1],
  nth: (t: readonly unknown[], i: number): unknown =>
    i >= 0 && i < t.length ? t[i] : panic(`Tuple.nth: index ${i} out of bounds (size ${t.length})`),
  size: (t: readonly unknown[]): number => t.length,
};
