// Running a turn of a process (runtime/sched): starting its body, resuming its generator until it
// blocks, is preempted or ends, the deepCall frame stack, and turning a return or an escaped
// exception into the start of its exit (concurrency.md §1.9, §8). The drain loop in scheduler.ts
// calls `runTurn` once per dequeued process; this is the hottest code of the runtime.
import { ExitNow, MeshPanic, reasonOf } from "./errors.js";
import { formatPanicLocation } from "../core/location.js";
import {
  BLOCK,
  budget,
  callDepth,
  extOf,
  isGenObj,
  K_ACTOR,
  K_JOB,
  K_MAIN,
  K_SERVICE,
  K_SUPERVISOR,
  OP_RECV,
  OP_START,
  PREEMPT,
  Process,
  rt,
  RUNNING,
  TURN_BUDGET,
  WAITING,
} from "./process.js";
import { beginExit, closeStack, finalize, wakeForExit } from "./exits.js";
import type { Scheduler } from "./scheduler.js";

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

type Gen = Generator<unknown, unknown, unknown>;

/** One turn of `p` (just dequeued). */
export function runTurn(s: Scheduler, p: Process): void {
  rt.cur = p;
  p.status = RUNNING;
  budget.n = TURN_BUDGET;
  const x = p.ext;
  if (x !== null) {
    const r = x.pendingExit;
    if (r !== null) {
      // an exit signal arrived while the process was suspended: close its generators, then exit
      x.pendingExit = null;
      if (p.op !== OP_START) closeStack(s, p);
      // only `kill` interrupts a running terminate clause
      if (x.terminating) finalize(s, p, r);
      else beginExit(s, p, r);
      return;
    }
    callDepth.n = x.depth;
  } else {
    callDepth.n = 0;
  }
  if (p.op === OP_START) startBody(s, p);
  else drive(s, p, p.gen!);
}

/** The first turn: call the body's function with its arguments. */
function startBody(s: Scheduler, p: Process): void {
  const fn = p.gen as unknown as Function;
  const args = p.opArg as unknown[];
  p.op = OP_RECV;
  p.opArg = null;
  p.gen = null;
  // a generator function returns its generator without running; a plain function runs now
  let r: unknown;
  try {
    r = fn.apply(undefined, args);
  } catch (e) {
    onError(s, p, e);
    return;
  }
  if (!isGenObj(r)) {
    onReturn(s, p);
    return;
  }
  p.gen = r;
  drive(s, p, r);
}

/** Runs `p` (the running process) from `gen` until it blocks, yields or ends. */
export function drive(s: Scheduler, p: Process, gen: Gen): void {
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
        gen = p.gen = fr.pop() as Gen;
        err = e;
        val = undefined;
        continue;
      }
      onError(s, p, e);
      return;
    }
    err = NO_ERROR;
    if (r.done === true) {
      const x = p.ext;
      const fr = x !== null ? x.frames : null;
      if (fr !== null && fr.length > 0) {
        callDepth.n = fr.pop() as number;
        x!.deepTotal -= callDepth.n;
        gen = p.gen = fr.pop() as Gen;
        val = r.value;
        continue;
      }
      onReturn(s, p);
      return;
    }
    const y = r.value;
    if (y === BLOCK) {
      const x = p.ext;
      if (x === null) {
        if (callDepth.n !== 0) extOf(p).depth = callDepth.n;
        return;
      }
      x.depth = callDepth.n;
      // an exit signal that arrived during this turn ends the wait at once
      if (x.pendingExit !== null && p.status === WAITING) wakeForExit(s, p);
      return;
    }
    if (y === PREEMPT) {
      saveDepth(p);
      s.enqueue(p);
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

/** Keeps the `yield*` depth of a process that stops mid-turn (0 for nearly all: no ext needed). */
function saveDepth(p: Process): void {
  const d = callDepth.n;
  const x = p.ext;
  if (x !== null) x.depth = d;
  else if (d !== 0) extOf(p).depth = d;
}

function onReturn(s: Scheduler, p: Process): void {
  const x = p.ext;
  if (x !== null && x.terminating) finalize(s, p, x.exitReason);
  else beginExit(s, p, "normal");
}

function onError(s: Scheduler, p: Process, e: unknown): void {
  const x = p.ext;
  const terminating = x !== null && x.terminating;
  if (e instanceof ExitNow) {
    if (terminating) finalize(s, p, e.reason === "killed" ? "killed" : x.exitReason);
    else beginExit(s, p, e.reason);
    return;
  }
  const reason = reasonOf(e);
  if (p.info.kind === K_MAIN && !terminating) {
    s.err(`panic: ${reason}\n${formatPanicLocation(e)}`);
    s.halt(101);
    return;
  }
  s.err(`[mesh] ${kindLabel(p)} ${p.pid} crashed: ${reason}\n`);
  if (terminating) finalize(s, p, x.exitReason);
  else beginExit(s, p, reason);
}

/** How reports name a process: `actor Name`, `service Name`, `process`, … */
export function kindLabel(p: Process): string {
  const i = p.info;
  switch (i.kind) {
    case K_ACTOR:
      return `actor ${i.name}`;
    case K_SERVICE:
      return `service ${i.name}`;
    case K_SUPERVISOR:
      return `supervisor ${i.name}`;
    case K_JOB:
      return "job";
    case K_MAIN:
      return "main";
    default:
      return "process";
  }
}

/**
 * Calls `fn(...args)` through the scheduler's explicit frame stack instead of the native stack:
 * `const r = yield* deepCall(f, [a, b])`. Generated code uses it for calls nested deeper than
 * ~1000 `yield*` levels, so non-tail recursion is bounded by a cap (100,000 frames or 250,000
 * nested calls in all, then "stack overflow") instead of the JavaScript stack. `callDepth.n` is the
 * `yield*` nesting depth within the current frame; the driver saves it per frame and per process.
 * Generated code: `++callDepth.n < 1000 ? leave(yield* f(a)) : yield* deep(f, [a])` (runtime/
 * index.ts: `leave` decrements after the call returns, `deep` before handing it to deepCall).
 */
export function* deepCall(fn: Function, args: unknown[]): Gen {
  return yield new DeepCall(fn, args);
}
