// Typing of actors, spawn, send, receive, self(), services and supervisors (concurrency.md §1–§4):
// message types inferred from receive arms and self(), Pid/Pid<M>, E0014–E0021, E0100–E0105.
import type * as S from "../ast/syntax.js";
import type { Ctx, FnCtx } from "./context.js";
import type { ActorEntity, ServiceEntity, ServiceHelper, ValueEntity } from "./env.js";
import { checkExpr, inferExpr } from "./infer-expr.js";
import { inferBlock, signatureOf, checkFnClauses } from "./infer-control.js";
import { bindAll, checkPattern, isSystemPattern, type PatBinds } from "./infer-pattern.js";
import { lookupLib } from "./lib.js";
import { lookupValue, resolveType, EMPTY_TYENV } from "./resolve.js";
import { con, freshVar, prune, tBool, tErr, tFun, tInt, tPid, tPidOf, tString, tUnit, type Type } from "./types.js";
import { unify } from "./unify.js";
import { forEachChild, tailPositions } from "./walk.js";
import { groupFunctions } from "../analyse/group.js";
import { resolveHead } from "./infer-call.js";

const SYSTEM_MESSAGE: Type = con("SystemMessage");

// the handler -> helper name rule the runtime's serviceHelper also uses (one definition)
import { helperName as snakeCase } from "../../common/facts.js";
export { snakeCase };

// ---------------------------------------------------------------- actors

export function actorValueType(cx: Ctx, a: ActorEntity): Type {
  if (a.scheme) return cx.instantiate(a.scheme, a.def.nameSpan);
  return a.mono ?? freshVar(cx.level);
}

export function actorMono(cx: Ctx, a: ActorEntity): Type {
  const params = a.def.params.map((p) => (p.type ? resolveType(cx, cx.mod, p.type, EMPTY_TYENV) : (freshVar(cx.level) as Type)));
  return tFun(params, tPidOf(freshVar(cx.level)));
}

export function checkActor(cx: Ctx, a: ActorEntity): void {
  const ft = prune(a.mono!) as Extract<Type, { k: "fun" }>;
  const tail = new Set<S.Expr>();
  tailPositions(a.def.body, tail);
  const fnCtx: FnCtx = { kind: "actor", ret: freshVar(cx.level), loopDepth: 0, actor: a, name: a.name, tail };
  const saved = cx.fn;
  const mark = cx.env.mark();
  const binds: PatBinds = new Map();
  a.def.params.forEach((p, i) => checkPattern(cx, p.pattern, ft.params[i]!, binds));
  bindAll(cx, binds);
  cx.fn = fnCtx;
  inferBlock(cx, a.def.body, true);
  if (a.def.terminate) {
    cx.fn = { kind: "terminate", ret: freshVar(cx.level), loopDepth: 0, actor: a, name: a.name, tail: null };
    inferBlock(cx, a.def.terminate, true);
  }
  cx.fn = saved;
  cx.env.reset(mark);
}

function msgTypeOf(cx: Ctx, a: ActorEntity): Type {
  const ft = prune(a.mono ?? actorValueType(cx, a));
  if (ft.k !== "fun") return freshVar(cx.level);
  const r = prune(ft.ret);
  return r.k === "con" && r.args.length === 1 ? r.args[0]! : freshVar(cx.level);
}

/** The function `meshc repl` runs each input in: its body runs in the session's REPL process. */
export const REPL_STEP = "__repl_step";

export function inferSelf(cx: Ctx, e: S.Expr): Type {
  const f = cx.fn;
  // At the REPL prompt `self()` is the long-lived REPL process (tooling.md §3.4), an untyped pid.
  if (f && f.kind === "fn" && f.name === REPL_STEP) return tPid;
  if (!f || !f.actor || (f.kind !== "actor" && f.kind !== "terminate")) {
    cx.error("E0015", "self() used outside actor block", e.span, { hint: "use `Process.self()` to get the current pid anywhere" });
    return tPid;
  }
  return tPidOf(msgTypeOf(cx, f.actor));
}

export function inferReceive(cx: Ctx, e: Extract<S.Expr, { kind: "Receive" }>, discard: boolean): Type {
  const f = cx.fn;
  const inActor = !!f && f.kind === "actor" && !!f.actor;
  if (!inActor) cx.error("E0017", "receive used outside actor block", e.span);
  const m = inActor ? msgTypeOf(cx, f!.actor!) : freshVar(cx.level);
  const res = freshVar(cx.level);
  for (const arm of e.arms) {
    const mark = cx.env.mark();
    const binds: PatBinds = new Map();
    const sys = isSystemPattern(cx, arm.pattern);
    const alts = arm.pattern.kind === "POr" ? arm.pattern.alts : null;
    if (sys && alts && !alts.every((a) => isSystemPattern(cx, a))) {
      cx.error("E0102", "an or-pattern cannot mix system message constructors with other patterns", arm.pattern.span);
      checkPattern(cx, arm.pattern, tErr, binds, true);
    } else if (sys) checkPattern(cx, arm.pattern, SYSTEM_MESSAGE, binds, true);
    else checkPattern(cx, arm.pattern, m, binds);
    bindAll(cx, binds);
    if (arm.guard) {
      checkExpr(cx, arm.guard, tBool, (t) => `a guard must be \`Bool\`, but this one has type \`${t}\``, "E0025");
      const s = suspending(cx, arm.guard);
      if (s) cx.error("E0101", `guard may not suspend: ${s} can wait for another process`, arm.guard.span);
    }
    const bt = inferExpr(cx, arm.body, discard);
    if (!discard) cx.expect(arm.body.span, bt, res, (x, w) => `this arm has type \`${x}\`, but earlier arms have type \`${w}\``);
    cx.env.reset(mark);
  }
  if (e.after) {
    checkExpr(cx, e.after.timeout, tInt, (x) => `the \`after\` timeout has type \`${x}\`, expected \`Int\``);
    const bt = inferExpr(cx, e.after.body, discard);
    if (!discard) cx.expect(e.after.body.span, bt, res, (x, w) => `the \`after\` body has type \`${x}\`, but the arms have type \`${w}\``);
  }
  return discard ? tUnit : res;
}

// A suspending operation inside a guard (E0101): receive, service calls, suspending library calls.
function suspending(cx: Ctx, g: S.Expr): string | null {
  let found: string | null = null;
  const visit = (e: S.Expr) => {
    if (found) return;
    if (e.kind === "Receive") found = "`receive`";
    else if (e.kind === "Call" && e.callee.kind === "Member" && e.callee.target.kind === "Name") {
      const head = e.callee.target.name;
      const svc = cx.mod.values.get(head) ?? cx.mod.visServices.get(head)?.[0];
      if (svc && svc.kind === "service" && e.callee.name !== "start") found = `the service call \`${head}.${e.callee.name}\``;
      const lib = lookupLib(head, e.callee.name);
      if (lib?.suspends) found = `\`${head}.${e.callee.name}\``;
    }
    if (!found) forEachChild(e, visit, (b) => b.stmts.forEach((s) => (s.kind === "Let" ? visit(s.value) : s.kind === "FnDef" ? undefined : visit(s))));
  };
  visit(g);
  return found;
}

// ---------------------------------------------------------------- spawn / send / link

// An actor or supervisor named directly (`worker`) or through a namespace (`Workers.worker`).
function namedEntity(cx: Ctx, e: S.Expr): ValueEntity | null {
  if (e.kind === "Name") {
    const r = lookupValue(cx, e.name, e.span);
    return r?.kind === "global" ? r.e : null;
  }
  if (e.kind === "Member") {
    const h = resolveHead(cx, e.target);
    if (h?.kind === "ns") {
      const v = h.scope.values.get(e.name);
      if (v && (v.kind !== "fn" || v.pub)) return v;
    }
  }
  return null;
}

function spawnTarget(cx: Ctx, e: S.Expr): ValueEntity | null {
  const v = namedEntity(cx, e);
  return v && (v.kind === "actor" || v.kind === "supervisor") ? v : null;
}

function checkArgs(cx: Ctx, span: S.Span, params: readonly Type[], args: readonly S.Expr[], label: string): void {
  if (params.length !== args.length) {
    cx.error("E0003", `\`${label}\` takes ${params.length} argument${params.length === 1 ? "" : "s"} but ${args.length} ${args.length === 1 ? "was" : "were"} given`, span);
    for (const a of args) inferExpr(cx, a);
    return;
  }
  args.forEach((a, i) => checkExpr(cx, a, params[i]!, (f, w) => `argument ${i + 1} of \`${label}\` has type \`${f}\`, expected \`${w}\``));
}

export function inferSpawn(cx: Ctx, e: Extract<S.Expr, { kind: "Spawn" }>): Type {
  const [first, ...rest] = e.args;
  if (!first) {
    cx.error("E0003", "`spawn` needs an actor, supervisor or function to start", e.span);
    return tPid;
  }
  const target = spawnTarget(cx, first);
  if (target?.kind === "actor") {
    cx.refs.set(first, { kind: "actor", module: target.module, name: target.name });
    const ft = prune(actorValueType(cx, target));
    cx.exprTypes.set(first, ft);
    if (ft.k !== "fun") return tPid;
    checkArgs(cx, e.span, ft.params, rest, target.name);
    return ft.ret;
  }
  if (target?.kind === "supervisor") {
    cx.refs.set(first, { kind: "supervisor", module: target.module, name: target.name });
    cx.exprTypes.set(first, tPidOf(tUnit));
    if (rest.length > 0) cx.error("E0003", `supervisor \`${target.name}\` takes no arguments`, e.span);
    return tPidOf(tUnit);
  }
  const ft = prune(inferExpr(cx, first));
  if (ft.k === "var" && !ft.rigid) {
    const ps = rest.map(() => freshVar(cx.level) as Type);
    unify(ft, tFun(ps, freshVar(cx.level)));
    cx.drain();
  }
  const f = prune(ft);
  if (f.k === "fun") checkArgs(cx, e.span, f.params, rest, first.kind === "Name" ? first.name : "function");
  else if (f.k !== "err" && f.k !== "never") {
    cx.error("E0016", `cannot spawn non-function: found \`${cx.show(f)}\``, first.span);
    for (const a of rest) inferExpr(cx, a);
  }
  return tPid;
}

export function inferSend(cx: Ctx, e: Extract<S.Expr, { kind: "Send" }>): Type {
  const pt = prune(inferExpr(cx, e.pid));
  if (pt.k === "con" && pt.name === "Pid" && pt.args.length === 1) {
    checkExpr(cx, e.message, pt.args[0]!, (f, w) => `message type mismatch: expected \`${w}\`, found \`${f}\``, "E0014");
    return tUnit;
  }
  if (pt.k === "var" && !pt.rigid) unify(pt, tPid);
  else if (!(pt.k === "con" && pt.name === "Pid") && pt.k !== "err" && pt.k !== "never") cx.error("E0001", `\`send\` needs a Pid, but the target has type \`${cx.show(pt)}\``, e.pid.span);
  inferExpr(cx, e.message);
  return tUnit;
}

export function inferLink(cx: Ctx, e: Extract<S.Expr, { kind: "Link" }>): Type {
  checkExpr(cx, e.pid, tPid, (f) => `\`link\` needs a Pid, found \`${f}\``);
  return tUnit;
}

// `Node.spawn(node, f, args…)` / `Node.spawn_link`: `f` must be a top-level function or actor (E0104).
export function inferNodeSpawn(cx: Ctx, e: Extract<S.Expr, { kind: "Call" }>, args: readonly S.Expr[], label: string): Type {
  const [node, target, ...rest] = args;
  if (!node || !target) {
    cx.error("E0003", `\`${label}\` needs a node name and a function or actor`, e.span);
    return tPid;
  }
  checkExpr(cx, node, tString, (f) => `argument 1 of \`${label}\` has type \`${f}\`, expected \`String\``);
  const ent = namedEntity(cx, target);
  if (ent && (ent.kind === "actor" || ent.kind === "fn")) {
    const ft = prune(ent.kind === "actor" ? actorValueType(cx, ent) : ent.scheme ? cx.instantiate(ent.scheme, target.span) : (ent.mono ?? freshVar(cx.level)));
    cx.refs.set(target, ent.kind === "actor" ? { kind: "actor", module: ent.module, name: ent.name } : { kind: "global", module: ent.module, name: ent.name });
    cx.exprTypes.set(target, ft);
    if (ft.k === "fun") checkArgs(cx, e.span, ft.params, rest, ent.name);
    return tPid;
  }
  cx.error("E0104", "Node.spawn target must be a top-level function or actor", target.span);
  for (const a of rest) inferExpr(cx, a);
  return tPid;
}

// ---------------------------------------------------------------- services

export function serviceHelperType(cx: Ctx, e: Extract<S.Expr, { kind: "Member" }>, v: ValueEntity): Type {
  if (v.kind !== "service") return tErr;
  const h = v.helpers.get(e.name);
  if (!h) {
    cx.error("E0034", `service \`${v.name}\` has no helper \`${e.name}\``, e.nameSpan);
    return tErr;
  }
  cx.refs.set(e, { kind: "service", module: v.module, service: v.name, helper: h.helper, handler: h.handler });
  return h.scheme ? cx.instantiate(h.scheme, e.span) : freshVar(cx.level);
}

// Declare helper names (before any body is checked) so that references resolve; E0103.
export function declareServiceHelpers(cx: Ctx, s: ServiceEntity): void {
  const d = s.def;
  s.helpers.set("start", { helper: "start", handler: null, scheme: null });
  for (const h of d.handlers) {
    const n = snakeCase(h.name);
    if (n === "start") cx.error("E0103", `invalid service definition: handler \`${h.name}\` would generate the helper \`start\`, which is reserved`, h.nameSpan);
    else if (s.helpers.has(n)) cx.error("E0103", `invalid service definition: two handlers generate the helper \`${n}\``, h.nameSpan);
    else s.helpers.set(n, { helper: n, handler: h.name, scheme: null });
  }
  const inits = d.fns.filter((f) => f.name === "init");
  if (inits.length === 0) cx.error("E0103", `invalid service definition: service \`${d.name}\` has no \`fn init\``, d.nameSpan);
  for (const f of d.fns) if (f.name !== "init") cx.error("E0103", `invalid service definition: only \`fn init\` may be defined in a service (found \`${f.name}\`)`, f.nameSpan);
}

// Check a service body; returns the helper types (generalised by the caller).
export function checkService(cx: Ctx, s: ServiceEntity): { helper: ServiceHelper; type: Type }[] {
  const d = s.def;
  const inits = d.fns.filter((f) => f.name === "init");
  let initParams: Type[] = [];
  let state: Type = freshVar(cx.level);
  if (inits.length > 0) {
    const g = groupFunctions(inits, []);
    const sig = signatureOf(cx, g[0]!.first, null);
    const fnCtx: FnCtx = { kind: "init", ret: sig.ret, loopDepth: 0, actor: null, name: "init", tail: null };
    checkFnClauses(cx, g[0]!.clauses, sig.params, sig.ret, fnCtx, "`init`", g[0]!.first.ret !== null, sig.tyEnv);
    initParams = sig.params;
    state = sig.ret;
  }
  const out: { helper: ServiceHelper; type: Type }[] = [];
  const pidT = tPidOf(tUnit);
  const start = s.helpers.get("start")!;
  out.push({ helper: start, type: tFun(initParams, pidT) });
  for (const h of d.handlers) {
    const params = h.params.map((p) => (p.type ? resolveType(cx, cx.mod, p.type, EMPTY_TYENV) : (freshVar(cx.level) as Type)));
    const reply = h.kind === "call" ? (h.reply ? resolveType(cx, cx.mod, h.reply, EMPTY_TYENV) : freshVar(cx.level)) : tUnit;
    const mark = cx.env.mark();
    const binds: PatBinds = new Map();
    h.params.forEach((p, i) => checkPattern(cx, p.pattern, params[i]!, binds));
    if (h.stateParam) checkPattern(cx, h.stateParam, state, binds);
    bindAll(cx, binds);
    const saved = cx.fn;
    const expected: Type = h.kind === "call" ? { k: "tuple", elems: [state, reply] } : state;
    cx.fn = { kind: "handler", ret: expected, loopDepth: 0, actor: null, name: h.name, tail: null };
    const bt = inferBlock(cx, h.body, false);
    cx.fn = saved;
    const last = h.body.stmts[h.body.stmts.length - 1];
    cx.expect(last ? last.span : h.body.span, bt, expected, (f, w) =>
      h.kind === "call" ? `a \`call\` handler must return \`(new_state, reply)\` of type \`${w}\`, found \`${f}\`` : `a \`cast\` handler must return the new state of type \`${w}\`, found \`${f}\``,
    );
    cx.env.reset(mark);
    const helper = s.helpers.get(snakeCase(h.name));
    if (helper && helper.handler === h.name) out.push({ helper, type: tFun([pidT, ...params], reply) });
  }
  return out;
}

// ---------------------------------------------------------------- supervisors

const STRATEGIES = ["one_for_one", "one_for_all", "rest_for_one", "simple_one_for_one"];
const RESTARTS = ["permanent", "transient", "temporary"];

function show(e: S.Expr): string {
  if (e.kind === "Name") return e.name;
  if (e.kind === "Int" || e.kind === "Float") return String(e.value);
  if (e.kind === "Unary") return (e.op === "-" ? "-" : "not ") + show(e.operand);
  if (e.kind === "Bool") return String(e.value);
  if (e.kind === "String") return e.parts.filter((p) => typeof p === "string").join("");
  return "expression";
}

export function checkSupervisor(cx: Ctx, d: S.SupervisorDef): void {
  for (const en of d.entries) {
    const v = en.value;
    switch (en.key) {
      case "strategy":
        if (v.kind !== "Name" || !STRATEGIES.includes(v.name)) cx.error("E0019", `unknown supervision strategy \`${show(v)}\`, expected one_for_one, one_for_all, rest_for_one, or simple_one_for_one`, v.span);
        break;
      case "max_restarts":
        if (v.kind !== "Int" || v.value < 0) cx.error("E0105", "invalid supervisor specification: `max_restarts` must be an integer >= 0", v.span);
        break;
      case "max_seconds":
        if (v.kind !== "Int" || v.value < 1) cx.error("E0105", "invalid supervisor specification: `max_seconds` must be an integer >= 1", v.span);
        break;
      default:
        cx.error("E0105", `invalid supervisor specification: unknown key \`${en.key}\``, en.keySpan);
    }
  }
  const names = new Set<string>();
  for (const c of d.children) {
    if (names.has(c.name)) cx.error("E0105", `invalid supervisor specification: duplicate child name \`${c.name}\``, c.nameSpan);
    names.add(c.name);
    let hasStart = false;
    for (const en of c.entries) {
      const v = en.value;
      switch (en.key) {
        case "start": {
          hasStart = true;
          const saved = cx.fn;
          cx.fn = { kind: "fn", ret: freshVar(cx.level), loopDepth: 0, actor: null, name: null, tail: null };
          const t = prune(inferExpr(cx, v));
          cx.fn = saved;
          const ret = freshVar(cx.level);
          if (t.k === "err") break;
          if (unify(t, tFun([], ret)) !== null) {
            cx.error("E0018", `child \`${c.name}\` start function must be a zero-argument function returning Pid, found \`${cx.show(t)}\``, v.span);
            break;
          }
          cx.drain();
          const r = prune(ret);
          if (r.k === "var" && !r.rigid) unify(r, tPid);
          else if (!(r.k === "con" && r.name === "Pid") && r.k !== "err" && r.k !== "never") cx.error("E0018", `child \`${c.name}\` start function must return Pid, found \`${cx.show(r)}\``, v.span);
          break;
        }
        case "restart":
          if (v.kind !== "Name" || !RESTARTS.includes(v.name)) cx.error("E0020", `invalid restart type \`${show(v)}\` for child \`${c.name}\`, expected permanent, transient, or temporary`, v.span);
          break;
        case "shutdown":
          if (!((v.kind === "Int" && v.value > 0) || (v.kind === "Name" && v.name === "brutal_kill"))) cx.error("E0021", `invalid shutdown value \`${show(v)}\` for child \`${c.name}\`, expected a positive integer or brutal_kill`, v.span);
          break;
        default:
          cx.error("E0105", `invalid supervisor specification: unknown key \`${en.key}\` for child \`${c.name}\``, en.keySpan);
      }
    }
    if (!hasStart) cx.error("E0105", `invalid supervisor specification: child \`${c.name}\` has no \`start\``, c.nameSpan);
  }
}

