// The scheduler of the process runtime (runtime/sched): one FIFO run queue of processes whose
// bodies are generators, drained in ~10 ms slices on the Node event loop — spawn, turns, waits,
// delivery and the drain loop (concurrency.md §1, §8). Exits, links, monitors and the registry
// are in exits.ts, timers in timers.ts; the Scheduler methods for them are thin entry points.
import { Clock, ManualClock, RealClock } from "./clock.js";
import { NodeRef, NULL_PID, Pid } from "./pid.js";
import { stderrWriter, stdoutWriter } from "./output.js";
import {
  budget,
  ExitHook,
  extOf,
  grownRing,
  K_ACTOR,
  K_JOB,
  K_PROCESS,
  K_SERVICE,
  K_SUPERVISOR,
  MAIN_INFO,
  mbPush,
  PLAIN_INFO,
  Process,
  ProcInfo,
  procInfo,
  RECV_WAIT,
  rt,
  RUNNABLE,
  TURN_BUDGET,
  WAITING,
} from "./process.js";
import { T_WAIT, TimerEntry, TimerHeap } from "./timer-heap.js";
import { ProcTable } from "./table.js";
import * as exits from "./exits.js";
import { kindLabel, runTurn } from "./driver.js";
import * as timers from "./timers.js";
import type { CallReq } from "./entries.js";

export type ProcessKind = "actor" | "service" | "process" | "job" | "supervisor";

export interface SpawnOptions {
  kind?: ProcessKind;
  name?: string;
  /** Actor `terminate` clause: called with the actor's latest arguments (see setActorArgs). */
  terminate?: (args: unknown[]) => unknown;
}

export interface SchedulerOptions {
  clock?: Clock;
  /** Called with the exit status when the program ends (default: process.exit). */
  exit?: (code: number) => void;
  stdout?: (s: string) => void;
  stderr?: (s: string) => void;
  /** Service call timeout; default MESH_CALL_TIMEOUT_MS or 5000. */
  callTimeoutMs?: number;
  /**
   * Drain the run queue on the Node event loop by itself (setImmediate / host timers).
   * Default: true with the real clock, false with a ManualClock (tests call flush/advance).
   */
  auto?: boolean;
  /** Length of a slice of continuous work before yielding to the event loop (default 10 ms). */
  sliceMs?: number;
}

/** Seams for the distribution layer; all optional. Without them remote nodes count as unconnected. */
export interface RemoteHooks {
  send?(to: Pid, msg: unknown): void;
  /** Returns false if the node is not connected (the caller then gets `noconnection`). */
  link?(from: Process, to: Pid): boolean;
  unlink?(from: Process, to: Pid): void;
  /** Returns false if the node is not connected (the caller then gets Down … noconnection). */
  monitor?(from: Process, to: Pid, ref: number): boolean;
  demonitor?(from: Process, to: Pid, ref: number): void;
  /** An exit signal from a local process to a remote pid: `viaExit` for Process.exit, else a link. */
  exitSignal?(from: Pid, to: Pid, reason: string, kill: boolean, viaExit?: boolean): void;
  /** A service call to a remote pid: the pending request (the caller waits on it), or throws the
   *  caller's panic (`call failed: noconnection`, `unsendable value: T`). */
  call?(caller: Process, to: Pid, service: string, handler: string, args: unknown[]): CallReq;
  cast?(to: Pid, service: string, handler: string, args: unknown[]): void;
  /** The program is ending: say BYE to the peers. */
  halt?(): void;
  isAlive?(to: Pid): boolean;
  /** True while the node must stay up although nothing local is pending (§1.12 rules 3 and 5). */
  keepAlive?(): boolean;
}

const NO_ARGS: unknown[] = [];

/** The descriptor for spawn options (shared per kind and name; see ProcInfo). */
function infoOf(opts: SpawnOptions): ProcInfo {
  const k = opts.kind;
  const t = opts.terminate;
  if (t === undefined && (k === undefined || k === "process")) return PLAIN_INFO;
  const kind =
    k === "actor" ? K_ACTOR : k === "service" ? K_SERVICE : k === "supervisor" ? K_SUPERVISOR : k === "job" ? K_JOB : K_PROCESS;
  return procInfo(kind, opts.name ?? "", t ?? null);
}

function envCallTimeout(): number {
  const raw = typeof process !== "undefined" ? process.env["MESH_CALL_TIMEOUT_MS"] : undefined;
  if (raw !== undefined && raw !== "") {
    const n = Number(raw);
    if (Number.isFinite(n) && n >= 0) return n;
  }
  return 5000;
}

export class Scheduler {
  readonly clock: Clock;
  /** This node's identity; `Node.start` fills in name and creation. */
  readonly localNode = new NodeRef("", 0, true);
  readonly auto: boolean;
  readonly sliceMs: number;
  callTimeoutMs: number;
  out: (s: string) => void;
  err: (s: string) => void;
  remote: RemoteHooks | null = null;

  // run queue: ring buffer
  private q: (Process | undefined)[] = new Array<Process | undefined>(1024).fill(undefined);
  private qHead = 0;
  private qLen = 0;

  private nextSerial = 1;
  nextRef = 1;
  /** References of internal call monitors (kept apart so user monitor refs count 1, 2, 3 …). */
  nextCallRef = 1;
  /** clock.now() as of the last scheduler check; good enough for coarse deadlines. */
  coarseNow = 0;
  /** Live local processes (`size`, `get(serial)`, `values()`). */
  readonly live = new ProcTable();
  readonly names = new Map<string, Process>();
  readonly timers = new TimerHeap();

  private holds = 0;
  private keepHandle: ReturnType<typeof setInterval> | null = null;
  /** True while a drain runs. Runtime-internal, like the host timer fields below. */
  draining = false;
  private kickPending = false;
  hostTimer: unknown = null;
  hostTimerAt = Infinity;
  private mainProc: Process | null = null;
  private exitHook: (code: number) => void;
  /** Set once the program has ended (exit hook called): nothing runs any more. */
  halted = false;
  exitCode: number | null = null;

  private readonly drainCb = (): void => {
    this.kickPending = false;
    this.drain(true, Infinity);
  };
  readonly hostTimerCb = (): void => {
    this.hostTimer = null;
    this.hostTimerAt = Infinity;
    this.drain(this.auto, Infinity);
  };

  constructor(opts: SchedulerOptions = {}) {
    this.clock = opts.clock ?? new RealClock();
    this.auto = opts.auto ?? !(this.clock instanceof ManualClock);
    this.sliceMs = opts.sliceMs ?? 10;
    this.callTimeoutMs = opts.callTimeoutMs ?? envCallTimeout();
    this.out = opts.stdout ?? stdoutWriter;
    this.err = opts.stderr ?? stderrWriter;
    this.exitHook = opts.exit ?? ((code: number) => process.exit(code));
  }

  // ---- run queue ------------------------------------------------------------------------------

  enqueue(p: Process): void {
    p.status = RUNNABLE;
    let q = this.q;
    if (this.qLen === q.length) q = this.growQueue();
    q[(this.qHead + this.qLen) & (q.length - 1)] = p;
    this.qLen++;
    if (!this.draining && !this.kickPending && this.auto) this.kick();
  }

  /**
   * The one wake-up: makes `p` runnable if it waits on `on` (`null`: on whatever it waits for —
   * its wait timed out, or an exit signal arrived). Returns whether `p` was woken. Invariants:
   * - `p.waitObj` is non-null exactly while `p.status === WAITING`, and names what can end the
   *   wait: RECV_WAIT (any new message), SLEEP_WAIT (only its timer), or the one object whose
   *   settlement it waits for (a CallReq, a JobState, a PromiseWait). Only that party passes it
   *   as `on`, so an unrelated event never wakes a process (a reply does not end a sleep).
   * - Waking clears `waitObj` before enqueueing, so of two events racing for the same wait (a
   *   message and the timeout, a reply and an exit signal) only the first enqueues: a process
   *   is in the run queue at most once.
   * - The wait timer is left armed: when the timer also fires before the process runs, it only
   *   sets `waitTimer.fired`, and the resumed operation (receive, call) checks that flag and
   *   cancels the timer itself. Exit wake-ups cancel the wait (`cancelWait`) first.
   * - Exited processes have `waitObj === null` and are never woken.
   * Hot paths (sends, casts) test `waitObj === RECV_WAIT` inline before calling, so a send to a
   * process that is not waiting costs one comparison.
   */
  wake(p: Process, on: object | null): boolean {
    const w = p.waitObj;
    if (w === null || (on !== null && w !== on)) return false;
    p.waitObj = null;
    this.enqueue(p);
    return true;
  }

  private growQueue(): (Process | undefined)[] {
    const q = grownRing(this.q, this.qHead);
    this.q = q;
    this.qHead = 0;
    return q;
  }

  private dequeue(): Process | undefined {
    if (this.qLen === 0) return undefined;
    const q = this.q;
    const h = this.qHead;
    const p = q[h];
    q[h] = undefined;
    this.qHead = (h + 1) & (q.length - 1);
    this.qLen--;
    return p;
  }

  /** Number of runnable processes. */
  get runnable(): number {
    return this.qLen;
  }

  private kick(): void {
    if (this.kickPending || this.halted) return;
    this.kickPending = true;
    setImmediate(this.drainCb);
  }

  // ---- process creation -----------------------------------------------------------------------

  spawn(fn: Function, args: unknown[] = NO_ARGS, opts?: SpawnOptions): Pid {
    const pid = new Pid(this.localNode, this.nextSerial++);
    this.start(pid, opts === undefined ? PLAIN_INFO : infoOf(opts), fn, args);
    return pid;
  }

  /** A fresh local serial (for pids made by `start`'s callers). */
  newSerial(): number {
    return this.nextSerial++;
  }

  /** Creates the process behind a fresh local `pid` and makes it runnable. Runtime-internal. */
  start(pid: Pid, info: ProcInfo, fn: Function, args: unknown[]): Process {
    const p = new Process(this, pid, info, fn, args);
    pid.proc = p;
    if (info.terminate !== null) extOf(p).actorArgs = args;
    this.live.add(p);
    this.enqueue(p);
    return p;
  }

  /** Runs `mainFn` as process <0.1> and ends the program per §1.12 through the exit hook. */
  runMain(mainFn: Function): Pid {
    const pid = new Pid(this.localNode, this.nextSerial++);
    this.mainProc = this.start(pid, MAIN_INFO, mainFn, NO_ARGS);
    return pid;
  }

  /** How reports name a process: `actor Name`, `service Name`, `process`, … */
  kindLabel(p: Process): string {
    return kindLabel(p);
  }

  /** Ends the program: nothing runs any more; the exit hook gets `code`. */
  halt(code: number): void {
    if (this.halted) return;
    this.halted = true;
    this.exitCode = code;
    while (this.qLen > 0) this.dequeue();
    this.timers.clear();
    timers.disarmHostTimer(this);
    if (this.keepHandle !== null) clearInterval(this.keepHandle);
    this.keepHandle = null;
    try {
      this.remote?.halt?.();
    } catch {
      // saying BYE is best effort
    }
    this.exitHook(code);
  }

  // ---- delivery -------------------------------------------------------------------------------

  /** Appends a message to a local process and wakes it if it waits in receive. */
  deliver(q: Process, msg: unknown): void {
    mbPush(q, msg);
    if (q.waitObj === RECV_WAIT) this.wake(q, RECV_WAIT);
  }

  /** Sends to any pid: local append (+ wake), remote via the distribution hooks, else dropped. */
  sendTo(pid: Pid, msg: unknown): void {
    const q = pid.proc;
    if (q !== null) {
      mbPush(q, msg);
      if (q.waitObj === RECV_WAIT) this.wake(q, RECV_WAIT);
    } else if (!pid.node.local) {
      this.remote?.send?.(pid, msg);
    }
  }

  // ---- waits ----------------------------------------------------------------------------------

  /** Puts the running process into a wait on `obj`, with a timeout if `ms` > 0 and finite. */
  startWait(p: Process, obj: object, ms: number): void {
    p.status = WAITING;
    p.waitObj = obj;
    if (ms > 0 && ms !== Infinity) this.armWait(p, this.clock.now() + ms);
    else if (p.waitTimer !== null) p.waitTimer.fired = false;
  }

  /** Like startWait with a deadline from the cached clock (call timeouts: ms-level precision). */
  startWaitCoarse(p: Process, obj: object, ms: number): void {
    p.status = WAITING;
    p.waitObj = obj;
    if (ms > 0 && ms !== Infinity) this.armWait(p, this.coarseNow + ms);
    else if (p.waitTimer !== null) p.waitTimer.fired = false;
  }

  private armWait(p: Process, deadline: number): void {
    let t = p.waitTimer;
    if (t === null) t = p.waitTimer = new TimerEntry(T_WAIT, p, null, null);
    else if (t.idx >= 0) this.timers.remove(t);
    t.fired = false;
    this.timers.push(t, deadline);
  }

  /** Ends the current wait's timeout (if any) and forgets that it fired. */
  cancelWait(p: Process): void {
    const t = p.waitTimer;
    if (t === null) return;
    if (t.idx >= 0) this.timers.remove(t);
    t.fired = false;
  }

  sendAfter(pid: Pid, ms: number, msg: unknown): void {
    timers.sendAfter(this, pid, ms, msg);
  }

  applyAfter(ms: number, f: Function): void {
    timers.applyAfter(this, ms, f);
  }

  // ---- the drain loop -------------------------------------------------------------------------

  /**
   * Runs turns until the queue is empty (and no timer is due), or `limit` turns ran, or — when
   * `sliced` — the slice time is used up, in which case the rest runs after a setImmediate.
   */
  private drain(sliced: boolean, limit: number): void {
    if (this.halted || this.draining) return;
    this.draining = true;
    const clock = this.clock;
    const start = clock.now();
    this.coarseNow = start;
    const sliceMs = this.sliceMs;
    let n = 0;
    let work = 0;
    let yielded = false;
    try {
      if (this.timers.size > 0) timers.fireTimers(this, start);
      for (;;) {
        if (this.qLen === 0) {
          if (this.timers.size > 0 && timers.fireTimers(this, clock.now()) && this.qLen > 0) continue;
          break;
        }
        const p = this.dequeue()!;
        runTurn(this, p);
        if (this.halted) return;
        // Check the clock (due timers, slice end) every 16 turns, or sooner once the turns since
        // the last check used a full turn's worth of reductions: cheap turns are not slowed by
        // clock reads, long ones do not delay timers.
        work += TURN_BUDGET + 1 - budget.n;
        if ((++n & 15) === 0 || work > TURN_BUDGET) {
          work = 0;
          const t = clock.now();
          this.coarseNow = t;
          if (this.timers.size > 0) timers.fireTimers(this, t);
          if (sliced && t - start >= sliceMs) {
            yielded = true;
            break;
          }
          if (n >= limit) break;
        } else if (n >= limit) break;
      }
    } finally {
      rt.cur = null;
      this.draining = false;
    }
    if (this.halted) return;
    if (yielded) {
      this.kick();
      return;
    }
    if (this.qLen === 0) {
      timers.armHostTimer(this);
      this.checkIdle();
    } else if (this.auto) {
      this.kick();
    }
  }

  private checkIdle(): void {
    if (this.mainProc === null || this.halted) return;
    if (this.qLen !== 0 || this.timers.size !== 0 || this.holds !== 0) return;
    if (this.remote?.keepAlive?.() === true) return;
    this.halt(0);
  }

  /** Runs until idle at the current time (or `maxTurns` turns). For tests and embedding. */
  flush(maxTurns = Infinity): void {
    this.drain(false, maxTurns);
  }

  /** Test clock only: flush, move time forward `ms` (firing timers on the way), flush. */
  advance(ms: number): void {
    const c = this.clock;
    if (!(c instanceof ManualClock)) throw new Error("Scheduler.advance needs a ManualClock");
    this.flush();
    c.advance(ms);
    this.flush();
  }

  /** Test clock only: advances through pending timers until none is left (at most `maxMs`). */
  settle(maxMs = 1e9): void {
    const c = this.clock;
    if (!(c instanceof ManualClock)) throw new Error("Scheduler.settle needs a ManualClock");
    const end = c.now() + maxMs;
    this.flush();
    while (!this.halted && this.timers.size > 0) {
      const t = this.timers.peek()!;
      if (t.deadline > end) break;
      c.advance(Math.max(0, t.deadline - c.now()));
      this.flush();
    }
  }

  /** Registers an outstanding host handle (I/O, server): the program stays up until released. */
  holdAlive(): () => void {
    this.holds++;
    if (this.holds === 1 && this.auto && this.keepHandle === null) {
      this.keepHandle = setInterval(noop, 1 << 30);
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.holds--;
      if (this.holds === 0) {
        if (this.keepHandle !== null) clearInterval(this.keepHandle);
        this.keepHandle = null;
        if (this.auto && !this.draining) this.kick();
      }
    };
  }

  get pendingHolds(): number {
    return this.holds;
  }

  // ---- Process module (exits.ts) ----------------------------------------------------------------

  link(me: Process, pid: Pid): void {
    exits.link(this, me, pid);
  }

  unlink(me: Process, pid: Pid): void {
    exits.unlink(this, me, pid);
  }

  monitor(me: Process, pid: Pid): number {
    return exits.monitor(this, me, pid);
  }

  demonitor(me: Process, ref: number): number {
    return exits.demonitor(this, me, ref);
  }

  /** Process.exit(pid, reason) sent by `me` (null outside any process). */
  exit(me: Process | null, pid: Pid, reason: string): void {
    exits.exitSignal(this, me, pid, reason);
  }

  /** Delivers an exit signal (from, reason) to local process q (§2.3). */
  signal(q: Process, from: Pid, reason: string, kill: boolean): void {
    exits.signal(this, q, from, reason, kill);
  }

  /**
   * Runs `hook(reason)` once when live process `p` exits, whatever the reason, after its exit
   * steps (see README.md, "Exit hooks"). Returns the registration, whose `cancel()` removes it.
   */
  onExit(p: Process, hook: (reason: string) => void): ExitHook {
    return exits.addExitHook(p, hook);
  }

  register(name: string, pid: Pid): number {
    return exits.register(this, name, pid);
  }

  whereis(name: string): Pid {
    const q = this.names.get(name);
    return q !== undefined ? q.pid : NULL_PID;
  }

  unregister(name: string): number {
    return exits.unregister(this, name);
  }

  isAlive(pid: Pid): boolean {
    if (pid.proc !== null) return true;
    if (!pid.node.local && !pid.isNull()) return this.remote?.isAlive?.(pid) === true;
    return false;
  }

  /** True if some process waits in receive (services and supervisors included): §1.12 rule 5. */
  hasReceiveWaiters(): boolean {
    for (const p of this.live.values()) if (p.waitObj === RECV_WAIT) return true;
    return false;
  }

  /** Looks up a live local process by serial (for the distribution layer). */
  processBySerial(serial: number): Process | undefined {
    return this.live.get(serial);
  }
}

function noop(): void {}
