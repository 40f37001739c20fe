// Runs generator functions (Mesh functions that may suspend) to completion from runtime code that
// cannot suspend: plain library HOFs handed a generator callback, lazy iterators pulled by host
// code, and interface methods the value layer dispatches at run time (Display in interpolation,
// Eq/Ord/Hash inside collections). Preemption checks pass through the installed handler (the
// runtime entry's); a real suspension there cannot be honoured and panics with a clear message.
import { panic } from "./panic.js";

const GeneratorFunctionProto = Object.getPrototypeOf(function* () {});

export function isGenFn(f: unknown): boolean {
  return typeof f === "function" && Object.getPrototypeOf(f) === GeneratorFunctionProto;
}

let syncYield: (yielded: unknown) => unknown = () =>
  panic("a callback tried to suspend inside a library call made from code that cannot suspend");

/**
 * How `callSync` treats a value yielded by a generator that must run to completion
 * synchronously. The runtime entry installs a handler that lets preemption checks pass and
 * panics on a real suspension; its return value is passed back into the generator.
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

/** `f` itself if plain, else a plain function running it to completion (method tables). */
export function plainOf(f: Function): Function {
  return isGenFn(f) ? (...args: unknown[]) => callSync(f, args) : f;
}
