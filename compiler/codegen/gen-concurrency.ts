// Concurrency lowering (concurrency.md §1, §3, §4, §8.3): spawn/send/link/self, selective
// `receive` (a matcher returning the accepted arm's index, then dispatch after
// `yield* $receive(...)`), actors (generator functions whose continuation calls loop), service
// definitions and helper calls, and supervisor specifications.
import { CHILD_DEFAULTS, SUPERVISOR_DEFAULTS } from "../../common/facts.js";
import type * as S from "../ast/syntax.js";
import type { Ref } from "../check/annotations.js";
import { and, arr, assign, bin, call, constS, exprS, id, ifS, num, retS, str, un, undef, type JsExpr, type JsStmt } from "./js-ast.js";
import { bindPattern, compilePattern, declStmts } from "./gen-pattern.js";
import { genExpr, genSeq, isUpperName, refOf } from "./gen-expr.js";
import { callKnown } from "./gen-call.js";
import { genInto, withLine, type Dest } from "./gen-control.js";
import { genTopFn, lowerFunction } from "./gen-decl.js";
import { SYSTEM_VARIANTS } from "./context.js";
import { baseName, FnCtx, VarScope, type ModCtx } from "./state.js";

// ---------------------------------------------------------------- primaries

function spawnTarget(ctx: FnCtx, f: S.Expr): Ref | null {
  if (f.kind === "Name" && ctx.scope.lookup(f.name)) return null;
  if (f.kind === "Name" || (f.kind === "Member" && f.target.kind === "Name" && isUpperName(f.target, ctx))) return refOf(ctx, f);
  return null;
}

// `node` → `node$opts`, `pipeline.node` → `pipeline$node$opts`
function optsBase(target: JsExpr): string {
  if (target.k === "id") return target.name.replace(/\$+$/, "");
  if (target.k === "mem") return `${optsBase(target.obj)}$${target.prop}`.replace(/\$+$/, "");
  return "process";
}

export function genConcurrencyExpr(ctx: FnCtx, e: S.Expr, out: JsStmt[]): JsExpr {
  switch (e.kind) {
    case "SelfPid":
      return call(ctx.rt("self"), []);
    case "Send": {
      const [p, msg] = genSeq(ctx, [e.pid, e.message], out);
      return call(ctx.rt("send"), [p!, msg!]);
    }
    case "Link":
      return call(ctx.rt("link"), [genExpr(ctx, e.pid, out)]);
    case "Spawn": {
      const [f, ...rest] = e.args;
      if (!f) return undef;
      const ref = spawnTarget(ctx, f);
      const args = genSeq(ctx, rest, out);
      if (ref?.kind === "supervisor") return call(ctx.rt("spawnSupervisor"), [ctx.m.ref(ref.module, `sup:${ref.name}`)]);
      // spawn options are module-level constants (one object per target, not per spawn)
      if (ref?.kind === "actor") {
        const a = ctx.m.px.mods.get(ref.module)?.actors.get(ref.name);
        const opts: [string, JsExpr][] = [
          ["kind", str("actor")],
          ["name", str(ref.name)],
        ];
        if (a?.terminate) opts.push(["terminate", ctx.m.ref(ref.module, `term:${ref.name}`)]);
        const target = ctx.m.ref(ref.module, `actor:${ref.name}`);
        return call(ctx.rt("spawn"), [target, arr(args), ctx.m.spawnOptions(optsBase(target), { k: "obj", props: opts })]);
      }
      const fv = genExpr(ctx, f, out);
      const name = ref?.kind === "global" ? ref.name : null;
      const opts: [string, JsExpr][] = [["kind", str("process")]];
      if (name) opts.push(["name", str(name)]);
      const base = name && (fv.k === "id" || fv.k === "mem") ? optsBase(fv) : "process";
      return call(ctx.rt("spawn"), [fv, arr(args), ctx.m.spawnOptions(base, { k: "obj", props: opts })]);
    }
    default:
      return undef;
  }
}

export function genServiceHelperCall(ctx: FnCtx, ref: Extract<Ref, { kind: "service" }>, args: JsExpr[]): JsExpr {
  const def = ctx.m.ref(ref.module, `service:${ref.service}`);
  if (ref.handler === null) return callKnown(ctx, ctx.rt("startService"), [def, arr(args)], true);
  const kind = ctx.m.susp.serviceHandlerKind(ref.module, ref.service, ref.helper) ?? "call";
  const [pid, ...rest] = args;
  if (kind === "cast") return call(ctx.rt("serviceCast"), [pid ?? undef, str(ref.service), str(ref.handler), arr(rest)]);
  return callKnown(ctx, ctx.rt("serviceCall"), [pid ?? undef, str(ref.service), str(ref.handler), arr(rest)], true);
}

// ---------------------------------------------------------------- receive

function mayMatchSystem(p: S.Pattern): boolean {
  return p.kind === "PVar" || p.kind === "PWild" || p.kind === "PTuple" || p.kind === "POr" || (p.kind === "PAs" && mayMatchSystem(p.pattern));
}

function isSystemArm(ctx: FnCtx, p: S.Pattern): boolean {
  if (p.kind !== "PCtor") return false;
  const ann = ctx.m.check.annotations.ctors.get(p);
  if (ann) return ann.type === "SystemMessage";
  const name = p.path[p.path.length - 1]!;
  if (p.path.length === 2) return p.path[0] === "SystemMessage";
  if (!SYSTEM_VARIANTS[name]) return false;
  const px = ctx.m.px;
  const m = ctx.m.mod;
  return !m.variants.has(name) && !m.imported.some((x) => px.mods.get(x)?.variants.has(name));
}

// Identifiers an expression or statement list reads (declared names included; callers compare
// against names the code cannot declare itself).
function collectIds(x: JsExpr | JsStmt | readonly (JsExpr | JsStmt)[] | null | undefined, into: Set<string>): void {
  if (!x) return;
  if (Array.isArray(x)) {
    for (const y of x as readonly (JsExpr | JsStmt)[]) collectIds(y, into);
    return;
  }
  const n = x as JsExpr | JsStmt;
  switch (n.k) {
    case "id":
      into.add(n.name);
      return;
    case "num":
    case "str":
    case "bool":
    case "undef":
    case "null":
    case "break":
    case "continue":
    case "comment":
    case "blank":
    case "raw":
    case "class":
      return;
    case "arr":
      return collectIds(n.elems, into);
    case "obj":
      return collectIds(n.props.map(([, v]) => v), into);
    case "call":
    case "new":
      collectIds(n.callee, into);
      return collectIds(n.args, into);
    case "mem":
      return collectIds(n.obj, into);
    case "idx":
      collectIds(n.obj, into);
      return collectIds(n.index, into);
    case "bin":
      collectIds(n.l, into);
      return collectIds(n.r, into);
    case "un":
      return collectIds(n.e, into);
    case "cond":
      collectIds(n.c, into);
      collectIds(n.t, into);
      return collectIds(n.f, into);
    case "assign":
      collectIds(n.target, into);
      return collectIds(n.value, into);
    case "seq":
      return collectIds(n.exprs, into);
    case "fn":
      return collectIds(n.body, into);
    case "yield":
      return collectIds(n.arg, into);
    case "expr":
      return collectIds(n.e, into);
    case "decl":
      return collectIds(n.init, into);
    case "return":
      return collectIds(n.e, into);
    case "if":
      collectIds(n.c, into);
      collectIds(n.then, into);
      return collectIds(n.else, into);
    case "while":
      collectIds(n.c, into);
      return collectIds(n.body, into);
    case "for":
      collectIds(n.init, into);
      collectIds(n.test, into);
      collectIds(n.update, into);
      return collectIds(n.body, into);
    case "forOf":
      collectIds(n.iter, into);
      return collectIds(n.body, into);
    case "block":
      return collectIds(n.body, into);
    case "throw":
      return collectIds(n.e, into);
  }
}

function hasAssign(e: JsExpr): boolean {
  switch (e.k) {
    case "assign":
      return true;
    case "bin":
      return hasAssign(e.l) || hasAssign(e.r);
    case "seq":
      return e.exprs.some(hasAssign);
    case "un":
      return hasAssign(e.e);
    default:
      return false;
  }
}

// `receive` (concurrency.md §1.6). The matcher runs inside `$receive` for each mailbox message
// and returns the accepted arm's index (or undefined); an arm whose pattern binds names also
// stores the message in the module's `$rm` slot, and the arm destructures it again right after
// `yield* $receive(...)` returns. Nothing is allocated per message. The matcher itself is made
// once: at module level when it reads no local binding, at function entry when it only reads
// parameters (a closure sees the values a continuation call assigns), in place otherwise.
export function genReceive(ctx: FnCtx, e: S.ExprOf<"Receive">, dest: Dest, out: JsStmt[]): void {
  const timeout = e.after ? genExpr(ctx, e.after.timeout, out) : { k: "null" as const };
  const line = ctx.m.line(e.span);
  // matcher: guards must not suspend (E0101)
  const mctx = ctx.nested(false, "<receive>");
  const msg = mctx.alloc.fresh("$msg");
  const matcher: JsStmt[] = [];
  const keeps: boolean[] = []; // arm i reads its bindings from `$rm`
  e.arms.forEach((arm, i) => {
    const prev = mctx.push();
    const system = isSystemArm(mctx, arm.pattern);
    const pc = compilePattern(mctx, arm.pattern, id(msg), { system: true });
    const tests = [...pc.tests];
    if (!system && mayMatchSystem(arm.pattern)) tests.unshift(un("!", call(ctx.rt("isSystemMessage"), [id(msg)])));
    const keep = pc.binds.length > 0;
    keeps.push(keep);
    const accept: JsStmt[] = keep ? [exprS(assign(ctx.m.received(), id(msg))), retS(num(i))] : [retS(num(i))];
    const body: JsStmt[] = [];
    if (arm.guard) {
      const binds = bindPattern(mctx, pc);
      const gs: JsStmt[] = [];
      const g = genExpr(mctx, arm.guard, gs);
      // only what the guard reads (the arm binds again from `$rm`)
      const used = new Set<string>();
      collectIds([...gs, exprS(g)], used);
      body.push(...binds.filter((b) => b.k !== "decl" || used.has(b.name)), ...gs, ifS(g, accept));
    } else body.push(...accept);
    mctx.pop(prev);
    matcher.push(...declStmts(pc));
    matcher.push(tests.length > 0 ? ifS(and(tests), body) : { k: "block", body });
  });
  matcher.push(retS(undef));
  const fn: JsExpr = { k: "fn", name: null, params: [msg], body: matcher, gen: false, arrow: true };
  const reads = new Set<string>();
  collectIds(matcher, reads);
  const locals = ctx.scope.jsNames();
  const captured = [...reads].filter((n) => locals.has(n));
  let matcherRef: JsExpr = fn;
  if (captured.length === 0) {
    const name = ctx.m.alloc.fresh(`${ctx.baseName}$match`);
    const pending = ctx.m.pending;
    if (pending.length > 0 && pending[pending.length - 1]!.k !== "blank") pending.push({ k: "blank" });
    pending.push({ k: "decl", kind: "const", name, init: fn, line });
    matcherRef = id(name);
  } else if (ctx.entryParams && captured.every((n) => ctx.entryParams!.has(n))) {
    const name = ctx.m.alloc.fresh(`${ctx.baseName}$match`); // module-unique: never shadows one
    ctx.entry.push({ k: "decl", kind: "const", name, init: fn, line });
    matcherRef = id(name);
  }
  const recv = callKnown(ctx, ctx.rt("receive"), [matcherRef, timeout], true);
  // dispatch on the accepted arm (no test when there is only one outcome)
  const single = e.arms.length + (e.after ? 1 : 0) <= 1;
  const r = single ? null : ctx.temp("$got");
  out.push(r === null ? exprS(recv, line) : constS(r, recv, line));
  const branches: { test: JsExpr | null; body: JsStmt[] }[] = [];
  e.arms.forEach((arm, i) => {
    const prev = ctx.push();
    const body: JsStmt[] = [];
    if (keeps[i]) {
      const pc = compilePattern(ctx, arm.pattern, ctx.m.received(), { system: true });
      body.push(...declStmts(pc));
      for (const t of pc.tests) if (hasAssign(t)) body.push(exprS(t)); // or-pattern bindings
      body.push(...bindPattern(ctx, pc));
    }
    genInto(ctx, arm.body, dest, body);
    withLine(body, ctx.m.line(arm.span));
    ctx.pop(prev);
    branches.push({ test: r === null ? null : bin("===", id(r), num(i)), body });
  });
  if (e.after) {
    const body: JsStmt[] = [];
    genInto(ctx, e.after.body, dest, body);
    withLine(body, ctx.m.line(e.after.span));
    branches.unshift({ test: r === null ? null : bin("===", id(r), ctx.rt("TIMEOUT")), body });
  }
  // the last branch needs no test
  let tail: JsStmt[] = branches.length > 0 ? branches[branches.length - 1]!.body : [];
  for (let i = branches.length - 2; i >= 0; i--) tail = [ifS(branches[i]!.test!, branches[i]!.body, tail)];
  out.push(...tail);
}

// ---------------------------------------------------------------- actors, services, supervisors

export function genActor(m: ModCtx, a: S.ActorDef): JsStmt[] {
  const jsName = m.mod.js.get(`actor:${a.name}`)!;
  const ctx = new FnCtx(m, true, m.alloc.child(), new VarScope(null), a.name);
  ctx.baseName = baseName(jsName);
  // the latest arguments matter only to a terminate clause (the runtime ignores them otherwise)
  const { params, body } = lowerFunction(ctx, {
    clauses: [{ params: a.params, guard: null, body: a.body, span: a.span }],
    meshName: a.name,
    selfName: a.name,
    actor: a.terminate !== null,
    isSelf: (callee) => callee.kind === "Name" && callee.name === a.name && !ctx.scope.lookup(a.name),
    prologue: a.terminate ? (ps) => [exprS(call(m.rt("setActorArgs"), [arr(ps.map(id))]))] : undefined,
  });
  const out: JsStmt[] = [{ k: "fn", name: jsName, params, body, gen: true, exported: true, line: m.line(a.span) }];
  if (a.terminate) {
    const gen = m.susp.isGen(a.terminate);
    const tctx = new FnCtx(m, gen, m.alloc.child(), new VarScope(null), a.name);
    tctx.baseName = baseName(m.mod.js.get(`term:${a.name}`)!);
    const t = lowerFunction(tctx, { clauses: [{ params: a.params, guard: null, body: a.terminate, span: a.terminate.span }], meshName: a.name, selfName: null });
    // the scheduler calls terminate with the actor's latest argument array
    out.push({ k: "fn", name: m.mod.js.get(`term:${a.name}`)!, params: [`[${t.params.join(", ")}]`], body: t.body, gen, exported: true, line: m.line(a.terminate.span) });
  }
  return out;
}

export function genService(m: ModCtx, s: S.ServiceDef): JsStmt[] {
  const out: JsStmt[] = [];
  const props: [string, JsExpr][] = [["name", str(s.name)]];
  const init = s.fns.find((f) => f.name === "init");
  if (init) {
    const js = m.alloc.fresh(`${s.name}$init`);
    out.push(genTopFn(m, { name: "init", first: init, clauses: [init], arity: init.params.length }, js, `${s.name}.init`));
    props.push(["init", id(js)]);
  }
  const calls: [string, JsExpr][] = [];
  const casts: [string, JsExpr][] = [];
  for (const h of s.handlers) {
    const js = m.alloc.fresh(`${s.name}$${h.name}`);
    const gen = m.susp.isGen(h);
    const ctx = new FnCtx(m, gen, m.alloc.child(), new VarScope(null), `${s.name}.${h.name}`);
    ctx.baseName = baseName(js);
    const stateParam: S.Param = { kind: "Param", span: h.span, pattern: h.stateParam ?? { kind: "PWild", span: h.span }, type: null };
    const { params, body } = lowerFunction(ctx, {
      clauses: [{ params: [stateParam, ...h.params], guard: null, body: h.body, span: h.span }],
      meshName: `${s.name}.${h.name}`,
      selfName: null,
    });
    out.push({ k: "fn", name: js, params, body, gen, exported: true, line: m.line(h.span) });
    (h.kind === "call" ? calls : casts).push([h.name, id(js)]);
  }
  props.push(["calls", { k: "obj", props: calls }], ["casts", { k: "obj", props: casts }]);
  out.push({ k: "decl", kind: "const", name: m.mod.js.get(`service:${s.name}`)!, init: { k: "obj", props }, exported: true });
  return out;
}

function entryValue(ctx: FnCtx, e: S.Expr, out: JsStmt[]): JsExpr {
  if (e.kind === "Name" && !ctx.scope.lookup(e.name) && /^[a-z_]/.test(e.name)) {
    const ref = refOf(ctx, e);
    if (!ref || ref.kind === "builtin") return str(e.name); // one_for_all, permanent, brutal_kill
  }
  return genExpr(ctx, e, out);
}

const SUP_KEYS: Record<string, string> = { strategy: "strategy", max_restarts: "maxRestarts", max_seconds: "maxSeconds" };

export function genSupervisor(m: ModCtx, s: S.SupervisorDef): JsStmt[] {
  const ctx = new FnCtx(m, false, m.alloc.child(), new VarScope(null), s.name);
  const out: JsStmt[] = [];
  const props: [string, JsExpr][] = [
    ["name", str(s.name)],
    ["strategy", str(SUPERVISOR_DEFAULTS.strategy)],
    ["maxRestarts", num(SUPERVISOR_DEFAULTS.maxRestarts)],
    ["maxSeconds", num(SUPERVISOR_DEFAULTS.maxSeconds)],
  ];
  for (const en of s.entries) {
    const key = SUP_KEYS[en.key] ?? en.key;
    const v = entryValue(ctx, en.value, out);
    const i = props.findIndex(([k]) => k === key);
    if (i >= 0) props[i] = [key, v];
    else props.push([key, v]);
  }
  const children = s.children.map((c) => {
    const cp: [string, JsExpr][] = [
      ["name", str(c.name)],
      ["start", undef],
      ["restart", str(CHILD_DEFAULTS.restart)],
      ["shutdown", num(CHILD_DEFAULTS.shutdown)],
    ];
    for (const en of c.entries) {
      const v = entryValue(ctx, en.value, out);
      const i = cp.findIndex(([k]) => k === en.key);
      if (i >= 0) cp[i] = [en.key, v];
      else cp.push([en.key, v]);
    }
    return { k: "obj", props: cp } as JsExpr;
  });
  props.push(["children", arr(children)]);
  out.push({ k: "decl", kind: "const", name: m.mod.js.get(`sup:${s.name}`)!, init: { k: "obj", props }, exported: true });
  return out;
}
