// The single entry generated code imports (`import { ck as $ck, ... } from ".../runtime/index.js"`):
// value helpers and checked operations (core/ops.ts), built-in Option/Result/Ordering, the
// standard library object `lib` (one object per Mesh module plus `prelude`), the process
// runtime (receive, spawn, services, supervisors, runMain), and error locations.
import * as stdlib from "./stdlib/index.js";
import { Ok, Err, Some, None } from "./core/builtin-types.js";
import { List } from "./core/list.js";
import { panic } from "./core/panic.js";
import { setMethodLibrary } from "./core/ops.js";
import {
  PREEMPT, isGen, sleep, sendAfter, applyAfter, self as selfPid, register, whereis, lookup, unregister, monitor, demonitor,
  callDepth, deepCall, link as linkPid, unlink, exit, trapExit, isAlive, jobAsync, jobAwait, jobAwaitTimeout, jobMap, type JobResult, type Pid,
  subjectNew, subjectSend, subjectAwait,
  startService, serviceCall, serviceCast, type ServiceDef,
} from "./sched/index.js";
import { setBeforeStderr } from "./sched/output.js";
import { helperName } from "../common/facts.js";

export * from "./core/ops.js";
export { Some, None, Ok, Err, Less, Equal, Greater } from "./core/builtin-types.js";
export { Atom, typeMeta, variantMeta, registerImpl, type TypeMeta, type VariantMeta } from "./core/meta.js";
export { MeshPanic, panic } from "./core/panic.js";
export { registerSource, formatPanicLocation, meshFrames } from "./core/location.js";
export { registerSpawnOptions } from "./dist/spawn-options.js";
export { DONE, iterOf } from "./stdlib/index.js";
export {
  receive, TIMEOUT, budget, PREEMPT, isGen, spawn, self, send, link, setActorArgs, startService, serviceCall, serviceCast,
  spawnSupervisor, runMain, SysDown, SysExit, SysNodeDown, SysNodeUp, isSystemMessage, callDepth, deepCall, NULL_PID,
} from "./sched/index.js";

function jobResult(r: JobResult): unknown {
  return r.ok ? new Ok(r.value) : new Err(r.error);
}

// Library modules implemented by the process runtime (concurrency.md §2.7, §5).
const Timer = {
  // a generator function (not the scheduler's reusable iterator): `Timer.sleep` may be passed
  // around as a function value, and callers recognise suspending values by their kind
  *sleep(ms: number): Generator<unknown, unknown, unknown> {
    return yield* sleep(ms);
  },
  send_after: sendAfter,
  apply_after: applyAfter,
};

const Process = {
  self: selfPid,
  register,
  whereis,
  lookup: (name: string) => {
    const p = lookup(name);
    return p === null ? None : new Some(p);
  },
  unregister,
  monitor,
  demonitor,
  link: linkPid,
  unlink,
  exit,
  trap_exit: trapExit,
  is_alive: isAlive,
};

const Job = {
  async: jobAsync,
  *await(pid: Pid) {
    return jobResult(yield* jobAwait(pid));
  },
  *await_timeout(pid: Pid, ms: number) {
    return jobResult(yield* jobAwaitTimeout(pid, ms));
  },
  *map(xs: List, f: Function) {
    const rs = yield* jobMap(xs.toArray(), f);
    return List.fromArray(rs.map(jobResult));
  },
};

const Subject = {
  new: subjectNew,
  send: subjectSend,
  *await(s: Parameters<typeof subjectAwait>[0], ms: number) {
    return jobResult(yield* subjectAwait(s, ms));
  },
};

// The web, database, ORM and distribution modules join `lib` when a program uses them: generated
// code imports runtime/lib/<layer>.js for each layer it calls (their packages — ws, pg, PGlite —
// are most of the runtime's load time; a hello world loads none of them).
export const lib: Record<string, Record<string, unknown>> = {
  ...(stdlib as unknown as Record<string, Record<string, unknown>>),
  Timer,
  Process,
  Job,
  Subject,
};
setMethodLibrary(lib);
// A generator callback driven synchronously by a plain library path (hof.ts callSync) may pass its
// preemption checks; a real suspension there cannot be honoured (compiled code never gets there:
// it calls the `$g` variants), so it is a clear panic instead of a lost wait.
stdlib.setSyncYieldHandler((y) =>
  y === PREEMPT ? undefined : panic("a callback tried to suspend inside a library call made from code that cannot suspend"),
);
// Library stdout is buffered per turn; anything the scheduler writes to stderr (panics, crash
// reports) flushes it first so the two streams interleave in execution order.
setBeforeStderr(stdlib.flushStdout);

// Deep recursion of generator functions (concurrency.md §8.3): generated code counts `yield*`
// nesting in `callDepth.n` around recursive calls, `++$callDepth.n < 1000 ? $leave(yield* f(x))
// : yield* $deep(f, [x])`, so depth past ~1000 continues on the scheduler's explicit frame stack.
export function leave<T>(v: T): T {
  callDepth.n--;
  return v;
}
export function deep(fn: Function, args: unknown[]): Generator<unknown, unknown, unknown> {
  callDepth.n--;
  return deepCall(fn, args);
}

/** Runs a generator to completion outside a process (module constants); it must not suspend. */
export function runSync(g: Generator<unknown, unknown, unknown>): unknown {
  let step = g.next();
  while (!step.done) {
    if (step.value !== PREEMPT) panic("cannot suspend while initialising a module constant");
    step = g.next();
  }
  return step.value;
}

/** Calls a function value of unknown kind synchronously. */
export function callSync(f: Function, args: unknown[]): unknown {
  const r = f(...args);
  return isGen(f) ? runSync(r as Generator<unknown, unknown, unknown>) : r;
}

/** A service helper used as a function value (`List.map(pids, Counter.get_count)`): start/call/cast by helper name. */
export function* serviceHelper(def: ServiceDef, helper: string, args: unknown[]): Generator<unknown, unknown, unknown> {
  if (helper === "start") return yield* startService(def, args);
  const [pid, ...rest] = args as [Pid, ...unknown[]];
  for (const h in def.calls) if (helperName(h) === helper) return yield* serviceCall(pid, def.name, h, rest);
  for (const h in def.casts) if (helperName(h) === helper) return serviceCast(pid, def.name, h, rest);
  return panic(`no helper ${helper} in service ${def.name}`);
}
