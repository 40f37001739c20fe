// The Random module [EXT] (stdlib.md §24): non-cryptographic uniform integers.
import { panic } from "../core/panic.js";

function int(lo: number, hi: number): number {
  if (lo > hi) return panic(`Random.int: lo ${lo} is greater than hi ${hi}`);
  const span = hi - lo + 1; // at most 2^54 - 1: still exact enough for Math.random's 53 bits
  return lo + Math.floor(Math.random() * span) + 0;
}

export const Random_ = { int };
