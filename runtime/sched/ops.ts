// Process primitives called by generated code (runtime/sched): self/spawn/send, selective
// receive, sleep, host-promise waits and the Process module (concurrency.md §1–§2, §5.1).
// Blocking ones are generator functions used with `yield*`.
import { panic } from "./errors.js";
import { NULL_PID, Pid } from "./pid.js";
import { BLOCK, doneOp, EXITED, ExitHook, extOf, mbPush, Process, RECV_WAIT, recvOp, rt, sleepOp } from "./process.js";
import { Scheduler, SpawnOptions } from "./scheduler.js";

let defaultSched: Scheduler | null = null;

/** The global scheduler used by runMain and by calls made outside any process. */
export function defaultScheduler(): Scheduler {
  return (defaultSched ??= new Scheduler());
}

/** Replaces the global scheduler (tests); null makes the next use create a fresh real one. */
export function setDefaultScheduler(s: Scheduler | null): void {
  defaultSched = s;
}

/** The scheduler of the running process, else the global one. */
export function currentScheduler(): Scheduler {
  const p = rt.cur;
  return p !== null ? p.sched : defaultScheduler();
}

function current(op: string): Process {
  const p = rt.cur;
  if (p === null) throw new Error(`${op} must be called inside a Mesh process`);
  return p;
}

// ---- basics ---------------------------------------------------------------------------------

export function self(): Pid {
  const p = rt.cur;
  return p !== null ? p.pid : NULL_PID;
}

export function spawn(fn: Function, args: unknown[] = [], opts?: SpawnOptions): Pid {
  return currentScheduler().spawn(fn, args, opts);
}

/** Synchronous append to the target's mailbox (+ wake). Never fails; dead targets drop it. */
export function send(pid: Pid, msg: unknown): void {
  const q = pid.proc;
  if (q !== null) {
    mbPush(q, msg);
    if (q.waitObj === RECV_WAIT) q.sched.wake(q, RECV_WAIT); // guard inline: the hot path
    return;
  }
  if (!pid.node.local) currentScheduler().sendTo(pid, msg);
}

/** Records the actor's current continuation arguments for its terminate clause (§1.9). */
export function setActorArgs(args: unknown[]): void {
  const p = rt.cur;
  const x = p !== null ? p.ext : null;
  if (x !== null) x.actorArgs = args;
}

// ---- receive / sleep ------------------------------------------------------------------------

/**
 * Selective receive (§1.6), used as `yield* receive(matcher, timeoutMs)`. `matcher(msg)` returns
 * undefined for "no arm accepts", anything else for "accepted" (that value is returned).
 * `timeoutMs`: null = no after clause, 0 = poll, < 0 = forever; on timeout returns TIMEOUT.
 * Returns a reusable iterator owned by the process, not a fresh generator.
 */
export function receive(
  matcher: (msg: unknown) => unknown,
  timeoutMs: number | null,
): Generator<unknown, unknown, unknown> {
  return recvOp(rt.cur!, matcher, timeoutMs);
}

/** Timer.sleep, used as `yield* sleep(ms)`: suspends only the caller; `ms <= 0` returns at once. */
export function sleep(ms: number): Generator<unknown, unknown, unknown> {
  if (!(ms > 0)) return doneOp();
  return sleepOp(rt.cur!, ms);
}

class PromiseWait {
  done = false;
  ok = false;
  value: unknown = undefined;
  constructor(readonly p: Process) {}
  settle(ok: boolean, value: unknown): void {
    this.done = true;
    this.ok = ok;
    this.value = value;
    this.p.sched.wake(this.p, this);
  }
}

/**
 * Host I/O: suspends only the caller until `promise` settles, then returns its value or throws
 * its rejection inside the process. The program stays alive meanwhile. A process that exits while
 * waiting ignores the result and stops keeping the program alive for it.
 */
export function* awaitPromise<T>(promise: PromiseLike<T>): Generator<unknown, T, unknown> {
  const p = current("awaitPromise");
  const s = p.sched;
  const w = new PromiseWait(p);
  const release = s.holdAlive();
  promise.then(
    (v) => {
      release();
      w.settle(true, v);
    },
    (e) => {
      release();
      w.settle(false, e);
    },
  );
  if (!w.done) {
    s.startWait(p, w, -1);
    try {
      yield BLOCK;
    } finally {
      // closed by an exit while waiting: the result is ignored, so it no longer keeps the program up
      if (!w.done) release();
    }
  }
  if (w.ok) return w.value as T;
  throw w.value;
}

// ---- Process module -------------------------------------------------------------------------

export function link(pid: Pid): void {
  const p = current("link");
  p.sched.link(p, pid);
}

export function unlink(pid: Pid): void {
  const p = current("Process.unlink");
  p.sched.unlink(p, pid);
}

export function monitor(pid: Pid): number {
  const p = current("Process.monitor");
  return p.sched.monitor(p, pid);
}

export function demonitor(ref: number): number {
  const p = current("Process.demonitor");
  return p.sched.demonitor(p, ref);
}

export function exit(pid: Pid, reason: string): void {
  currentScheduler().exit(rt.cur, pid, reason);
}

export function trapExit(flag: boolean): boolean {
  const p = current("Process.trap_exit");
  const x = p.ext;
  const prev = x !== null && x.trapExit;
  if (flag || x !== null) extOf(p).trapExit = flag;
  return prev;
}

/**
 * Exit hook for host resources: runs `hook(reason)` exactly once when the process exits, for any
 * reason (normal return, crash, kill, exit signal), after its exit steps — links signalled,
 * monitors notified, pending calls failed. `target`: a local pid, or null for the running
 * process. Returns the registration (`cancel()` removes it, e.g. on checkin), or null if the
 * target is not a live local process (the hook is then never called). Hooks are plain
 * functions: they must not block; an error they throw is reported on stderr and ignored.
 */
export function onExit(target: Pid | null, hook: (reason: string) => void): ExitHook | null {
  const p = target === null ? current("onExit") : target.proc;
  if (p === null || p.status === EXITED) return null;
  return p.sched.onExit(p, hook);
}

export function register(name: string, pid: Pid): number {
  return currentScheduler().register(name, pid);
}

export function whereis(name: string): Pid {
  return currentScheduler().whereis(name);
}

/** Process.lookup: the pid, or null for None (the stdlib layer wraps it in Option). */
export function lookup(name: string): Pid | null {
  const pid = currentScheduler().whereis(name);
  return pid.isNull() ? null : pid;
}

export function unregister(name: string): number {
  return currentScheduler().unregister(name);
}

export function isAlive(pid: Pid): boolean {
  return currentScheduler().isAlive(pid);
}

// ---- timers -----------------------------------------------------------------------------------

export function sendAfter(pid: Pid, ms: number, msg: unknown): void {
  currentScheduler().sendAfter(pid, ms, msg);
}

export function applyAfter(ms: number, f: Function): void {
  currentScheduler().applyAfter(ms, f);
}

// ---- program ----------------------------------------------------------------------------------

/** Runs `mainFn` as process <0.1> on the global scheduler; the Node process exits per §1.12. */
export function runMain(mainFn: Function): void {
  const s = defaultScheduler();
  s.runMain(mainFn);
  if (!s.auto) s.flush();
}

/** Registers an outstanding host handle; the returned function releases it. */
export function holdAlive(): () => void {
  return currentScheduler().holdAlive();
}

export function writeOut(s: string): void {
  currentScheduler().out(s);
}

export function writeErr(s: string): void {
  currentScheduler().err(s);
}

export { panic };
