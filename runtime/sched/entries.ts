// Entries shared by the runtime's modules (runtime/sched): a process's lazily allocated side record
// (ProcExt), the intrusive monitor list and the service request records. A leaf module (type-only
// imports) so class hierarchies load in any order.
import { panic } from "./errors.js";
import type { ExitHook, Monitor, Process } from "./process.js";
import type { Pid } from "./pid.js";
import type { TimerEntry } from "./timer-heap.js";

/** The parts of a process that most processes never use (`Process.ext`, allocated on first use). */
export class ProcExt {
  /** Exit reason from an exit signal, applied at the start of the next turn. */
  pendingExit: string | null = null;
  trapExit = false;
  /** Running its terminate clause (exit step 1) with `exitReason`. */
  terminating = false;
  exitReason = "normal";
  /** `yield*` depth at which this process runs (saved between turns) */
  depth = 0;
  /** Monitors of this process, pending calls to it, its job owner: notified in this order. */
  monFirst: MonEntry | null = null;
  monLast: MonEntry | null = null;
  /** Linked pids: a PidSet (pid identity, so a remote pid decoded twice is one link). */
  links: Set<Pid> | null = null;
  monitors: Map<number, Monitor> | null = null;
  names: string[] | null = null;
  /** Timer.send_after timers aimed at this process (cancelled when it exits). */
  ownedTimers: Set<TimerEntry> | null = null;
  actorArgs: unknown[] | null = null;
  /** deepCall frames: generator, saved `yield*` depth, … */
  frames: unknown[] | null = null;
  /** Sum of the `yield*` depths saved in `frames`. */
  deepTotal = 0;
  exitHooks: ExitHook[] | null = null;
}

/**
 * Something a process's exit notifies, in creation order (§1.9 step 4): a user Monitor, a
 * pending service call or a job's owner. Kept in an intrusive list on the monitored process so
 * adding and removing one costs no hashing.
 */
export class MonEntry {
  monPrev: MonEntry | null = null;
  monNext: MonEntry | null = null;
}

export function monAdd(p: Process, e: MonEntry): void {
  let x = p.ext;
  if (x === null) x = p.ext = new ProcExt();
  const last = x.monLast;
  e.monPrev = last;
  e.monNext = null;
  if (last !== null) last.monNext = e;
  else x.monFirst = e;
  x.monLast = e;
}

export function monRemove(p: Process, e: MonEntry): void {
  const x = p.ext;
  if (x === null) return;
  const prev = e.monPrev;
  const next = e.monNext;
  if (prev !== null) prev.monNext = next;
  else if (x.monFirst === e) x.monFirst = next;
  else return; // not in this list
  if (next !== null) next.monPrev = prev;
  else x.monLast = prev;
  e.monPrev = null;
  e.monNext = null;
}

export const PENDING = 0;
export const DONE = 1;
export const FAILED = 2;
export const CANCELLED = 3;

/** A call request; it doubles as the call's internal monitor entry and carries the reply back. */
export class CallReq extends MonEntry {
  state = PENDING;
  value: unknown = undefined;
  reason = "";
  constructor(
    readonly service: string,
    readonly handler: string,
    readonly args: unknown[],
    readonly caller: Process,
    readonly ref: number,
    readonly target: Process,
  ) {
    super();
  }
}

export class CastReq {
  constructor(
    readonly service: string,
    readonly handler: string,
    readonly args: unknown[],
  ) {}
}

/** The service exited (reason) with this request queued or running. */
export function failCall(req: CallReq, reason: string): void {
  if (req.state !== PENDING) return;
  req.state = FAILED;
  req.reason = reason;
  req.caller.sched.wake(req.caller, req);
}

/** The caller resumed after waiting on `req`: the reply, or the failure as a panic. */
export function finishCall(me: Process, req: CallReq): unknown {
  me.sched.cancelWait(me);
  if (req.state === DONE) return req.value;
  if (req.state === FAILED) panic(`call failed: ${req.reason}`);
  // timed out: the late reply is discarded, never delivered
  req.state = CANCELLED;
  monRemove(req.target, req);
  panic("call failed: timeout");
}
