// Timers of the process runtime (runtime/sched): Timer.send_after / apply_after entries, moving due
// timers (waits with a timeout included) to the run queue, and the one host timer that covers the
// earliest deadline of the heap (concurrency.md §1.6, §5.1). Waits themselves are armed by
// `Scheduler.startWait` (hot path); this module is what runs when timers fire.
import type { Pid } from "./pid.js";
import { extOf } from "./process.js";
import { ManualClock } from "./clock.js";
import { T_APPLY, T_SEND, T_WAIT, TimerEntry } from "./timer-heap.js";
import type { Scheduler } from "./scheduler.js";

const MAX_HOST_DELAY = 2 ** 31 - 1;

export function sendAfter(s: Scheduler, pid: Pid, ms: number, msg: unknown): void {
  const t = new TimerEntry(T_SEND, null, pid, msg);
  s.timers.push(t, s.clock.now() + Math.max(0, ms));
  const q = pid.proc;
  if (q !== null) (extOf(q).ownedTimers ??= new Set()).add(t);
  if (!s.draining) afterIdleWork(s);
}

export function applyAfter(s: Scheduler, ms: number, f: Function): void {
  const t = new TimerEntry(T_APPLY, null, f, null);
  s.timers.push(t, s.clock.now() + Math.max(0, ms));
  if (!s.draining) afterIdleWork(s);
}

/** Moves due timers to the run queue; returns true if anything fired. */
/**
 * Fires due timers in deadline order, one deadline at a time: it stops once a fired timer made a
 * process runnable, and the drain loop runs the processes it woke before the next deadline's
 * timers fire. So when the node was held up (GC, a loaded machine) and several deadlines passed
 * at once, what the earlier timer's process does still happens before the later timer fires, as
 * it would have on time. Returns whether any timer fired.
 */
export function fireTimers(s: Scheduler, now: number): boolean {
  const h = s.timers;
  let fired = false;
  const before = s.runnable;
  let group = -Infinity;
  for (;;) {
    const t = h.peek();
    if (t === undefined || t.deadline > now) break;
    if (t.deadline !== group) {
      if (s.runnable > before) break;
      group = t.deadline;
    }
    h.pop();
    fired = true;
    if (t.kind === T_WAIT) {
      // A process already woken (message, reply) but not yet run still learns of the timeout.
      const p = t.proc!;
      t.fired = true;
      s.wake(p, null);
    } else if (t.kind === T_SEND) {
      const pid = t.a as Pid;
      pid.proc?.ext?.ownedTimers?.delete(t);
      s.sendTo(pid, t.b);
    } else if (t.kind === T_APPLY) {
      s.spawn(t.a as Function);
    }
  }
  return fired;
}

export function armHostTimer(s: Scheduler): void {
  const t = s.timers.peek();
  if (t === undefined) {
    disarmHostTimer(s);
    return;
  }
  if (t.deadline === s.hostTimerAt && s.hostTimer !== null) return;
  disarmHostTimer(s);
  // host timers cannot exceed 2^31-1 ms; a later deadline is simply re-armed when that fires
  const delay = Math.min(MAX_HOST_DELAY, Math.max(0, t.deadline - s.clock.now()));
  s.hostTimerAt = t.deadline;
  s.hostTimer = s.clock.setTimer(s.clock instanceof ManualClock ? delay : Math.ceil(delay), s.hostTimerCb);
}

export function disarmHostTimer(s: Scheduler): void {
  if (s.hostTimer !== null) {
    s.clock.clearTimer(s.hostTimer);
    s.hostTimer = null;
  }
  s.hostTimerAt = Infinity;
}

/** A timer was added from outside a drain: make sure the host timer covers it. */
function afterIdleWork(s: Scheduler): void {
  if (s.runnable > 0) return; // a drain is scheduled and will re-arm
  armHostTimer(s);
}
