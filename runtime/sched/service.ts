// Services (gen_server) on top of the process runtime (runtime/sched): start runs init in the
// caller; a call is monitor + tagged request + timeout; casts are fire-and-forget (§4).
import { panic } from "./errors.js";
import { Pid } from "./pid.js";
import {
  BLOCK,
  budget,
  callOp,
  isGenObj,
  mbPush,
  mbTake,
  monAdd,
  monRemove,
  PREEMPT,
  Process,
  RECV_WAIT,
  rt,
  WAITING,
} from "./process.js";
import { currentScheduler } from "./ops.js";
import { CallReq, CastReq, DONE, failCall, PENDING } from "./entries.js";
export { CallReq, CastReq } from "./entries.js";

export interface ServiceDef {
  name: string;
  /** `init(...args) -> state`, plain or generator. Runs in the caller of start. */
  init: Function;
  /** Call handlers: `(state, ...args) -> [newState, reply]`, plain or generator. */
  calls: Record<string, Function>;
  /** Cast handlers: `(state, ...args) -> newState`, plain or generator. */
  casts: Record<string, Function>;
}

function reply(svc: Process, req: CallReq, value: unknown): void {
  monRemove(svc, req);
  if (req.state !== PENDING) return;
  req.state = DONE;
  req.value = value;
  req.caller.sched.wake(req.caller, req);
}

/**
 * `Name.start(args)`: evaluates init in the calling process, then spawns the service holding the
 * returned state and returns its pid.
 */
export function* startService(def: ServiceDef, initArgs: unknown[]): Generator<unknown, Pid, unknown> {
  const r = def.init.apply(undefined, initArgs);
  const state = isGenObj(r) ? yield* r : r;
  const pid = currentScheduler().spawn(serviceLoop, [def.name, handlersOf(def), state], {
    kind: "service",
    name: def.name,
  });
  return pid;
}

interface Handlers {
  calls: Map<string, Function>;
  casts: Map<string, Function>;
}

const handlerCache = new WeakMap<ServiceDef, Handlers>();

/** Handler tables as Maps, so a request naming e.g. "constructor" finds nothing. */
function handlersOf(def: ServiceDef): Handlers {
  let h = handlerCache.get(def);
  if (h === undefined) {
    h = { calls: new Map(Object.entries(def.calls)), casts: new Map(Object.entries(def.casts)) };
    handlerCache.set(def, h);
  }
  return h;
}

function invoke(h: Function, state: unknown, args: unknown[]): unknown {
  switch (args.length) {
    case 0:
      return h(state);
    case 1:
      return h(state, args[0]);
    case 2:
      return h(state, args[0], args[1]);
    case 3:
      return h(state, args[0], args[1], args[2]);
    default:
      return h(state, ...args);
  }
}

function* serviceLoop(name: string, handlers: Handlers, initial: unknown): Generator<unknown, void, unknown> {
  const p = rt.cur!;
  const s = p.sched;
  const calls = handlers.calls;
  const casts = handlers.casts;
  let state = initial;
  for (;;) {
    if (p.mbCount === 0) {
      p.status = WAITING;
      p.waitObj = RECV_WAIT;
      yield BLOCK;
      continue;
    }
    if (--budget.n < 0) yield PREEMPT;
    const m = mbTake(p, 0);
    if (m instanceof CallReq) {
      const h = m.service === name ? calls.get(m.handler) : undefined;
      if (h === undefined) {
        monRemove(p, m);
        failCall(m, "wrong_service");
        continue;
      }
      let r = invoke(h, state, m.args);
      if (isGenObj(r)) r = yield* r;
      const pair = r as [unknown, unknown];
      state = pair[0];
      reply(p, m, pair[1]);
    } else if (m instanceof CastReq) {
      const h = m.service === name ? casts.get(m.handler) : undefined;
      if (h === undefined) continue;
      let r = invoke(h, state, m.args);
      if (isGenObj(r)) r = yield* r;
      state = r;
    } else {
      s.err(`[mesh] service ${name} ${p.pid}: discarded unexpected message\n`);
    }
  }
}

/**
 * A synchronous call (§4.4–4.5), used as `yield* serviceCall(…)`: fails the caller with
 * `call failed: noproc | <exit reason> | wrong_service | calling_self | timeout`.
 */
export function serviceCall(
  pid: Pid,
  serviceName: string,
  handlerName: string,
  args: unknown[],
): Generator<unknown, unknown, unknown> {
  const me = rt.cur!;
  const t = pid.proc;
  if (t === null) {
    const remote = me.sched.remote;
    if (!pid.node.local && !pid.isNull() && remote?.call !== undefined) {
      // a call to another node (§4.6): the distribution layer sends CALL and settles the request
      const req = remote.call(me, pid, serviceName, handlerName, args);
      me.sched.startWaitCoarse(me, req, me.sched.callTimeoutMs);
      return callOp(me, req);
    }
    panic(pid.node.local || pid.isNull() ? "call failed: noproc" : "call failed: noconnection");
  }
  if (t.info.svc !== serviceName) panic("call failed: wrong_service");
  if (t === me) panic("call failed: calling_self");
  const s = me.sched;
  const ref = s.nextCallRef++;
  const req = new CallReq(serviceName, handlerName, args, me, ref, t);
  monAdd(t, req);
  mbPush(t, req);
  if (t.waitObj === RECV_WAIT) s.wake(t, RECV_WAIT);
  s.startWaitCoarse(me, req, s.callTimeoutMs);
  return callOp(me, req);
}

/** Fire-and-forget; dropped for dead targets and processes that are not this service. */
export function serviceCast(pid: Pid, serviceName: string, handlerName: string, args: unknown[]): void {
  const t = pid.proc;
  if (t === null) {
    if (!pid.node.local && !pid.isNull()) currentScheduler().remote?.cast?.(pid, serviceName, handlerName, args);
    return;
  }
  if (t.info.svc !== serviceName) return;
  mbPush(t, new CastReq(serviceName, handlerName, args));
  if (t.waitObj === RECV_WAIT) t.sched.wake(t, RECV_WAIT);
}

export function isServiceRequest(x: unknown): boolean {
  return x instanceof CallReq || x instanceof CastReq;
}
