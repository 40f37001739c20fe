// Helpers for higher-order library functions: callbacks are plain JS functions, or generator
// functions when the compiler could not prove they never suspend. Every library function taking
// a callback has a `name$g` variant (a generator function) that runs generator callbacks with
// `yield*`, so a suspension inside the callback suspends the calling process.
// The synchronous driver lives in core (the value layer needs it for interface methods too).
export { callSync, isGenFn, setSyncYieldHandler } from "../core/sync-call.js";
