// Exits of the process runtime (runtime/sched): the exit steps (terminate clause, timers and
// names, links, monitors, exit hooks; concurrency.md §1.9), exit signals (§2.3), closing the
// generators of a process that exits while suspended, and the link/monitor/registry operations
// of the Process module (§2). Everything here runs once per exit or per Process-module call; the
// per-message paths are in scheduler.ts and process.ts.
import { ExitNow, reasonOf } from "./errors.js";
import { SysDown, SysExit } from "./messages.js";
import { NULL_PID, PidSet, type Pid } from "./pid.js";
import {
  budget,
  callDepth,
  EXITED,
  ExitHook,
  extOf,
  isGenObj,
  K_MAIN,
  mbAt,
  mbClear,
  mbTake,
  monAdd,
  monRemove,
  Monitor,
  PREEMPT,
  Process,
  ProcExt,
  RUNNING,
  TURN_BUDGET,
  WAITING,
} from "./process.js";
import { CallReq, failCall } from "./entries.js";
import { JobState, settleJob } from "./job.js";
import { drive } from "./driver.js";
import { MonEntry } from "./entries.js";

/** A monitor-list entry owned by another layer (a remote node's monitor): told of the exit. */
export abstract class ExitNotice extends MonEntry {
  abstract notify(pid: Pid, reason: string): void;
}
import type { Scheduler } from "./scheduler.js";

// ---- exit steps -------------------------------------------------------------------------------

/** Exit step 1 (terminate clause) or straight to finalize. `p` is the running process. */
export function beginExit(s: Scheduler, p: Process, reason: string): void {
  if (p.info.kind === K_MAIN && reason !== "normal") {
    s.err(`[mesh] main ${p.pid} exited: ${reason}\n`);
    s.halt(101);
    return;
  }
  const terminate = p.info.terminate;
  const x = terminate !== null ? extOf(p) : null;
  if (reason !== "killed" && x !== null && !x.terminating) {
    x.terminating = true;
    x.exitReason = reason;
    s.cancelWait(p);
    p.waitObj = null;
    x.frames = null;
    x.deepTotal = 0;
    p.status = RUNNING;
    const gen = runTerminate(terminate!, x.actorArgs ?? []);
    p.gen = gen;
    callDepth.n = 0;
    drive(s, p, gen);
    return;
  }
  finalize(s, p, reason);
}

/** Exit step 1 runs inside the exiting process; errors are reported by the driver and ignored. */
function* runTerminate(t: (args: unknown[]) => unknown, args: unknown[]): Generator<unknown, unknown, unknown> {
  const r = t(args);
  if (isGenObj(r)) yield* r;
  return undefined;
}

/** Exit steps 2–5 (§1.9), then the exit hooks. */
export function finalize(s: Scheduler, p: Process, reason: string): void {
  if (p.status === EXITED) return;
  p.status = EXITED;
  p.waitObj = null;
  s.cancelWait(p);
  const x = p.ext;
  p.ext = null;
  s.live.remove(p);
  const me = p.pid;
  me.proc = null;
  mbClear(p);
  p.gen = null;
  p.opArg = null;
  if (x !== null) finalizeExt(s, p, x, reason);
}

/** The exit steps for what the side record holds: timers, names, links, monitors, hooks. */
function finalizeExt(s: Scheduler, p: Process, x: ProcExt, reason: string): void {
  const me = p.pid;
  const owned = x.ownedTimers;
  if (owned !== null) {
    for (const t of owned) s.timers.remove(t);
  }
  const names = x.names;
  if (names !== null) {
    for (const n of names) if (s.names.get(n) === p) s.names.delete(n);
  }
  const links = x.links;
  if (links !== null) {
    for (const other of links) {
      const q = other.proc;
      if (q !== null) {
        q.ext?.links?.delete(me);
        signal(s, q, me, reason, false);
      } else if (!other.node.local) {
        s.remote?.exitSignal?.(me, other, reason, false);
      }
    }
  }
  const mons = x.monitors;
  if (mons !== null) {
    for (const [ref, m] of mons) {
      const t = m.target.proc;
      if (t !== null) monRemove(t, m);
      else if (!m.target.node.local) s.remote?.demonitor?.(p, m.target, ref);
    }
  }
  let e = x.monFirst;
  x.monFirst = x.monLast = null;
  while (e !== null) {
    const next = e.monNext;
    e.monPrev = e.monNext = null;
    if (e instanceof Monitor) {
      const w = e.watcher;
      if (w.status !== EXITED) {
        w.ext?.monitors?.delete(e.ref);
        s.deliver(w, new SysDown(e.ref, me, reason));
      }
    } else if (e instanceof CallReq) {
      failCall(e, reason);
    } else if (e instanceof JobState) {
      settleJob(e, false, reason);
    } else if (e instanceof ExitNotice) {
      e.notify(me, reason);
    }
    e = next;
  }
  x.frames = null;
  x.actorArgs = null;
  const hooks = x.exitHooks;
  if (hooks !== null) {
    x.exitHooks = null;
    runExitHooks(s, p, hooks, reason);
  }
}

function runExitHooks(s: Scheduler, p: Process, hooks: ExitHook[], reason: string): void {
  for (const h of hooks) {
    const f = h.fn;
    h.fn = null;
    h.proc = null;
    if (f === null) continue;
    try {
      f(reason);
    } catch (e) {
      s.err(`[mesh] exit hook of ${p.pid} failed: ${reasonOf(e)}\n`);
    }
  }
}

/** Registers `fn` to run once when live process `p` exits (see README.md, "Exit hooks"). */
export function addExitHook(p: Process, fn: (reason: string) => void): ExitHook {
  const h = new ExitHook(p, fn);
  (extOf(p).exitHooks ??= []).push(h);
  return h;
}

/** How many times closing a process's generators may resume cleanup code that yields. */
const CLOSE_STEPS = 1000;

/**
 * A process exits while suspended (exit signal, kill): close its generators — the running one,
 * then the deepCall frames below it — with `return()`, so `finally` blocks of host code run
 * (answer a request, give back a connection). Cleanup runs in the exiting process; it must not
 * block: a cleanup that yields PREEMPT is resumed (up to CLOSE_STEPS times), one that waits is
 * abandoned by closing it again; errors thrown by cleanup are ignored.
 */
export function closeStack(s: Scheduler, p: Process): void {
  const gen = p.gen;
  if (gen === null) return;
  p.gen = null;
  closeGen(s, p, gen);
  const fr = p.ext?.frames;
  if (fr !== null && fr !== undefined) {
    while (fr.length > 0) {
      fr.pop(); // saved depth
      closeGen(s, p, fr.pop() as Generator<unknown, unknown, unknown>);
    }
  }
  callDepth.n = 0;
}

function closeGen(s: Scheduler, p: Process, gen: Generator<unknown, unknown, unknown>): void {
  try {
    budget.n = TURN_BUDGET;
    let r = gen.return(undefined);
    for (let steps = 0; r.done !== true; steps++) {
      // cleanup that started a wait: undo it, the process is not going to wait
      s.cancelWait(p);
      p.waitObj = null;
      p.status = RUNNING;
      if (steps >= CLOSE_STEPS) return; // the generator is dropped
      budget.n = TURN_BUDGET;
      r = r.value === PREEMPT ? gen.next() : gen.return(undefined);
    }
  } catch {
    // cleanup code failed: the exit reason stays the one of the exit
  }
}

// ---- exit signals -----------------------------------------------------------------------------

/** Delivers an exit signal (from, reason) to local process q (§2.3). */
export function signal(s: Scheduler, q: Process, from: Pid, reason: string, kill: boolean): void {
  if (q.status === EXITED) return;
  if (kill) {
    extOf(q).pendingExit = "killed";
    wakeForExit(s, q);
    return;
  }
  const x = q.ext;
  if (x !== null) {
    if (x.terminating) return;
    if (x.trapExit) {
      s.deliver(q, new SysExit(from, reason));
      return;
    }
  }
  if (reason === "normal") return;
  const y = extOf(q);
  if (y.pendingExit === null) {
    y.pendingExit = reason;
    wakeForExit(s, q);
  }
}

export function wakeForExit(s: Scheduler, q: Process): void {
  if (q.status === WAITING) {
    s.cancelWait(q);
    s.wake(q, null);
  }
}

/** Process.exit(pid, reason) sent by `me` (null outside any process). */
export function exitSignal(s: Scheduler, me: Process | null, pid: Pid, reason: string): void {
  const from = me !== null ? me.pid : NULL_PID;
  const q = pid.proc;
  if (q === null) {
    if (!pid.node.local) s.remote?.exitSignal?.(from, pid, reason, reason === "kill", true);
    return;
  }
  if (reason === "kill") {
    if (q === me) throw new ExitNow("killed");
    signal(s, q, from, "killed", true);
    return;
  }
  if (q === me) {
    const x = q.ext;
    if (x !== null && x.trapExit && !x.terminating) {
      s.deliver(q, new SysExit(from, reason));
      return;
    }
    throw new ExitNow(reason);
  }
  signal(s, q, from, reason, false);
}

// ---- links and monitors -----------------------------------------------------------------------

export function link(s: Scheduler, me: Process, pid: Pid): void {
  if (pid === me.pid || pid.equals(me.pid)) return;
  if (me.ext?.links?.has(pid) === true) return; // already linked (by pid identity)
  const q = pid.proc;
  if (q === null) {
    let reason = "noproc";
    if (!pid.node.local && !pid.isNull()) {
      if (s.remote?.link?.(me, pid) === true) {
        (extOf(me).links ??= new PidSet()).add(pid);
        return;
      }
      reason = "noconnection";
    }
    if (me.trapExit) s.deliver(me, new SysExit(pid, reason));
    else throw new ExitNow(reason);
    return;
  }
  (extOf(me).links ??= new PidSet()).add(pid);
  (extOf(q).links ??= new PidSet()).add(me.pid);
}

export function unlink(s: Scheduler, me: Process, pid: Pid): void {
  const links = me.ext?.links;
  if (links === null || links === undefined) return;
  const l = links instanceof PidSet ? links.get(pid) : [...links].find((x) => x.equals(pid));
  if (l === undefined) return;
  links.delete(l);
  const q = l.proc;
  if (q !== null) q.ext?.links?.delete(me.pid);
  else if (!l.node.local) s.remote?.unlink?.(me, l);
}

export function monitor(s: Scheduler, me: Process, pid: Pid): number {
  const ref = s.nextRef++;
  const q = pid.proc;
  if (q === me) {
    (extOf(me).monitors ??= new Map()).set(ref, new Monitor(ref, me, pid));
    return ref;
  }
  if (q === null) {
    if (!pid.node.local && !pid.isNull()) {
      if (s.remote?.monitor?.(me, pid, ref) === true) {
        (extOf(me).monitors ??= new Map()).set(ref, new Monitor(ref, me, pid));
        return ref;
      }
      s.deliver(me, new SysDown(ref, pid, "noconnection"));
      return ref;
    }
    s.deliver(me, new SysDown(ref, pid, "noproc"));
    return ref;
  }
  const m = new Monitor(ref, me, pid);
  (extOf(me).monitors ??= new Map()).set(ref, m);
  monAdd(q, m);
  return ref;
}

export function demonitor(s: Scheduler, me: Process, ref: number): number {
  const mons = me.ext?.monitors;
  const m = mons?.get(ref);
  if (m === undefined) return 1;
  mons!.delete(ref);
  const t = m.target.proc;
  if (t !== null) monRemove(t, m);
  else if (!m.target.node.local) s.remote?.demonitor?.(me, m.target, ref);
  for (let i = 0; i < me.mbCount; i++) {
    const msg = mbAt(me, i);
    if (msg instanceof SysDown && msg._0 === ref) {
      mbTake(me, i);
      break;
    }
  }
  return 0;
}

// ---- registry -----------------------------------------------------------------------------------

export function register(s: Scheduler, name: string, pid: Pid): number {
  if (name === "" || s.names.has(name)) return 1;
  const q = pid.proc;
  if (q === null || q.status === EXITED) return 1;
  s.names.set(name, q);
  (extOf(q).names ??= []).push(name);
  return 0;
}

export function unregister(s: Scheduler, name: string): number {
  const q = s.names.get(name);
  if (q === undefined) return 1;
  s.names.delete(name);
  const names = q.ext?.names;
  if (names !== null && names !== undefined) {
    const i = names.indexOf(name);
    if (i >= 0) names.splice(i, 1);
  }
  return 0;
}
