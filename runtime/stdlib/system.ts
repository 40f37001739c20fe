// The System module: OS-process level control a server needs — exiting with a status and turning
// POSIX signals into Mesh processes (graceful shutdown on SIGTERM/SIGINT). Not in stdlib.md;
// see docs/decisions.md ("System module").
import { currentScheduler } from "../sched/index.js";
import { panic } from "../core/panic.js";
import { flushStdout } from "./io.js";

const SIGNALS = new Set(["SIGTERM", "SIGINT", "SIGHUP", "SIGUSR1", "SIGUSR2"]);

/**
 * From now on, every delivery of `name` spawns a new process running `f()` (as
 * `Timer.apply_after(0, f)` would) instead of Node's default action (exit). Registrations stack.
 * 0 on success, 1 for a signal name that cannot be handled.
 */
function onSignal(name: string, f: Function): number {
  if (!SIGNALS.has(name)) return 1;
  const s = currentScheduler();
  process.on(name as NodeJS.Signals, () => s.applyAfter(0, f));
  return 0;
}

/** Ends the whole program with `code` (0–255) after flushing output; never returns. */
function exit(code: number): never {
  if (!Number.isInteger(code) || code < 0 || code > 255) panic(`System.exit: status ${code} is not in 0..255`);
  flushStdout();
  currentScheduler().halt(code);
  // Only reached with a test scheduler whose exit hook does not end the OS process.
  return undefined as never;
}

export const System_ = { exit, on_signal: onSignal };
