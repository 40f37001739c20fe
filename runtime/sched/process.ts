// The process record of the runtime (runtime/sched) plus the hot-path helpers every primitive
// shares: the current-process pointer, the reduction budget, sentinels, the per-kind descriptors,
// the lazily allocated side record and the ring-buffer mailbox.
import type { Pid } from "./pid.js";
import type { Scheduler } from "./scheduler.js";
import type { TimerEntry } from "./timer-heap.js";
import { finishCall, MonEntry, ProcExt, type CallReq } from "./entries.js";
export { monAdd, monRemove, MonEntry, ProcExt } from "./entries.js";

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

/**
 * What a process is, for reports and service calls: kind, name and the actor's terminate
 * clause. Immutable and shared by every process spawned with the same options, so a process
 * record carries one pointer for all three.
 */
export class ProcInfo {
  /** The service name for K_SERVICE processes (checked by calls and casts), else null. */
  readonly svc: string | null;
  constructor(
    readonly kind: number,
    readonly name: string,
    readonly terminate: ((args: unknown[]) => unknown) | null,
  ) {
    this.svc = kind === K_SERVICE ? name : null;
  }
}

export const PLAIN_INFO = new ProcInfo(K_PROCESS, "", null);
export const JOB_INFO = new ProcInfo(K_JOB, "", null);
export const MAIN_INFO = new ProcInfo(K_MAIN, "main", null);

/** Descriptors by kind code, then name (a name is reused by every spawn of that actor). */
const infoCache: Map<string, ProcInfo>[] = [new Map(), new Map(), new Map(), new Map(), new Map(), new Map()];

/** The shared descriptor for (kind, name, terminate). */
export function procInfo(kind: number, name: string, terminate: ((args: unknown[]) => unknown) | null): ProcInfo {
  if (kind === K_PROCESS && terminate === null) return PLAIN_INFO;
  if (kind === K_JOB && terminate === null) return JOB_INFO;
  const cache = infoCache[kind]!;
  let i = cache.get(name);
  if (i === undefined || i.terminate !== terminate) {
    i = new ProcInfo(kind, name, terminate);
    cache.set(name, i);
  }
  return i;
}

/** A callback run once when its process exits (see `Scheduler.onExit`). */
export class ExitHook {
  constructor(
    public proc: Process | null,
    public fn: ((reason: string) => void) | null,
  ) {}

  /** Unregisters the hook; returns false if it already ran or was cancelled. */
  cancel(): boolean {
    const p = this.proc;
    if (p === null) return false;
    this.proc = null;
    this.fn = null;
    const hooks = p.ext?.exitHooks;
    if (hooks !== null && hooks !== undefined) {
      const i = hooks.indexOf(this);
      if (i >= 0) hooks.splice(i, 1);
    }
    return true;
  }
}

export function extOf(p: Process): ProcExt {
  let x = p.ext;
  if (x === null) x = p.ext = new ProcExt();
  return x;
}

const EMPTY: unknown[] = [];

// `op` of a process: which blocking operation its iterator runs, and its phase.
/** Not started: `gen` holds the function to call and `opArg` its arguments. */
export const OP_START = 0;
/** Started; also the state of a finished receive (any value but OP_START will do). */
export const OP_RECV = 1;
const OP_RECV_WAIT = 2;
const OP_SLEEP = 3;
const OP_SLEEP_WAIT = 4;
const OP_CALL = 5;
const OP_CALL_WAIT = 6;

/**
 * A process. Kept to the fields a process blocked in receive needs (15 slots); the rest is in
 * `ext`, allocated on first use. The record is also the iterator behind `yield* receive(…)`,
 * `yield* sleep(…)` and `yield* serviceCall(…)`: no generator is allocated for them.
 */
export class Process {
  status = RUNNABLE;
  /** What a WAITING process waits for (RECV_WAIT, SLEEP_WAIT, a CallReq, a JobState, …). */
  waitObj: object | null = null;
  /** Ring buffer: capacity is a power of two (or 0 for the shared empty array). */
  mb: unknown[] = EMPTY;
  mbHead = 0;
  mbCount = 0;
  /** Messages (from the head) already rejected by the current receive. */
  scanned = 0;
  /** The body; before the first turn (op OP_START) the function to call. */
  gen: Generator<unknown, unknown, unknown> | null;
  /** OP_*: the blocking operation in progress (or OP_START). */
  op = OP_START;
  /** The receive's matcher, the call's CallReq, or (OP_START) the body's arguments. */
  opArg: unknown;
  /** The timer of waits with a timeout (reused); its `fired` says the current wait timed out. */
  waitTimer: TimerEntry | null = null;
  /** Rarely used state, allocated on first use so idle processes stay small. */
  ext: ProcExt | null = null;
  /** Index in the scheduler's table of live processes (-1 once exited). */
  slot = -1;

  constructor(
    readonly sched: Scheduler,
    readonly pid: Pid,
    readonly info: ProcInfo,
    fn: Function,
    args: unknown[],
  ) {
    this.gen = fn as unknown as Generator<unknown, unknown, unknown>;
    this.opArg = args;
  }

  get serial(): number {
    return this.pid.serial;
  }

  get kind(): number {
    return this.info.kind;
  }

  get name(): string {
    return this.info.name;
  }

  get trapExit(): boolean {
    const x = this.ext;
    return x !== null && x.trapExit;
  }

  [Symbol.iterator](): this {
    return this;
  }

  next(): IteratorResult<unknown, unknown> {
    const op = this.op;
    if (op === OP_RECV_WAIT) return recvResume(this);
    if (op === OP_RECV) return recvStart(this);
    return nextOther(this, op);
  }

  /** Closing a generator suspended in `yield*` on this iterator (an exit) ends the operation. */
  return(v?: unknown): IteratorResult<unknown, unknown> {
    this.op = OP_RECV;
    this.opArg = null;
    return { done: true, value: v };
  }

  throw(e?: unknown): IteratorResult<unknown, unknown> {
    this.op = OP_RECV;
    this.opArg = null;
    throw e;
  }
}

// ---- blocking operations as a reusable iterator -------------------------------------------------

/** `next()` of the sleep and call operations (kept apart so the receive path stays small). */
function nextOther(p: Process, op: number): IteratorResult<unknown, unknown> {
  switch (op) {
    case OP_CALL:
      p.op = OP_CALL_WAIT;
      return RES_BLOCK;
    case OP_CALL_WAIT: {
      p.op = OP_CALL;
      const req = p.opArg as CallReq;
      p.opArg = null;
      return finished(finishCall(p, req));
    }
    case OP_SLEEP:
      p.op = OP_SLEEP_WAIT;
      return RES_BLOCK;
    default: {
      p.op = OP_SLEEP;
      const t = p.waitTimer;
      if (t !== null) t.fired = false;
      return finished(undefined);
    }
  }
}

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

/**
 * The timeout of the receive being set up: `yield*` calls `next()` right after `receive()`
 * returns the iterator, so it never needs a field of its own.
 */
let recvTimeout: number | null = null;

function recvStart(p: Process): IteratorResult<unknown, unknown> {
  const n = p.mbCount;
  const matcher = p.opArg as (msg: unknown) => unknown;
  if (n !== 0) {
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
  const t = recvTimeout;
  if (t === 0) return finished(TIMEOUT);
  p.scanned = n;
  p.sched.startWait(p, RECV_WAIT, t === null || t < 0 ? -1 : t);
  p.op = OP_RECV_WAIT;
  return RES_BLOCK;
}

function recvResume(p: Process): IteratorResult<unknown, unknown> {
  const n = p.mbCount;
  const matcher = p.opArg as (msg: unknown) => unknown;
  for (let i = p.scanned; i < n; i++) {
    const buf = p.mb;
    const v = matcher(buf[(p.mbHead + i) & (buf.length - 1)]);
    if (v !== undefined) {
      p.op = OP_RECV;
      if (p.waitTimer !== null) p.sched.cancelWait(p);
      mbTake(p, i);
      return finished(v);
    }
  }
  p.scanned = n;
  const t = p.waitTimer;
  if (t !== null && t.fired) {
    p.op = OP_RECV;
    t.fired = false;
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
  p.opArg = matcher;
  recvTimeout = timeoutMs;
  return p as unknown as Op;
}

/** Puts the running process to sleep (timer armed); the iterator blocks once. */
export function sleepOp(p: Process, ms: number): Op {
  p.op = OP_SLEEP;
  p.sched.startWait(p, SLEEP_WAIT, ms);
  return p as unknown as Op;
}

/** The running process already waits on `req` (timer armed); the iterator blocks once. */
export function callOp(p: Process, req: CallReq): Op {
  p.op = OP_CALL;
  p.opArg = req;
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
  const buf = grownRing(p.mb, p.mbHead);
  p.mb = buf;
  p.mbHead = 0;
  return buf;
}

/** A full ring buffer twice as big (8 slots if empty), oldest element first: native copies only. */
export function grownRing<T>(old: T[], head: number): T[] {
  const n = old.length;
  if (n === 0) return new Array<T>(8).fill(undefined as T);
  const buf = head === 0 ? old.concat(old) : old.slice(head).concat(old.slice(0, head), old);
  return buf.fill(undefined as T, n);
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
