// Helpers for higher-order library functions: callbacks are plain JS functions, or generator
// functions when the compiler could not prove they never suspend. Every library function taking
// a callback has a `name$g` variant (a generator function) that runs generator callbacks with
// `yield*`, so a suspension inside the callback suspends the calling process.
import { panic } from "../core/panic.js";

const GeneratorFunctionProto = Object.getPrototypeOf(function* () {});

export function isGenFn(f: unknown): boolean {
  return typeof f === "function" && Object.getPrototypeOf(f) === GeneratorFunctionProto;
}

let syncYield: (yielded: unknown) => unknown = () =>
  panic("a callback tried to suspend inside a library call made from code that cannot suspend");

/**
 * How `callSync` treats a value yielded by a generator callback that must run to completion
 * synchronously: a plain library function handed a generator callback, or a lazy Iter pulled by
 * host code (compiled Mesh code always calls the `$g` variants, so it never gets here with a
 * callback that really suspends). The runtime entry installs a handler that lets preemption
 * checks pass and panics on a real suspension. Its return value is passed back into the generator.
 */
export function setSyncYieldHandler(h: (yielded: unknown) => unknown): void {
  syncYield = h;
}

/** Calls f(...args); a generator function is driven to completion synchronously. */
export function callSync(f: Function, args: unknown[]): unknown {
  const r = f(...args);
  if (!isGenFn(f)) return r;
  const g = r as Generator<unknown, unknown, unknown>;
  let step = g.next();
  while (!step.done) step = g.next(syncYield(step.value));
  return step.value;
}
