// The scheduler of the process runtime (runtime/sched): one FIFO run queue of processes whose
// bodies are generators, drained in ~10 ms slices on the Node event loop, plus the timer heap,
// exit/link/monitor machinery and the local registry (concurrency.md §1–§2, §8).
import { Clock, ManualClock, RealClock } from "./clock.js";
import { ExitNow, MeshPanic, reasonOf } from "./errors.js";
import { SysDown, SysExit } from "./messages.js";
import { NodeRef, NULL_PID, Pid } from "./pid.js";
import { stderrWriter, stdoutWriter } from "./output.js";
import { formatPanicLocation } from "../core/location.js";
import {
  BLOCK,
  budget,
  callDepth,
  EXITED,
  extOf,
  isGen,
  isGenObj,
  K_ACTOR,
  K_JOB,
  K_MAIN,
  K_PROCESS,
  K_SERVICE,
  K_SUPERVISOR,
  mbAt,
  mbClear,
  mbPush,
  mbTake,
  monAdd,
  monRemove,
  Monitor,
  PREEMPT,
  Process,
  RECV_WAIT,
  rt,
  RUNNABLE,
  RUNNING,
  TURN_BUDGET,
  WAITING,
} from "./process.js";
import { T_APPLY, T_SEND, T_WAIT, TimerEntry, TimerHeap } from "./timer-heap.js";
import { CallReq, failCall } from "./entries.js";
import { JobState, settleJob } from "./job.js";

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
  /** An exit signal from a local process (exit or Process.exit) to a remote pid. */
  exitSignal?(from: Pid, to: Pid, reason: string, kill: boolean): void;
  isAlive?(to: Pid): boolean;
  /** True while the node must stay up although nothing local is pending (§1.12 rules 3 and 5). */
  keepAlive?(): boolean;
}

class DeepCall {
  constructor(
    readonly fn: Function,
    readonly args: unknown[],
  ) {}
}

/** Frame cap for deepCall (then "stack overflow"). */
const MAX_FRAMES = 100_000;
/** Cap on nested generator calls across all frames, so runaway recursion cannot exhaust memory. */
const MAX_DEPTH = 250_000;
const NO_ERROR: unique symbol = Symbol("none");
const MAX_HOST_DELAY = 2 ** 31 - 1;

const KIND_CODES: Record<ProcessKind, number> = {
  process: K_PROCESS,
  actor: K_ACTOR,
  service: K_SERVICE,
  job: K_JOB,
  supervisor: K_SUPERVISOR,
};

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
  /** Live local processes by serial. */
  readonly live = new Map<number, Process>();
  readonly names = new Map<string, Process>();
  readonly timers = new TimerHeap();

  private holds = 0;
  private keepHandle: ReturnType<typeof setInterval> | null = null;
  private draining = false;
  private kickPending = false;
  private hostTimer: unknown = null;
  private hostTimerAt = Infinity;
  private mainStarted = false;
  private exitHook: (code: number) => void;
  /** Set once the program has ended (exit hook called): nothing runs any more. */
  halted = false;
  exitCode: number | null = null;

  private readonly drainCb = (): void => {
    this.kickPending = false;
    this.drain(true, Infinity);
  };
  private readonly hostTimerCb = (): void => {
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

  private growQueue(): (Process | undefined)[] {
    const old = this.q;
    const q = new Array<Process | undefined>(old.length * 2).fill(undefined);
    const mask = old.length - 1;
    for (let i = 0; i < this.qLen; i++) q[i] = old[(this.qHead + i) & mask];
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

  spawn(fn: Function, args: unknown[] = [], opts?: SpawnOptions): Pid {
    const serial = this.nextSerial++;
    const pid = new Pid(this.localNode, serial);
    const kind = opts?.kind !== undefined ? KIND_CODES[opts.kind] : K_PROCESS;
    const p = new Process(this, pid, fn, args, kind, opts?.name ?? "");
    pid.proc = p;
    if (opts?.terminate !== undefined) {
      const x = extOf(p);
      x.terminate = opts.terminate;
      x.actorArgs = args;
    }
    if (kind === K_SERVICE) p.svcName = p.name;
    this.live.set(serial, p);
    this.enqueue(p);
    return pid;
  }

  /** Runs `mainFn` as process <0.1> and ends the program per §1.12 through the exit hook. */
  runMain(mainFn: Function): Pid {
    this.mainStarted = true;
    const serial = this.nextSerial++;
    const pid = new Pid(this.localNode, serial);
    const p = new Process(this, pid, mainFn, [], K_MAIN, "main");
    pid.proc = p;
    this.live.set(serial, p);
    this.enqueue(p);
    return pid;
  }

  // ---- driving a turn -------------------------------------------------------------------------

  private runTurn(p: Process): void {
    rt.cur = p;
    p.status = RUNNING;
    budget.n = TURN_BUDGET;
    if (p.pendingExit !== null) {
      const r = p.pendingExit;
      p.pendingExit = null;
      if (p.terminating) {
        // only `kill` interrupts a running terminate clause
        this.finalize(p, r);
        return;
      }
      this.beginExit(p, r);
      return;
    }
    let gen = p.gen;
    if (gen === null) {
      const fn = p.fn!;
      const args = p.args!;
      p.fn = null;
      p.args = null;
      if (isGen(fn)) {
        gen = p.gen = fn.apply(undefined, args) as Generator<unknown, unknown, unknown>;
      } else {
        let r: unknown;
        try {
          r = fn.apply(undefined, args);
        } catch (e) {
          this.onError(p, e);
          return;
        }
        if (!isGenObj(r)) {
          this.beginExit(p, "normal");
          return;
        }
        gen = p.gen = r;
      }
    }
    callDepth.n = p.depth;
    this.drive(p, gen);
  }

  private drive(p: Process, gen: Generator<unknown, unknown, unknown>): void {
    let val: unknown = undefined;
    let err: unknown = NO_ERROR;
    for (;;) {
      let r: IteratorResult<unknown, unknown>;
      try {
        r = err === NO_ERROR ? gen.next(val) : gen.throw(err);
      } catch (e) {
        const x = p.ext;
        const fr = x !== null ? x.frames : null;
        if (fr !== null && fr.length > 0) {
          callDepth.n = fr.pop() as number;
          x!.deepTotal -= callDepth.n;
          gen = p.gen = fr.pop() as Generator<unknown, unknown, unknown>;
          err = e;
          val = undefined;
          continue;
        }
        this.onError(p, e);
        return;
      }
      err = NO_ERROR;
      if (r.done === true) {
        const x = p.ext;
        const fr = x !== null ? x.frames : null;
        if (fr !== null && fr.length > 0) {
          callDepth.n = fr.pop() as number;
          x!.deepTotal -= callDepth.n;
          gen = p.gen = fr.pop() as Generator<unknown, unknown, unknown>;
          val = r.value;
          continue;
        }
        this.onReturn(p);
        return;
      }
      const y = r.value;
      if (y === BLOCK) {
        p.depth = callDepth.n;
        if (p.pendingExit !== null && p.status === WAITING) this.wakeForExit(p);
        return;
      }
      if (y === PREEMPT) {
        p.depth = callDepth.n;
        this.enqueue(p);
        return;
      }
      if (y instanceof DeepCall) {
        const x = extOf(p);
        const fr = (x.frames ??= []);
        if (fr.length >= 2 * MAX_FRAMES || x.deepTotal + callDepth.n >= MAX_DEPTH) {
          err = new MeshPanic("stack overflow");
          continue;
        }
        let res: unknown;
        try {
          res = y.fn.apply(undefined, y.args);
        } catch (e) {
          err = e;
          continue;
        }
        if (isGenObj(res)) {
          fr.push(gen, callDepth.n);
          x.deepTotal += callDepth.n;
          callDepth.n = 0;
          gen = p.gen = res;
          val = undefined;
        } else {
          val = res;
        }
        continue;
      }
      err = new MeshPanic(`invalid value yielded to the scheduler: ${String(y)}`);
    }
  }

  private onReturn(p: Process): void {
    if (p.terminating) this.finalize(p, p.exitReason);
    else this.beginExit(p, "normal");
  }

  private onError(p: Process, e: unknown): void {
    if (e instanceof ExitNow) {
      if (p.terminating) this.finalize(p, e.reason === "killed" ? "killed" : p.exitReason);
      else this.beginExit(p, e.reason);
      return;
    }
    const reason = reasonOf(e);
    if (p.kind === K_MAIN && !p.terminating) {
      this.mainPanic(reason, e);
      return;
    }
    this.err(`[mesh] ${this.kindLabel(p)} ${p.pid} crashed: ${reason}\n`);
    if (p.terminating) this.finalize(p, p.exitReason);
    else this.beginExit(p, reason);
  }

  kindLabel(p: Process): string {
    switch (p.kind) {
      case K_ACTOR:
        return `actor ${p.name}`;
      case K_SERVICE:
        return `service ${p.name}`;
      case K_SUPERVISOR:
        return `supervisor ${p.name}`;
      case K_JOB:
        return "job";
      case K_MAIN:
        return "main";
      default:
        return "process";
    }
  }

  private mainPanic(message: string, e?: unknown): void {
    this.err(`panic: ${message}\n${e === undefined ? "" : formatPanicLocation(e)}`);
    this.halt(101);
  }

  /** Ends the program: nothing runs any more; the exit hook gets `code`. */
  halt(code: number): void {
    if (this.halted) return;
    this.halted = true;
    this.exitCode = code;
    while (this.qLen > 0) this.dequeue();
    this.timers.clear();
    this.disarmHostTimer();
    if (this.keepHandle !== null) clearInterval(this.keepHandle);
    this.keepHandle = null;
    this.exitHook(code);
  }

  // ---- exits ----------------------------------------------------------------------------------

  /** Exit step 1 (terminate clause) or straight to finalize. `p` is the running process. */
  private beginExit(p: Process, reason: string): void {
    if (p.kind === K_MAIN && reason !== "normal") {
      this.err(`[mesh] main ${p.pid} exited: ${reason}\n`);
      this.halt(101);
      return;
    }
    const x = p.ext;
    if (reason !== "killed" && x !== null && x.terminate !== null && !p.terminating) {
      p.terminating = true;
      p.exitReason = reason;
      this.cancelWait(p);
      p.waitObj = null;
      x.frames = null;
      x.deepTotal = 0;
      p.status = RUNNING;
      const gen = runTerminate(p);
      p.gen = gen;
      callDepth.n = 0;
      this.drive(p, gen);
      return;
    }
    this.finalize(p, reason);
  }

  /** Exit steps 2–5 (§1.9). */
  private finalize(p: Process, reason: string): void {
    if (p.status === EXITED) return;
    p.status = EXITED;
    p.pendingExit = null;
    p.exitReason = reason;
    p.waitObj = null;
    this.cancelWait(p);
    const x = p.ext;
    p.ext = null;
    const owned = x !== null ? x.ownedTimers : null;
    if (owned !== null) {
      for (const t of owned) this.timers.remove(t);
    }
    const names = x !== null ? x.names : null;
    if (names !== null) {
      for (const n of names) if (this.names.get(n) === p) this.names.delete(n);
    }
    this.live.delete(p.pid.serial);
    p.pid.proc = null;
    const me = p.pid;
    const links = x !== null ? x.links : null;
    if (links !== null) {
      for (const other of links) {
        const q = other.proc;
        if (q !== null) {
          q.ext?.links?.delete(me);
          this.signal(q, me, reason, false);
        } else if (!other.node.local) {
          this.remote?.exitSignal?.(me, other, reason, false);
        }
      }
    }
    const mons = x !== null ? x.monitors : null;
    if (mons !== null) {
      for (const [ref, m] of mons) {
        const t = m.target.proc;
        if (t !== null) monRemove(t, m);
        else if (!m.target.node.local) this.remote?.demonitor?.(p, m.target, ref);
      }
    }
    let e = p.monFirst;
    p.monFirst = p.monLast = null;
    while (e !== null) {
      const next = e.monNext;
      e.monPrev = e.monNext = null;
      if (e instanceof Monitor) {
        const w = e.watcher;
        if (w.status !== EXITED) {
          w.ext?.monitors?.delete(e.ref);
          this.deliver(w, new SysDown(e.ref, me, reason));
        }
      } else if (e instanceof CallReq) {
        failCall(e, reason);
      } else if (e instanceof JobState) {
        settleJob(e, false, reason);
      }
      e = next;
    }
    mbClear(p);
    p.gen = null;
    p.fn = null;
    p.args = null;
  }

  /** Appends a message to a local process and wakes it if it waits in receive. */
  deliver(q: Process, msg: unknown): void {
    mbPush(q, msg);
    if (q.waitObj === RECV_WAIT) {
      q.waitObj = null;
      this.enqueue(q);
    }
  }

  /** Sends to any pid: local append (+ wake), remote via the distribution hooks, else dropped. */
  sendTo(pid: Pid, msg: unknown): void {
    const q = pid.proc;
    if (q !== null) {
      mbPush(q, msg);
      if (q.waitObj === RECV_WAIT) {
        q.waitObj = null;
        this.enqueue(q);
      }
    } else if (!pid.node.local) {
      this.remote?.send?.(pid, msg);
    }
  }

  /** Delivers an exit signal (from, reason) to local process q (§2.3). */
  signal(q: Process, from: Pid, reason: string, kill: boolean): void {
    if (q.status === EXITED) return;
    if (kill) {
      q.pendingExit = "killed";
      this.wakeForExit(q);
      return;
    }
    if (q.terminating) return;
    if (q.trapExit) {
      this.deliver(q, new SysExit(from, reason));
      return;
    }
    if (reason === "normal") return;
    if (q.pendingExit === null) {
      q.pendingExit = reason;
      this.wakeForExit(q);
    }
  }

  private wakeForExit(q: Process): void {
    if (q.status === WAITING) {
      this.cancelWait(q);
      q.waitObj = null;
      this.enqueue(q);
    }
  }

  // ---- waits and timers -----------------------------------------------------------------------

  /** Puts the running process into a wait on `obj`, with a timeout if `ms` > 0 and finite. */
  startWait(p: Process, obj: object, ms: number): void {
    p.status = WAITING;
    p.waitObj = obj;
    p.timedOut = false;
    if (ms > 0 && ms !== Infinity) {
      let t = p.waitTimer;
      if (t === null) t = p.waitTimer = new TimerEntry(T_WAIT, p, null, null);
      else if (t.idx >= 0) this.timers.remove(t);
      this.timers.push(t, this.clock.now() + ms);
    }
  }

  /** Like startWait with a deadline from the cached clock (call timeouts: ms-level precision). */
  startWaitCoarse(p: Process, obj: object, ms: number): void {
    p.status = WAITING;
    p.waitObj = obj;
    p.timedOut = false;
    if (ms > 0 && ms !== Infinity) {
      let t = p.waitTimer;
      if (t === null) t = p.waitTimer = new TimerEntry(T_WAIT, p, null, null);
      else if (t.idx >= 0) this.timers.remove(t);
      this.timers.push(t, this.coarseNow + ms);
    }
  }

  cancelWait(p: Process): void {
    const t = p.waitTimer;
    if (t !== null && t.idx >= 0) this.timers.remove(t);
  }

  sendAfter(pid: Pid, ms: number, msg: unknown): void {
    const t = new TimerEntry(T_SEND, null, pid, msg);
    this.timers.push(t, this.clock.now() + Math.max(0, ms));
    const q = pid.proc;
    if (q !== null) (extOf(q).ownedTimers ??= new Set()).add(t);
    if (!this.draining) this.afterIdleWork();
  }

  applyAfter(ms: number, f: Function): void {
    const t = new TimerEntry(T_APPLY, null, f, null);
    this.timers.push(t, this.clock.now() + Math.max(0, ms));
    if (!this.draining) this.afterIdleWork();
  }

  /** Moves due timers to the run queue; returns true if anything fired. */
  private fireTimers(now: number): boolean {
    const h = this.timers;
    let fired = false;
    for (;;) {
      const t = h.peek();
      if (t === undefined || t.deadline > now) break;
      h.pop();
      fired = true;
      if (t.kind === T_WAIT) {
        // A process already woken (message, reply) but not yet run still learns of the timeout.
        const p = t.proc!;
        p.timedOut = true;
        if (p.status === WAITING) {
          p.waitObj = null;
          this.enqueue(p);
        }
      } else if (t.kind === T_SEND) {
        const pid = t.a as Pid;
        pid.proc?.ext?.ownedTimers?.delete(t);
        this.sendTo(pid, t.b);
      } else if (t.kind === T_APPLY) {
        this.spawn(t.a as Function, [], { kind: "process" });
      }
    }
    return fired;
  }

  private armHostTimer(): void {
    const t = this.timers.peek();
    if (t === undefined) {
      this.disarmHostTimer();
      return;
    }
    if (t.deadline === this.hostTimerAt && this.hostTimer !== null) return;
    this.disarmHostTimer();
    // host timers cannot exceed 2^31-1 ms; a later deadline is simply re-armed when that fires
    const delay = Math.min(MAX_HOST_DELAY, Math.max(0, t.deadline - this.clock.now()));
    this.hostTimerAt = t.deadline;
    this.hostTimer = this.clock.setTimer(this.clock instanceof ManualClock ? delay : Math.ceil(delay), this.hostTimerCb);
  }

  private disarmHostTimer(): void {
    if (this.hostTimer !== null) {
      this.clock.clearTimer(this.hostTimer);
      this.hostTimer = null;
    }
    this.hostTimerAt = Infinity;
  }

  /** A timer was added from outside a drain: make sure the host timer covers it. */
  private afterIdleWork(): void {
    if (this.qLen > 0) return; // a drain is scheduled and will re-arm
    this.armHostTimer();
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
      if (this.timers.size > 0) this.fireTimers(start);
      for (;;) {
        if (this.qLen === 0) {
          if (this.timers.size > 0 && this.fireTimers(clock.now()) && this.qLen > 0) continue;
          break;
        }
        const p = this.dequeue()!;
        this.runTurn(p);
        if (this.halted) return;
        // Check the clock (due timers, slice end) every 16 turns, or sooner once the turns since
        // the last check used a full turn's worth of reductions: cheap turns are not slowed by
        // clock reads, long ones do not delay timers.
        work += TURN_BUDGET + 1 - budget.n;
        if ((++n & 15) === 0 || work > TURN_BUDGET) {
          work = 0;
          const t = clock.now();
          this.coarseNow = t;
          if (this.timers.size > 0) this.fireTimers(t);
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
      this.armHostTimer();
      this.checkIdle();
    } else if (this.auto) {
      this.kick();
    }
  }

  private checkIdle(): void {
    if (!this.mainStarted || this.halted) return;
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

  // ---- Process module -------------------------------------------------------------------------

  link(me: Process, pid: Pid): void {
    if (pid === me.pid || pid.equals(me.pid)) return;
    const q = pid.proc;
    if (q === null) {
      let reason = "noproc";
      if (!pid.node.local && !pid.isNull()) {
        if (this.remote?.link?.(me, pid) === true) {
          (extOf(me).links ??= new Set()).add(pid);
          return;
        }
        reason = "noconnection";
      }
      if (me.trapExit) this.deliver(me, new SysExit(pid, reason));
      else throw new ExitNow(reason);
      return;
    }
    (extOf(me).links ??= new Set()).add(pid);
    (extOf(q).links ??= new Set()).add(me.pid);
  }

  unlink(me: Process, pid: Pid): void {
    const links = me.ext?.links;
    if (links === null || links === undefined) return;
    for (const l of links) {
      if (l === pid || l.equals(pid)) {
        links.delete(l);
        const q = l.proc;
        if (q !== null) q.ext?.links?.delete(me.pid);
        else if (!l.node.local) this.remote?.unlink?.(me, l);
        return;
      }
    }
  }

  monitor(me: Process, pid: Pid): number {
    const ref = this.nextRef++;
    const q = pid.proc;
    if (q === me) {
      (extOf(me).monitors ??= new Map()).set(ref, new Monitor(ref, me, pid));
      return ref;
    }
    if (q === null) {
      if (!pid.node.local && !pid.isNull()) {
        if (this.remote?.monitor?.(me, pid, ref) === true) {
          (extOf(me).monitors ??= new Map()).set(ref, new Monitor(ref, me, pid));
          return ref;
        }
        this.deliver(me, new SysDown(ref, pid, "noconnection"));
        return ref;
      }
      this.deliver(me, new SysDown(ref, pid, "noproc"));
      return ref;
    }
    const m = new Monitor(ref, me, pid);
    (extOf(me).monitors ??= new Map()).set(ref, m);
    monAdd(q, m);
    return ref;
  }

  demonitor(me: Process, ref: number): number {
    const mons = me.ext?.monitors;
    const m = mons?.get(ref);
    if (m === undefined) return 1;
    mons!.delete(ref);
    const t = m.target.proc;
    if (t !== null) monRemove(t, m);
    else if (!m.target.node.local) this.remote?.demonitor?.(me, m.target, ref);
    for (let i = 0; i < me.mbCount; i++) {
      const msg = mbAt(me, i);
      if (msg instanceof SysDown && msg._0 === ref) {
        mbTake(me, i);
        break;
      }
    }
    return 0;
  }

  /** Process.exit(pid, reason) sent by `me` (null outside any process). */
  exit(me: Process | null, pid: Pid, reason: string): void {
    const from = me !== null ? me.pid : NULL_PID;
    const q = pid.proc;
    if (q === null) {
      if (!pid.node.local) this.remote?.exitSignal?.(from, pid, reason, reason === "kill");
      return;
    }
    if (reason === "kill") {
      if (q === me) throw new ExitNow("killed");
      this.signal(q, from, "killed", true);
      return;
    }
    if (q === me) {
      if (q.trapExit && !q.terminating) {
        this.deliver(q, new SysExit(from, reason));
        return;
      }
      throw new ExitNow(reason);
    }
    this.signal(q, from, reason, false);
  }

  register(name: string, pid: Pid): number {
    if (name === "" || this.names.has(name)) return 1;
    const q = pid.proc;
    if (q === null || q.status === EXITED) return 1;
    this.names.set(name, q);
    (extOf(q).names ??= []).push(name);
    return 0;
  }

  whereis(name: string): Pid {
    const q = this.names.get(name);
    return q !== undefined ? q.pid : NULL_PID;
  }

  unregister(name: string): number {
    const q = this.names.get(name);
    if (q === undefined) return 1;
    this.names.delete(name);
    const names = q.ext?.names;
    if (names !== null && names !== undefined) {
      const i = names.indexOf(name);
      if (i >= 0) names.splice(i, 1);
    }
    return 0;
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

/** Exit step 1 runs inside the exiting process; errors are reported by the driver and ignored. */
function* runTerminate(p: Process): Generator<unknown, unknown, unknown> {
  const x = p.ext!;
  const t = x.terminate!;
  const r = t(x.actorArgs ?? []);
  if (isGenObj(r)) yield* r;
  return undefined;
}

/**
 * Calls `fn(...args)` through the scheduler's explicit frame stack instead of the native stack:
 * `const r = yield* deepCall(f, [a, b])`. Generated code uses it for calls nested deeper than
 * ~1000 `yield*` levels, so non-tail recursion is bounded by a cap (100,000 frames or 250,000
 * nested calls in all, then "stack overflow") instead of the JavaScript stack. `callDepth.n` is the
 * `yield*` nesting depth within the current frame; the driver saves it per frame and per process.
 * Suggested use: `if (++callDepth.n > 1000) r = yield* deepCall(f, [a]); else r = yield* f(a);
 * callDepth.n--;`.
 */
export function* deepCall(fn: Function, args: unknown[]): Generator<unknown, unknown, unknown> {
  return yield new DeepCall(fn, args);
}
