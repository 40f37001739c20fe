// Entries shared by the runtime's modules (runtime/sched): the intrusive monitor list and the
// service request records. A leaf module (type-only imports) so class hierarchies load in any order.
import { panic } from "./errors.js";
import type { Process } from "./process.js";

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
  const last = p.monLast;
  e.monPrev = last;
  e.monNext = null;
  if (last !== null) last.monNext = e;
  else p.monFirst = e;
  p.monLast = e;
}

export function monRemove(p: Process, e: MonEntry): void {
  const prev = e.monPrev;
  const next = e.monNext;
  if (prev !== null) prev.monNext = next;
  else if (p.monFirst === e) p.monFirst = next;
  else return; // not in this list
  if (next !== null) next.monPrev = prev;
  else p.monLast = prev;
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
  const c = req.caller;
  if (c.waitObj === req) {
    c.waitObj = null;
    c.sched.enqueue(c);
  }
}

/** The caller resumed after waiting on `req`: the reply, or the failure as a panic. */
export function finishCall(me: Process, req: CallReq): unknown {
  me.sched.cancelWait(me);
  me.timedOut = false;
  if (req.state === DONE) return req.value;
  if (req.state === FAILED) panic(`call failed: ${req.reason}`);
  // timed out: the late reply is discarded, never delivered
  req.state = CANCELLED;
  monRemove(req.target, req);
  panic("call failed: timeout");
}
