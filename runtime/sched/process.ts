// The process record of the runtime (runtime/sched) plus the hot-path helpers every primitive
// shares: the current-process pointer, the reduction budget, sentinels and the ring-buffer mailbox.
import type { Pid } from "./pid.js";
import type { Scheduler } from "./scheduler.js";
import type { TimerEntry } from "./timer-heap.js";
import type { JobState } from "./job.js";
import { finishCall, MonEntry, type CallReq } from "./entries.js";
export { monAdd, monRemove, MonEntry } from "./entries.js";

/** Yielded by generated code when `--budget.n < 0`: the process goes to the back of the queue. */
export const PREEMPT: unique symbol = Symbol("mesh.preempt");
/** Yielded by runtime primitives after they put the process into a wait. Private to the runtime. */
export const BLOCK: unique symbol = Symbol("mesh.block");
/** Returned by `receive` when its `after` clause fires. */
export const TIMEOUT: unique symbol = Symbol("mesh.timeout");

export const TURN_BUDGET = 4000;
/** Reductions left in the current turn; generated code decrements it. */
export const budget = { n: TURN_BUDGET };
/** Nesting depth of `yield*` calls in the current frame (see `deepCall`). */
export const callDepth = { n: 0 };

export const RUNNABLE = 0;
export const RUNNING = 1;
export const WAITING = 2;
export const EXITED = 3;

export const K_PROCESS = 0;
export const K_ACTOR = 1;
export const K_SERVICE = 2;
export const K_JOB = 3;
export const K_SUPERVISOR = 4;
export const K_MAIN = 5;

/** `waitObj` of a process blocked in receive: any new message wakes it. */
export const RECV_WAIT = { what: "receive" };
/** `waitObj` of a sleeping process: only its timer wakes it. */
export const SLEEP_WAIT = { what: "sleep" };

/** The running process (null between turns / outside the scheduler). */
export const rt: { cur: Process | null } = { cur: null };

/** A user monitor: `watcher` gets `Down(ref, target, reason)` when `target` exits. */
export class Monitor extends MonEntry {
  constructor(
    readonly ref: number,
    readonly watcher: Process,
    readonly target: Pid,
  ) {
    super();
  }
}

const EMPTY: unknown[] = [];

/** The parts of a process that most processes never use. */
export class ProcExt {
  links: Set<Pid> | null = null;
  monitors: Map<number, Monitor> | null = null;
  names: string[] | null = null;
  /** Timer.send_after timers aimed at this process (cancelled when it exits). */
  ownedTimers: Set<TimerEntry> | null = null;
  terminate: ((args: unknown[]) => unknown) | null = null;
  actorArgs: unknown[] | null = null;
  job: JobState | null = null;
  /** deepCall frames: generator, saved `yield*` depth, … */
  frames: unknown[] | null = null;
  /** Sum of the `yield*` depths saved in `frames`. */
  deepTotal = 0;
}

export function extOf(p: Process): ProcExt {
  let x = p.ext;
  if (x === null) x = p.ext = new ProcExt();
  return x;
}

export class Process {
  status = RUNNABLE;
  /** What a WAITING process waits for (RECV_WAIT, SLEEP_WAIT, a CallReq, a JobState, …). */
  waitObj: object | null = null;
  timedOut = false;
  waitTimer: TimerEntry | null = null;
  /** Ring buffer: capacity is a power of two (or 0 for the shared empty array). */
  mb: unknown[] = EMPTY;
  mbHead = 0;
  mbCount = 0;
  /** Messages (from the head) already rejected by the current receive. */
  scanned = 0;
  gen: Generator<unknown, unknown, unknown> | null = null;
  /** `yield*` depth at which this process runs (saved between turns) */
  depth = 0;
  /** Exit reason from an exit signal, applied at the start of the next turn. */
  pendingExit: string | null = null;
  trapExit = false;
  monFirst: MonEntry | null = null;
  monLast: MonEntry | null = null;
  terminating = false;
  exitReason = "normal";
  /** Service name if this process is a service (for `wrong_service`). */
  svcName: string | null = null;
  /** Rarely used state, allocated on first use so idle processes stay small. */
  ext: ProcExt | null = null;
  // The process is also the iterator behind `yield* receive(…)`, `yield* sleep(…)` and
  // `yield* serviceCall(…)`: no generator is allocated for them (see recvOp below).
  op = OP_RECV;
  /** 0: the blocking operation has not started, 1: it is waiting */
  phase = 0;
  matcher: (msg: unknown) => unknown = noMatch;
  timeout: number | null = null;
  req: CallReq | null = null;

  constructor(
    readonly sched: Scheduler,
    readonly pid: Pid,
    public fn: Function | null,
    public args: unknown[] | null,
    readonly kind: number,
    readonly name: string,
  ) {}

  get serial(): number {
    return this.pid.serial;
  }

  [Symbol.iterator](): this {
    return this;
  }

  next(): IteratorResult<unknown, unknown> {
    switch (this.op) {
      case OP_RECV:
        return this.phase === 0 ? recvStart(this) : recvResume(this);
      case OP_CALL:
        if (this.phase === 0) {
          this.phase = 1;
          return RES_BLOCK;
        }
        this.phase = 0;
        return finished(finishCall(this, this.req!));
      default:
        if (this.phase === 0) {
          this.phase = 1;
          return RES_BLOCK;
        }
        this.phase = 0;
        this.timedOut = false;
        return finished(undefined);
    }
  }

  return(v?: unknown): IteratorResult<unknown, unknown> {
    this.phase = 0;
    return { done: true, value: v };
  }

  throw(e?: unknown): IteratorResult<unknown, unknown> {
    this.phase = 0;
    throw e;
  }
}

// ---- blocking operations as a reusable iterator -------------------------------------------------

const OP_RECV = 0;
const OP_SLEEP = 1;
const OP_CALL = 2;

/**
 * Shared result objects: `yield*` reads `done`/`value` at once, so one of each suffices. Same
 * property order as V8's own iterator results, so the driver's property loads stay fast.
 */
const RES_DONE: { value: unknown; done: true } = { value: undefined, done: true };
const RES_BLOCK: { value: unknown; done: false } = { value: BLOCK, done: false };

function finished(v: unknown): IteratorResult<unknown, unknown> {
  RES_DONE.value = v;
  return RES_DONE;
}

function noMatch(): unknown {
  return undefined;
}

function recvStart(p: Process): IteratorResult<unknown, unknown> {
  const n = p.mbCount;
  if (n !== 0) {
    const matcher = p.matcher;
    const buf = p.mb;
    const mask = buf.length - 1;
    const h = p.mbHead;
    for (let i = 0; i < n; i++) {
      const v = matcher(buf[(h + i) & mask]);
      if (v !== undefined) {
        mbTake(p, i);
        return finished(v);
      }
    }
  }
  const t = p.timeout;
  if (t === 0) return finished(TIMEOUT);
  p.scanned = n;
  p.sched.startWait(p, RECV_WAIT, t === null || t < 0 ? -1 : t);
  p.phase = 1;
  return RES_BLOCK;
}

function recvResume(p: Process): IteratorResult<unknown, unknown> {
  const n = p.mbCount;
  const matcher = p.matcher;
  for (let i = p.scanned; i < n; i++) {
    const buf = p.mb;
    const v = matcher(buf[(p.mbHead + i) & (buf.length - 1)]);
    if (v !== undefined) {
      p.phase = 0;
      p.sched.cancelWait(p);
      p.timedOut = false;
      mbTake(p, i);
      return finished(v);
    }
  }
  p.scanned = n;
  if (p.timedOut) {
    p.phase = 0;
    p.timedOut = false;
    return finished(TIMEOUT);
  }
  p.status = WAITING;
  p.waitObj = RECV_WAIT;
  return RES_BLOCK;
}

type Op = Generator<unknown, unknown, unknown>;

/** Sets up a receive on the running process; used as `yield* receive(…)`. */
export function recvOp(p: Process, matcher: (msg: unknown) => unknown, timeoutMs: number | null): Op {
  p.op = OP_RECV;
  p.phase = 0;
  p.matcher = matcher;
  p.timeout = timeoutMs;
  return p as unknown as Op;
}

/** Puts the running process to sleep (timer armed); the iterator blocks once. */
export function sleepOp(p: Process, ms: number): Op {
  p.op = OP_SLEEP;
  p.phase = 0;
  p.sched.startWait(p, SLEEP_WAIT, ms);
  return p as unknown as Op;
}

/** The running process already waits on `req` (timer armed); the iterator blocks once. */
export function callOp(p: Process, req: CallReq): Op {
  p.op = OP_CALL;
  p.phase = 0;
  p.req = req;
  return p as unknown as Op;
}

const EMPTY_DONE = {
  next: () => ({ done: true, value: undefined }),
  return: (v?: unknown) => ({ done: true, value: v }),
  throw: (e?: unknown) => {
    throw e;
  },
  [Symbol.iterator]() {
    return this;
  },
} as unknown as Op;

/** An iterable that finishes at once (sleep with ms <= 0). */
export function doneOp(): Op {
  return EMPTY_DONE;
}

const GenFnProto = Object.getPrototypeOf(function* () {});
const GenProto = GenFnProto.prototype;

/** True if `f` is a generator function (a Mesh function that may suspend). */
export function isGen(f: unknown): boolean {
  return typeof f === "function" && Object.getPrototypeOf(f) === GenFnProto;
}

/** True if `x` is a generator object. */
export function isGenObj(x: unknown): x is Generator<unknown, unknown, unknown> {
  return typeof x === "object" && x !== null && GenProto.isPrototypeOf(x);
}

// ---- mailbox ----------------------------------------------------------------------------------

export function mbPush(p: Process, msg: unknown): void {
  let buf = p.mb;
  const n = p.mbCount;
  if (n === buf.length) buf = growMailbox(p);
  buf[(p.mbHead + n) & (buf.length - 1)] = msg;
  p.mbCount = n + 1;
}

function growMailbox(p: Process): unknown[] {
  const old = p.mb;
  const cap = old.length === 0 ? 8 : old.length * 2;
  const buf = new Array<unknown>(cap).fill(undefined);
  const mask = old.length - 1;
  for (let i = 0; i < p.mbCount; i++) buf[i] = old[(p.mbHead + i) & mask];
  p.mb = buf;
  p.mbHead = 0;
  return buf;
}

/** The i-th message from the head. */
export function mbAt(p: Process, i: number): unknown {
  const buf = p.mb;
  return buf[(p.mbHead + i) & (buf.length - 1)];
}

/** Removes and returns the i-th message from the head, keeping the others in order. */
export function mbTake(p: Process, i: number): unknown {
  const buf = p.mb;
  const mask = buf.length - 1;
  const h = p.mbHead;
  const n = p.mbCount;
  const msg = buf[(h + i) & mask];
  if (i < n - 1 - i) {
    // shift the older messages one slot towards the tail
    for (let k = i; k > 0; k--) buf[(h + k) & mask] = buf[(h + k - 1) & mask];
    buf[h] = undefined;
    p.mbHead = (h + 1) & mask;
  } else {
    for (let k = i; k < n - 1; k++) buf[(h + k) & mask] = buf[(h + k + 1) & mask];
    buf[(h + n - 1) & mask] = undefined;
  }
  p.mbCount = n - 1;
  // a burst left a big ring behind: give it back once drained
  if (n === 1 && buf.length > 1024) {
    p.mb = EMPTY;
    p.mbHead = 0;
  }
  return msg;
}

export function mbClear(p: Process): void {
  p.mb = EMPTY;
  p.mbHead = 0;
  p.mbCount = 0;
}
