// Control-flow lowering (language.md §4.7–§4.10, §4.15, §4.16, §7.9): blocks, `let`, `if`,
// `case`, `for`, `while`, `break`/`continue`/`return`, `?`, and self tail calls. Statements are
// generated towards a destination (return / assign / push / discard) so that `case` and `if` in
// tail or statement position become plain if-chains instead of temporaries.
import type * as S from "../ast/syntax.js";
import { leftSpine } from "../check/walk.js";
import { groupFunctions } from "../analyse/group.js";
import {
  and, arr, assign, bin, call, cond, constS, exprS, id, ifS, isSimple, letS, mem, newE, not, retS, un, undef, yieldE,
  type JsExpr, type JsStmt,
} from "./js-ast.js";
import { isIterType } from "./suspension.js";
import { bindPattern, compilePattern, declStmts } from "./gen-pattern.js";
import { checkInt, genExpr, genSeq, genStored, spill } from "./gen-expr.js";
import { callKnown, genCall, implFnGen, implFnRef } from "./gen-call.js";
import { genLocalFn, genClosure } from "./gen-decl.js";
import { genReceive } from "./gen-concurrency.js";
import { findType } from "./context.js";
import type { FnCtx } from "./state.js";

export type Dest = { readonly k: "return" } | { readonly k: "assign"; readonly name: string } | { readonly k: "push"; readonly name: string } | { readonly k: "discard" };
export const RETURN: Dest = { k: "return" };
export const DISCARD: Dest = { k: "discard" };

const CONTROL = new Set(["If", "Case", "BlockExpr", "For", "While", "Break", "Continue", "Return", "Try", "Receive"]);
export function isControl(e: S.Expr): boolean {
  return CONTROL.has(e.kind);
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
export function withLine(stmts: JsStmt[], line: number | undefined): void {
  if (line === undefined) return;
  for (const s of stmts) {
    if ("line" in s || s.k === "expr" || s.k === "decl" || s.k === "return" || s.k === "if" || s.k === "while" || s.k === "for" || s.k === "forOf" || s.k === "fn") {
      const m = s as Mutable<JsStmt> & { line?: number };
      if (m.line === undefined) m.line = line;
    }
  }
}

export function budgetCheck(ctx: FnCtx): JsStmt {
  return ifS(bin("<", un("--", mem(ctx.rt("budget"), "n")), { k: "num", value: 0 }), [exprS({ k: "yield", arg: ctx.rt("PREEMPT"), delegate: false })]);
}

export function emitTo(ctx: FnCtx, dest: Dest, v: JsExpr, out: JsStmt[]): void {
  switch (dest.k) {
    case "return":
      out.push(retS(v.k === "undef" ? null : v));
      return;
    case "assign":
      out.push(exprS(assign(id(dest.name), v)));
      return;
    case "push":
      out.push(exprS(call(mem(id(dest.name), "push"), [v])));
      return;
    case "discard":
      if (!isSimple(v)) out.push(exprS(v));
      return;
  }
  void ctx;
}

function emitUnit(ctx: FnCtx, dest: Dest, out: JsStmt[]): void {
  if (dest.k === "discard" || dest.k === "assign") return; // assign targets start as undefined
  emitTo(ctx, dest, undef, out);
}

// ---------------------------------------------------------------- blocks and let

export function genBlock(ctx: FnCtx, b: S.Block, dest: Dest, out: JsStmt[]): void {
  const prev = ctx.push();
  const groups = groupFunctions(b.stmts.map((s) => (s.kind === "FnDef" ? s : null)), []);
  const firsts = new Map(groups.map((g) => [g.first, g]));
  const n = b.stmts.length;
  let endedWithExpr = false;
  b.stmts.forEach((st, i) => {
    const buf: JsStmt[] = [];
    if (st.kind === "FnDef") {
      const g = firsts.get(st);
      if (g) genLocalFn(ctx, g, buf);
    } else if (st.kind === "Let") {
      genLet(ctx, st, buf);
    } else {
      genInto(ctx, st, i === n - 1 ? dest : DISCARD, buf);
      if (i === n - 1) endedWithExpr = true;
    }
    withLine(buf, ctx.m.line(st.span));
    out.push(...buf);
  });
  if (!endedWithExpr) emitUnit(ctx, dest, out);
  ctx.pop(prev);
}

function tupleDestructure(p: S.Pattern): string | null {
  if (p.kind === "PWild") return "";
  if (p.kind === "PVar") return null;
  if (p.kind !== "PTuple" || p.elems.length === 0) return null;
  return "ok";
}

// Binds `[a, [b, c]]` names for a tuple pattern made of names, wildcards and tuples.
function destructureNames(ctx: FnCtx, p: S.Pattern): string {
  if (p.kind === "PWild") return "";
  if (p.kind === "PVar") return ctx.bind(p.name, { type: ctx.m.check.annotations.patternTypes.get(p) });
  if (p.kind === "PTuple") return `[${p.elems.map((e) => destructureNames(ctx, e)).join(", ")}]`;
  throw new Error("not destructurable");
}

function simpleTuple(p: S.Pattern): boolean {
  if (p.kind === "PWild" || p.kind === "PVar") return true;
  return p.kind === "PTuple" && p.elems.length > 0 && p.elems.every(simpleTuple);
}

export function genLet(ctx: FnCtx, st: S.LetStmt, out: JsStmt[]): void {
  const p = st.pattern;
  const v = st.value;
  if (p.kind === "PVar") {
    const type = ctx.m.check.annotations.patternTypes.get(p);
    if (v.kind === "Closure") {
      const gen = ctx.m.susp.closureGen(v, ctx.m.mod, ctx.scope);
      const f = genClosure(ctx, v);
      const js = ctx.bind(p.name, { fn: { gen }, local: { k: "closure", node: v }, type });
      out.push(constS(js, f));
      return;
    }
    if (v.kind === "Case" || v.kind === "BlockExpr" || v.kind === "Receive" || (v.kind === "If" && !ternaryOk(v))) {
      const js = ctx.alloc.fresh(p.name);
      out.push(letS(js, null));
      genInto(ctx, v, { k: "assign", name: js }, out);
      ctx.scope.set(p.name, { js, type });
      return;
    }
    const val = genStored(ctx, v, out);
    const js = ctx.bind(p.name, { type });
    out.push(constS(js, val.v));
    if (val.check) out.push(checkInt(ctx, js));
    return;
  }
  if (p.kind === "PWild") {
    genInto(ctx, v, DISCARD, out);
    return;
  }
  const val = genExpr(ctx, v, out);
  if (simpleTuple(p) && tupleDestructure(p) === "ok") {
    out.push(constS(destructureNames(ctx, p), val));
    return;
  }
  const subj = spill(ctx, val, out, "$v");
  const pc = compilePattern(ctx, p, subj);
  out.push(...declStmts(pc));
  if (pc.tests.length > 0) out.push(exprS(and(pc.tests))); // or-pattern assignments
  out.push(...bindPattern(ctx, pc));
}

// ---------------------------------------------------------------- into a destination

export function genInto(ctx: FnCtx, e: S.Expr, dest: Dest, out: JsStmt[]): void {
  switch (e.kind) {
    case "If":
      genIf(ctx, e, dest, out);
      return;
    case "Case":
      genCase(ctx, e, dest, out);
      return;
    case "BlockExpr":
      genBlock(ctx, e.block, dest, out);
      return;
    case "Receive":
      genReceive(ctx, e, dest, out);
      return;
    case "Return":
      if (e.value) genInto(ctx, e.value, RETURN, out);
      else out.push(retS(null));
      return;
    case "Break":
      out.push({ k: "break" });
      return;
    case "Continue":
      out.push({ k: "continue" });
      return;
    case "While":
      genWhile(ctx, e, out);
      emitUnit(ctx, dest, out);
      return;
    case "For": {
      const v = genFor(ctx, e, dest.k !== "discard", out);
      if (v) emitTo(ctx, dest, v, out);
      return;
    }
    case "Ascribe":
      genInto(ctx, e.expr, dest, out);
      return;
    case "Call":
      if (dest.k === "return" && tryTailCall(ctx, e, out)) return;
      break;
    default:
      break;
  }
  if (dest.k === "assign") {
    const val = genStored(ctx, e, out);
    out.push(exprS(assign(id(dest.name), val.v)));
    if (val.check) out.push(checkInt(ctx, dest.name));
    return;
  }
  emitTo(ctx, dest, genExpr(ctx, e, out), out);
}

export function genControlExpr(ctx: FnCtx, e: S.Expr, out: JsStmt[]): JsExpr {
  switch (e.kind) {
    case "Try":
      return genTry(ctx, e, out);
    case "Break":
    case "Continue":
    case "Return":
    case "While":
      genInto(ctx, e, DISCARD, out);
      return undef;
    case "For":
      return genFor(ctx, e, true, out)!;
    case "If":
      if (ternaryOk(e)) {
        const c = genExpr(ctx, e.cond, out);
        const t = genExpr(ctx, e.then.stmts[0] as S.Expr, out);
        const f = e.elseBranch === null ? undef : e.elseBranch.kind === "Block" ? genExpr(ctx, e.elseBranch.stmts[0] as S.Expr, out) : genControlExpr(ctx, e.elseBranch, out);
        return cond(c, t, f);
      }
      break;
    default:
      break;
  }
  const t = ctx.temp("$v");
  out.push(letS(t, null));
  genInto(ctx, e, { k: "assign", name: t }, out);
  return id(t);
}

// A single pure expression per branch: `c ? a : b`.
function pureExpr(e: S.Expr): boolean {
  switch (e.kind) {
    case "Int":
    case "Float":
    case "Bool":
    case "Unit":
    case "Name":
    case "Atom":
      return true;
    case "String":
      return e.parts.every((p) => typeof p === "string" || pureExpr(p));
    case "Member":
      return pureExpr(e.target);
    case "Binary": {
      // a chain in one loop; a Pipe link is a call, never pure
      const links = leftSpine(e);
      return links.every((l) => l.kind === "Binary" && l.op !== "and" && l.op !== "or" && pureExpr(l.right)) && pureExpr(links[0]!.left);
    }
    case "Unary":
      return pureExpr(e.operand);
    case "Tuple":
    case "List":
      return e.elems.every(pureExpr);
    case "Call":
      return e.args.every(pureExpr) && e.kwargs.length === 0 && (e.callee.kind === "Name" || e.callee.kind === "Member");
    default:
      return false;
  }
}

function ternaryOk(e: S.ExprOf<"If">): boolean {
  const one = (b: S.Block) => b.stmts.length === 1 && b.stmts[0]!.kind !== "Let" && b.stmts[0]!.kind !== "FnDef" && pureExpr(b.stmts[0] as S.Expr);
  if (!pureExpr(e.cond) || !one(e.then)) return false;
  if (e.elseBranch === null) return false;
  return e.elseBranch.kind === "Block" ? one(e.elseBranch) : ternaryOk(e.elseBranch);
}

// ---------------------------------------------------------------- if / case

function genIf(ctx: FnCtx, e: S.ExprOf<"If">, dest: Dest, out: JsStmt[]): void {
  const c = genExpr(ctx, e.cond, out);
  const thenS: JsStmt[] = [];
  genBlock(ctx, e.then, e.elseBranch === null ? DISCARD : dest, thenS);
  const elseS: JsStmt[] = [];
  if (e.elseBranch === null) {
    if (dest.k === "return" || dest.k === "push") {
      out.push(ifS(c, thenS));
      emitUnit(ctx, dest, out);
      return;
    }
  } else if (e.elseBranch.kind === "Block") genBlock(ctx, e.elseBranch, dest, elseS);
  else genIf(ctx, e.elseBranch, dest, elseS);
  out.push(ifS(c, thenS, elseS.length > 0 ? elseS : null, ctx.m.line(e.span)));
}

export function noCaseStmt(ctx: FnCtx): JsStmt {
  return exprS(call(ctx.rt("noCase"), []));
}

function genCase(ctx: FnCtx, e: S.ExprOf<"Case">, dest: Dest, out: JsStmt[]): void {
  const sv = genExpr(ctx, e.scrutinee, out);
  const s = sv.k === "id" ? sv : spill(ctx, sv, out, "$s");
  const arms = e.arms.map((arm) => ({ arm, pc: compilePattern(ctx, arm.pattern, s) }));
  for (const a of arms) out.push(...declStmts(a.pc));
  const armBody = (a: (typeof arms)[number], d: Dest, extra: JsStmt[]): JsStmt[] => {
    const prev = ctx.push();
    const body: JsStmt[] = [...bindPattern(ctx, a.pc)];
    if (a.arm.guard) {
      const gs: JsStmt[] = [];
      const g = genExpr(ctx, a.arm.guard, gs);
      const inner: JsStmt[] = [];
      genInto(ctx, a.arm.body, d, inner);
      body.push(...gs, ifS(g, [...inner, ...extra]));
    } else {
      genInto(ctx, a.arm.body, d, body);
      body.push(...extra);
    }
    withLine(body, ctx.m.line(a.arm.span));
    ctx.pop(prev);
    return body;
  };
  const catchAll = (a: (typeof arms)[number]) => a.pc.tests.length === 0 && a.arm.guard === null;
  if (dest.k === "return") {
    for (const a of arms) {
      const body = armBody(a, dest, []);
      if (catchAll(a)) {
        out.push(...body);
        return;
      }
      out.push(ifS(and(a.pc.tests), body, null, ctx.m.line(a.arm.span)));
    }
    out.push(noCaseStmt(ctx));
    return;
  }
  if (!arms.some((a) => a.arm.guard)) {
    let tail: JsStmt[] = [noCaseStmt(ctx)];
    const firstCatchAll = arms.findIndex(catchAll);
    const used = firstCatchAll >= 0 ? arms.slice(0, firstCatchAll + 1) : arms;
    const bodies = used.map((a) => armBody(a, dest, []));
    for (let i = used.length - 1; i >= 0; i--) {
      const a = used[i]!;
      if (catchAll(a)) tail = bodies[i]!;
      else tail = [ifS(and(a.pc.tests), bodies[i]!, tail, ctx.m.line(a.arm.span))];
    }
    out.push(...tail);
    return;
  }
  const label = ctx.temp("$match");
  const block: JsStmt[] = [];
  for (const a of arms) {
    const body = armBody(a, dest, [{ k: "break", label }]);
    if (catchAll(a)) {
      block.push(...body.slice(0, -1));
      out.push({ k: "block", label, body: block });
      return;
    }
    block.push(ifS(and(a.pc.tests), body, null, ctx.m.line(a.arm.span)));
  }
  block.push(noCaseStmt(ctx));
  out.push({ k: "block", label, body: block });
}

// ---------------------------------------------------------------- loops

function genFor(ctx: FnCtx, e: S.ExprOf<"For">, wantValue: boolean, out: JsStmt[]): JsExpr | null {
  const acc = wantValue ? ctx.temp("$acc") : null;
  if (acc) out.push(constS(acc, arr([])));
  const it = e.iterable;
  const isRange = it.kind === "Binary" && it.op === "..";
  let iterVals: JsExpr[] = [];
  let iterable: JsExpr | null = null;
  if (isRange) iterVals = genSeq(ctx, [it.left, it.right], out);
  else iterable = genExpr(ctx, it, out);
  const prev = ctx.push();
  const savedLoop = ctx.loop;
  ctx.loop = { acc };
  const body: JsStmt[] = [];
  if (ctx.gen) body.push(budgetCheck(ctx));
  let loop: JsStmt;
  const p = e.pattern;
  if (isRange) {
    const end = spill(ctx, iterVals[1]!, out, "$end");
    const v = p.kind === "PVar" ? ctx.bind(p.name) : ctx.temp("$i");
    genLoopBody(ctx, e, acc, body);
    loop = { k: "for", init: letS(v, iterVals[0]!), test: bin("<", id(v), end), update: un("++", id(v)), body, line: ctx.m.line(e.span) };
  } else if (ctx.gen && (isIterType(ctx.m.typeOf(it)) || ctx.m.typeOf(it) === undefined)) {
    // a lazy iterator is pulled with `yield*` when a stage has a generator callback (`y`), so a
    // suspension inside it suspends this process; plain pipelines take `next()`. Without a type
    // (no checker annotations) the runtime decides (`$iterOf`).
    const known = ctx.m.typeOf(it) !== undefined;
    const pairs = p.kind === "PTuple" && p.elems.length === 2;
    const src = known ? spill(ctx, iterable!, out, "$it") : spill(ctx, call(ctx.rt("iterOf"), [iterable!, { k: "bool", value: pairs }]), out, "$it");
    const x = ctx.temp("$x");
    body.push(constS(x, cond(mem(src, "y"), yieldE(call(mem(src, "nextG"), []), true), call(mem(src, "next"), []))));
    body.push(ifS(bin("===", id(x), ctx.rt("DONE")), [{ k: "break" }]));
    if (p.kind === "PVar") body.push(constS(ctx.bind(p.name), id(x)));
    else if (simpleTuple(p) && p.kind === "PTuple") body.push(constS(destructureNames(ctx, p), id(x)));
    else if (p.kind !== "PWild") {
      const pc = compilePattern(ctx, p, id(x));
      body.push(...declStmts(pc), ...bindPattern(ctx, pc));
    }
    genLoopBody(ctx, e, acc, body);
    loop = { k: "for", init: null, test: null, update: null, body, line: ctx.m.line(e.span) };
  } else {
    const pairs = p.kind === "PTuple" && p.elems.length === 2;
    const iter = call(ctx.rt("iter"), [iterable!, { k: "bool", value: pairs }]);
    let name: string;
    if (p.kind === "PVar") name = ctx.bind(p.name);
    else if (simpleTuple(p) && p.kind === "PTuple") name = destructureNames(ctx, p);
    else if (p.kind === "PWild") name = ctx.temp("$e");
    else {
      name = ctx.temp("$e");
      const pc = compilePattern(ctx, p, id(name));
      body.push(...declStmts(pc), ...bindPattern(ctx, pc));
    }
    genLoopBody(ctx, e, acc, body);
    loop = { k: "forOf", name, iter, body, line: ctx.m.line(e.span) };
  }
  out.push(loop);
  ctx.loop = savedLoop;
  ctx.pop(prev);
  return acc ? call(ctx.rt("list"), [id(acc)]) : null;
}

function genLoopBody(ctx: FnCtx, e: S.ExprOf<"For">, acc: string | null, body: JsStmt[]): void {
  if (e.filter) {
    const fb: JsStmt[] = [];
    const f = genExpr(ctx, e.filter, fb);
    body.push(...fb, ifS(not(f), [{ k: "continue" }]));
  }
  genBlock(ctx, e.body, acc ? { k: "push", name: acc } : DISCARD, body);
}

function genWhile(ctx: FnCtx, e: S.ExprOf<"While">, out: JsStmt[]): void {
  const cb: JsStmt[] = [];
  const c = genExpr(ctx, e.cond, cb);
  const savedLoop = ctx.loop;
  ctx.loop = { acc: null };
  const body: JsStmt[] = [];
  if (ctx.gen) body.push(budgetCheck(ctx));
  if (cb.length > 0) body.push(...cb, ifS(not(c), [{ k: "break" }]));
  genBlock(ctx, e.body, DISCARD, body);
  ctx.loop = savedLoop;
  out.push({ k: "while", c: cb.length > 0 ? { k: "bool", value: true } : c, body, line: ctx.m.line(e.span) });
}

// ---------------------------------------------------------------- `?`

function genTry(ctx: FnCtx, e: S.ExprOf<"Try">, out: JsStmt[]): JsExpr {
  const v = genExpr(ctx, e.expr, out);
  const t = v.k === "id" ? v : spill(ctx, v, out, "$r");
  const tref = ctx.m.check.annotations.tries.get(e);
  if (tref?.kind === "option") {
    out.push(ifS(bin("===", t, ctx.rt("None")), [retS(t)]));
  } else if (tref?.kind === "result") {
    const conv = tref.convert ? implFnRef(ctx, tref.convert, "from") : null;
    const err = conv ? newE(ctx.rt("Err"), [callKnown(ctx, conv, [mem(t, "_0")], implFnGen(ctx, tref.convert, "from"))]) : t;
    out.push(ifS(bin("instanceof", t, ctx.rt("Err")), [retS(err)]));
  } else {
    const conv = fromTable(ctx);
    out.push(ifS(call(ctx.rt("isFailure"), [t]), [retS(conv ? call(ctx.rt("errInto"), [t, conv.meta, conv.table]) : t)]));
  }
  return mem(t, "_0");
}

// Without checker information: when the function declares `-> T!E` with a user type E that has
// From impls, `?` converts a foreign error through them at run time.
function fromTable(ctx: FnCtx): { meta: JsExpr; table: JsExpr } | null {
  const rt = ctx.retType;
  if (!rt || rt.kind !== "TName" || rt.path[rt.path.length - 1] !== "Result" || rt.args.length !== 2) return null;
  const e = rt.args[1]!;
  if (e.kind !== "TName") return null;
  const t = findType(ctx.m.px, ctx.m.mod, e.path);
  if (!t) return null;
  const qname = `${t.mod.name}.${t.name}`;
  const impls = ctx.m.px.impls.filter((i) => i.typeKey === qname && i.iface === "From" && i.methods.has("from"));
  if (impls.length === 0) return null;
  const table: JsExpr = { k: "obj", props: impls.map((i) => [i.ifaceArgs[0] ?? "", ctx.m.ref(i.module, `fn:${i.methods.get("from")!}`)] as const) };
  return { meta: ctx.m.ref(t.mod.name, `meta:${t.name}`), table };
}

// ---------------------------------------------------------------- self tail calls

// `f(…)` in tail position of `f` itself: the parameters get the new values and the loop continues.
function tryTailCall(ctx: FnCtx, e: S.ExprOf<"Call">, out: JsStmt[]): boolean {
  const tail = ctx.tail;
  if (!tail || e.kwargs.length > 0 || e.args.length !== tail.params.length || !tail.isSelf(e.callee)) return false;
  const params = tail.params;
  // arguments left to right; when one needs statements, the values before it are stored first
  const parts = e.args.map((a) => {
    const b: JsStmt[] = [];
    return { b, ...genStored(ctx, a, b) };
  });
  let last = -1;
  parts.forEach((p, i) => {
    if (p.b.length > 0) last = i;
  });
  const vals = parts.map((p, i) => {
    out.push(...p.b);
    if (i >= last || isSimple(p.v)) return { v: p.v, check: p.check };
    return { v: storeTemp(ctx, `$${params[i]!}`, p.v, p.check, out), check: false };
  });
  rebindParams(ctx, params, vals, out);
  if (tail.actor) out.push(exprS(call(ctx.rt("setActorArgs"), [arr(params.map(id))])));
  out.push({ k: "continue" });
  tail.used = true;
  return true;
}

function storeTemp(ctx: FnCtx, base: string, v: JsExpr, check: boolean, out: JsStmt[]): JsExpr {
  const t = ctx.temp(base);
  out.push(constS(t, v));
  if (check) out.push(checkInt(ctx, t));
  return id(t);
}

interface Rebind {
  readonly i: number; // argument position
  readonly p: string; // parameter
  readonly v: JsExpr;
  readonly check: boolean; // range-check the parameter after the assignment
  eff: Effect;
  readonly reads: Set<string>; // parameters the value reads
}

// Assigns the new argument values to the parameters directly (no temporaries: a temporary plus an
// inline overflow check per argument makes a tight loop several times slower). The order keeps
// every value computed before a parameter it reads is reassigned (`sum(n - 1, acc + n)` →
// `acc = acc + n; …; n = n - 1;`) and keeps effects in argument order; a genuine cycle
// (`swap(b, a)`) keeps one old value in a temporary (`const $a = a; a = b; b = $a;`).
function rebindParams(ctx: FnCtx, params: readonly string[], vals: readonly { v: JsExpr; check: boolean }[], out: JsStmt[]): void {
  const pset = new Set(params);
  const items: Rebind[] = [];
  let scanned = true;
  vals.forEach(({ v, check }, i) => {
    const p = params[i]!;
    if (v.k === "id" && v.name === p) return; // unchanged
    const it: Rebind = { i, p, v, check, eff: check ? 1 : 0, reads: new Set() };
    if (!scanValue(v, pset, it)) scanned = false;
    items.push(it);
  });
  const assignS = (p: string, v: JsExpr, check: boolean) => {
    out.push(exprS(assign(id(p), v)));
    if (check) out.push(checkInt(ctx, p));
  };
  if (!scanned && items.length > 1) {
    // a value creates a function (or is otherwise not analysed): compute all values, then assign
    const literal = (v: JsExpr) => v.k === "num" || v.k === "str" || v.k === "bool" || v.k === "undef" || v.k === "null";
    const fin = items.map((it) => (literal(it.v) ? it : { ...it, v: storeTemp(ctx, `$${it.p}`, it.v, it.check, out), check: false }));
    for (const it of fin) assignS(it.p, it.v, it.check);
    return;
  }
  const saved = new Map<string, string>(); // parameter -> temporary holding its old value
  // `a` must be evaluated before `b`'s parameter changes, or before `b` for effects
  const reads = (a: Rebind, b: Rebind) => a !== b && a.reads.has(b.p) && !saved.has(b.p);
  const ordered = (a: Rebind, b: Rebind) => a.i < b.i && ((a.eff === 2 && b.eff > 0) || (b.eff === 2 && a.eff > 0));
  let rest = items;
  while (rest.length > 0) {
    const next = rest.find((it) => !rest.some((o) => reads(o, it) || ordered(o, it)));
    if (!next) {
      // every remaining value waits for another: keep the old value of the first parameter read
      // by another value (effect order alone has no cycle)
      const cut = rest.find((it) => rest.some((o) => reads(o, it)))!;
      const t = ctx.temp(`$${cut.p}`);
      out.push(constS(t, id(cut.p)));
      saved.set(cut.p, t);
      continue;
    }
    rest = rest.filter((x) => x !== next);
    // its own parameter still holds the old value
    const renamed = new Map([...saved].filter(([p]) => p !== next.p && next.reads.has(p)));
    assignS(next.p, renamed.size > 0 ? renameIds(next.v, renamed) : next.v, next.check);
  }
}

// What evaluating a value may do, for reordering tail-call arguments: nothing (0), panic with
// `integer overflow` only (1; the same panic whichever check fires first), anything (2).
type Effect = 0 | 1 | 2;
const OVERFLOW_ONLY = new Set(["$ck", "$imul"]);

// Records the effect and the parameters read by `e`; false for forms not analysed (functions,
// assignments).
function scanValue(e: JsExpr, params: ReadonlySet<string>, acc: { eff: Effect; reads: Set<string> }): boolean {
  const sub = (x: JsExpr) => scanValue(x, params, acc);
  const effect = (x: Effect) => {
    if (x > acc.eff) acc.eff = x;
  };
  switch (e.k) {
    case "id":
      if (params.has(e.name)) acc.reads.add(e.name);
      return true;
    case "num":
    case "str":
    case "bool":
    case "undef":
    case "null":
      return true;
    case "mem":
      return sub(e.obj);
    case "idx":
      effect(2);
      return sub(e.obj) && sub(e.index);
    case "arr":
      return e.elems.every(sub);
    case "obj":
      return e.props.every(([, v]) => sub(v));
    case "new": // struct and variant classes: field assignments only
      return sub(e.callee) && e.args.every(sub);
    case "bin":
      return sub(e.l) && sub(e.r);
    case "un":
      if (e.op === "++" || e.op === "--" || e.op === "delete") effect(2);
      return sub(e.e);
    case "cond":
      return sub(e.c) && sub(e.t) && sub(e.f);
    case "call":
      effect(e.callee.k === "id" && OVERFLOW_ONLY.has(e.callee.name) ? 1 : 2);
      return sub(e.callee) && e.args.every(sub);
    case "yield":
      effect(2);
      return e.arg ? sub(e.arg) : true;
    case "assign":
    case "seq":
    case "fn":
      return false;
  }
}

// `e` with the given names replaced (only for forms scanValue accepts).
function renameIds(e: JsExpr, names: ReadonlyMap<string, string>): JsExpr {
  const r = (x: JsExpr) => renameIds(x, names);
  switch (e.k) {
    case "id": {
      const n = names.get(e.name);
      return n === undefined ? e : id(n);
    }
    case "mem":
      return { ...e, obj: r(e.obj) };
    case "idx":
      return { ...e, obj: r(e.obj), index: r(e.index) };
    case "arr":
      return { ...e, elems: e.elems.map(r) };
    case "obj":
      return { ...e, props: e.props.map(([k, v]) => [k, r(v)] as const) };
    case "new":
    case "call":
      return { ...e, callee: r(e.callee), args: e.args.map(r) };
    case "bin":
      return { ...e, l: r(e.l), r: r(e.r) };
    case "un":
      return { ...e, e: r(e.e) };
    case "cond":
      return { ...e, c: r(e.c), t: r(e.t), f: r(e.f) };
    case "yield":
      return { ...e, arg: e.arg ? r(e.arg) : null };
    default:
      return e;
  }
}

export { genCall };
