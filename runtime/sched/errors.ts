// Panics and exit reasons of the process runtime (runtime/sched): how an exception escaping a
// process becomes its exit reason (concurrency.md §1.9, language.md §7.8).

// One panic class for the whole runtime: library code, generated code and the scheduler.
import { MeshPanic, panic } from "../core/panic.js";
export { MeshPanic, panic };

/**
 * Thrown by `Process.exit(self(), r)` and by `link` to a dead pid: the process exits at once
 * with `reason`, without a crash report. Not an Error: it never needs a stack trace.
 */
export class ExitNow {
  constructor(readonly reason: string) {}
}

/** The exit reason for an exception that escaped Mesh code. */
export function reasonOf(e: unknown): string {
  if (e instanceof MeshPanic) return e.reason;
  if (e instanceof RangeError && /call stack/i.test(e.message)) return "stack overflow";
  if (e instanceof Error) return e.message;
  if (e instanceof ExitNow) return e.reason;
  return String(e);
}
