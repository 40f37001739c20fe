// Test harness for the process runtime: a fresh Scheduler on a ManualClock with captured
// stdout/stderr and exit codes, plus small helpers for writing hand-made generator processes.
import { ManualClock, Scheduler, setDefaultScheduler, type SchedulerOptions } from "../../../runtime/sched/index.js";

export interface Harness {
  s: Scheduler;
  clock: ManualClock;
  out: string[];
  err: string[];
  exits: number[];
  /** println into `out` (one entry per line) */
  log: (line: string) => void;
  errText: () => string;
}

export function harness(opts: Partial<SchedulerOptions> = {}): Harness {
  const clock = new ManualClock();
  const out: string[] = [];
  const err: string[] = [];
  const exits: number[] = [];
  const s = new Scheduler({
    clock,
    stdout: (t) => out.push(...t.split("\n").filter((l) => l !== "")),
    stderr: (t) => err.push(...t.split("\n").filter((l) => l !== "")),
    exit: (c) => exits.push(c),
    ...opts,
  });
  setDefaultScheduler(s);
  return {
    s,
    clock,
    out,
    err,
    exits,
    log: (line) => s.out(line + "\n"),
    errText: () => err.join("\n"),
  };
}

/** A matcher accepting any non-system value. */
export const any = (m: unknown): unknown => m;

/** A matcher accepting numbers only. */
export const num = (m: unknown): unknown => (typeof m === "number" ? m : undefined);

import { SystemMessage, SysDown, SysExit } from "../../../runtime/sched/index.js";

/** A matcher for `_ -> …` arms: any user message, never a system message. */
export const user = (m: unknown): unknown => (m instanceof SystemMessage ? undefined : m);
export const isExit = (m: unknown): unknown => (m instanceof SysExit ? m : undefined);
export const isDown = (m: unknown): unknown => (m instanceof SysDown ? m : undefined);

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type G<T = any> = Generator<unknown, T, unknown>;
