// The Math module (stdlib.md §4). abs/min/max work on Int and Float alike (both JS numbers).
import { floatToInt } from "./float.js";

export const Math_ = {
  abs: (x: number): number => (x < 0 ? -x : x + 0),
  min: (a: number, b: number): number => Math.min(a, b),
  max: (a: number, b: number): number => Math.max(a, b),
  /** A constant, not a function: `Math.pi`. */
  pi: Math.PI,
  pow: (b: number, e: number): number => Math.pow(b, e),
  sqrt: (x: number): number => Math.sqrt(x),
  floor: (x: number): number => floatToInt(Math.floor(x)),
  ceil: (x: number): number => floatToInt(Math.ceil(x)),
  /** Halves away from zero (JavaScript's Math.round rounds halves up). */
  round: (x: number): number => floatToInt(x < 0 ? -Math.round(-x) : Math.round(x)),
};
