// Concurrency lowering (concurrency.md §1, §3, §4, §8.3): spawn/send/link/self, selective
// `receive` (a matcher closure returning `[armIndex, ...bindings]`, then dispatch after
// `yield* $receive(...)`), actors (generator functions whose continuation calls loop), service
// definitions and helper calls, and supervisor specifications.
import type * as S from "../ast/syntax.js";
import type { Ref } from "../check/annotations.js";
import { and, arr, bin, call, constS, exprS, id, idx, ifS, num, retS, str, un, undef, yieldE, type JsExpr, type JsStmt } from "./js-ast.js";
import { bindPattern, compilePattern, declStmts } from "./gen-pattern.js";
import { genExpr, genSeq, isUpperName, refOf } from "./gen-expr.js";
import { callKnown } from "./gen-call.js";
import { genInto, withLine, type Dest } from "./gen-control.js";
import { genTopFn, lowerFunction } from "./gen-decl.js";
import { SYSTEM_VARIANTS } from "./context.js";
import { FnCtx, VarScope, type ModCtx } from "./state.js";

// ---------------------------------------------------------------- primaries

function spawnTarget(ctx: FnCtx, f: S.Expr): Ref | null {
  if (f.kind === "Name" && ctx.scope.lookup(f.name)) return null;
  if (f.kind === "Name" || (f.kind === "Member" && f.target.kind === "Name" && isUpperName(f.target, ctx))) return refOf(ctx, f);
  return null;
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
      if (ref?.kind === "actor") {
        const a = ctx.m.px.mods.get(ref.module)?.actors.get(ref.name);
        const opts: [string, JsExpr][] = [
          ["kind", str("actor")],
          ["name", str(ref.name)],
        ];
        if (a?.terminate) opts.push(["terminate", ctx.m.ref(ref.module, `term:${ref.name}`)]);
        return call(ctx.rt("spawn"), [ctx.m.ref(ref.module, `actor:${ref.name}`), arr(args), { k: "obj", props: opts }]);
      }
      const fv = genExpr(ctx, f, out);
      const name = ref?.kind === "global" ? ref.name : null;
      const opts: [string, JsExpr][] = [["kind", str("process")]];
      if (name) opts.push(["name", str(name)]);
      return call(ctx.rt("spawn"), [fv, arr(args), { k: "obj", props: opts }]);
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

export function genReceive(ctx: FnCtx, e: S.ExprOf<"Receive">, dest: Dest, out: JsStmt[]): void {
  const timeout = e.after ? genExpr(ctx, e.after.timeout, out) : { k: "null" as const };
  // matcher: runs inside the scheduler for each mailbox message; guards must not suspend (E0101)
  const mctx = ctx.nested(false, "<receive>");
  const msg = mctx.alloc.fresh("$msg");
  const matcher: JsStmt[] = [];
  const armBinds: string[][] = [];
  e.arms.forEach((arm, i) => {
    const prev = mctx.push();
    const system = isSystemArm(mctx, arm.pattern);
    const pc = compilePattern(mctx, arm.pattern, id(msg), { system: true });
    const tests = [...pc.tests];
    if (!system && mayMatchSystem(arm.pattern)) tests.unshift(un("!", call(ctx.rt("isSystemMessage"), [id(msg)])));
    const names = pc.binds.map((b) => b.name);
    armBinds.push(names);
    const body: JsStmt[] = [...bindPattern(mctx, pc)];
    const result = retS(arr([num(i), ...names.map((n) => id(mctx.scope.lookup(n)!.js))]));
    if (arm.guard) {
      const gs: JsStmt[] = [];
      const g = genExpr(mctx, arm.guard, gs);
      body.push(...gs, ifS(g, [result]));
    } else body.push(result);
    mctx.pop(prev);
    matcher.push(...declStmts(pc));
    matcher.push(tests.length > 0 ? ifS(and(tests), body) : { k: "block", body });
  });
  matcher.push(retS(undef));
  const fn: JsExpr = { k: "fn", name: null, params: [msg], body: matcher, gen: false, arrow: true };
  const r = ctx.temp("$got");
  out.push(constS(r, callKnown(ctx, ctx.rt("receive"), [fn, timeout], true), ctx.m.line(e.span)));
  // dispatch on the accepted arm
  const branches: { test: JsExpr | null; body: JsStmt[] }[] = [];
  e.arms.forEach((arm, i) => {
    const prev = ctx.push();
    const body: JsStmt[] = [];
    armBinds[i]!.forEach((n, j) => {
      const js = ctx.bind(n);
      body.push(constS(js, idx(id(r), num(j + 1))));
    });
    genInto(ctx, arm.body, dest, body);
    withLine(body, ctx.m.line(arm.span));
    ctx.pop(prev);
    branches.push({ test: bin("===", idx(id(r), num(0)), num(i)), body });
  });
  if (e.after) {
    const body: JsStmt[] = [];
    genInto(ctx, e.after.body, dest, body);
    withLine(body, ctx.m.line(e.after.span));
    branches.unshift({ test: bin("===", id(r), ctx.rt("TIMEOUT")), body });
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
  const { params, body } = lowerFunction(ctx, {
    clauses: [{ params: a.params, guard: null, body: a.body, span: a.span }],
    meshName: a.name,
    selfName: a.name,
    actor: true,
    isSelf: (callee) => callee.kind === "Name" && callee.name === a.name && !ctx.scope.lookup(a.name),
    prologue: (ps) => [exprS(call(m.rt("setActorArgs"), [arr(ps.map(id))]))],
  });
  const out: JsStmt[] = [{ k: "fn", name: jsName, params, body, gen: true, exported: true, line: m.line(a.span) }];
  if (a.terminate) {
    const gen = m.susp.isGen(a.terminate);
    const tctx = new FnCtx(m, gen, m.alloc.child(), new VarScope(null), a.name);
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
    ["strategy", str("one_for_one")],
    ["maxRestarts", num(3)],
    ["maxSeconds", num(5)],
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
      ["restart", str("permanent")],
      ["shutdown", num(5000)],
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
