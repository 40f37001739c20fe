// Blocks and control flow (§4.7–§4.11, §4.18): statement lists, `let` (generalised, E0047),
// local functions, `if`, `case` (E0025, E0012, W0001), `for`, closures and function clauses
// (shared with top-level functions: parameter patterns, guards, W0003).
import type * as S from "../ast/syntax.js";
import { groupFunctions, type FnGroup } from "../analyse/group.js";
import type { RType } from "./annotations.js";
import type { Ctx, FnCtx } from "./context.js";
import { substitute } from "./context.js";
import { checkClauses as exhaustClauses, checkMatch, type MatchOracle } from "./exhaustive.js";
import { checkExpr, currentTyEnv, inferExpr } from "./infer-expr.js";
import { bindAll, checkPattern, isIrrefutable, type PatBinds } from "./infer-pattern.js";
import { resolveType, type TyEnv } from "./resolve.js";
import { con, freshVar, monoScheme, prune, rigidVar, tBool, tErr, tFun, tInt, tList, toRType, tUnit, typeKey, type TVar, type Type } from "./types.js";
import { unify } from "./unify.js";
import { lookupIface } from "./resolve.js";
import { userImpls, instantiateImpl } from "./interfaces.js";

// ---------------------------------------------------------------- blocks

export function inferBlock(cx: Ctx, b: S.Block, discardLast: boolean): Type {
  const mark = cx.env.mark();
  const stmts = b.stmts;
  let firsts: Map<S.FnDef, FnGroup> | null = null;
  if (stmts.some((s) => s.kind === "FnDef")) {
    firsts = new Map();
    for (const g of groupFunctions(stmts.map((s) => (s.kind === "FnDef" ? s : null)), cx.diags)) firsts.set(g.first, g);
  }
  let t: Type = tUnit;
  for (let i = 0; i < stmts.length; i++) {
    const s = stmts[i]!;
    const last = i === stmts.length - 1;
    if (s.kind === "Let") {
      checkLet(cx, s);
      t = tUnit;
    } else if (s.kind === "FnDef") {
      const g = firsts!.get(s);
      if (g) checkLocalFn(cx, g);
      t = tUnit;
    } else t = inferExpr(cx, s, !last || discardLast);
  }
  cx.env.reset(mark);
  return t;
}

function checkLet(cx: Ctx, s: S.LetStmt): void {
  if (!isIrrefutable(s.pattern)) cx.error("E0047", "refutable pattern in `let`: this pattern does not match every value; use `case`", s.pattern.span);
  const ann = s.type ? resolveType(cx, cx.mod, s.type, currentTyEnv(cx)) : null;
  const annMsg = (f: string, w: string) => `the value has type \`${f}\`, but the binding is declared as \`${w}\``;
  if (s.pattern.kind === "PVar") {
    const mark = cx.enter();
    const vt = ann ? checkExpr(cx, s.value, ann, annMsg) : inferExpr(cx, s.value);
    cx.leave();
    const t = ann ?? vt;
    const scheme = cx.generalize(t, mark);
    const id = cx.newBindingId();
    cx.bindings.set(s.pattern, id);
    cx.patTypes.set(s.pattern, t);
    cx.env.bind({ name: s.pattern.name, id, scheme, fn: false });
    return;
  }
  const vt = ann ? checkExpr(cx, s.value, ann, annMsg) : inferExpr(cx, s.value);
  const binds: PatBinds = new Map();
  checkPattern(cx, s.pattern, ann ?? vt, binds);
  bindAll(cx, binds);
}

// ---------------------------------------------------------------- functions and closures

export interface Signature {
  readonly params: Type[];
  readonly ret: Type;
  readonly declared: boolean; // every parameter and the result annotated
  readonly tyEnv: TyEnv;
  readonly rigids: Map<string, TVar>;
}

// Parameter and result types of a function from its first clause's annotations; explicit
// generics are rigid variables carrying their `where` bounds.
export function signatureOf(cx: Ctx, first: S.FnDef, base: TyEnv | null): Signature {
  const rigids = new Map<string, TVar>();
  const vars = new Map<string, Type>(base?.vars ?? []);
  for (const g of first.generics) {
    const v = rigidVar(g.name, cx.level, null);
    rigids.set(g.name, v);
    vars.set(g.name, v);
  }
  for (const w of first.where) {
    const v = rigids.get(w.typeVar);
    if (!v) {
      cx.error("E0049", `\`${w.typeVar}\` is not a generic parameter of \`${first.name}\``, w.span);
      continue;
    }
    const i = lookupIface(cx, cx.mod, w.iface, w.span);
    if (i) (v.bounds ??= []).push(i.qname);
  }
  const tyEnv: TyEnv = { vars, self: base?.self ?? null, assoc: base?.assoc ?? null };
  let declared = first.ret !== null;
  const params = first.params.map((p) => {
    if (p.type) return resolveType(cx, cx.mod, p.type, tyEnv);
    if (p.pattern.kind === "PVar" && p.pattern.name === "self" && base?.self) return base.self;
    declared = false;
    return freshVar(cx.level) as Type;
  });
  const ret = first.ret ? resolveType(cx, cx.mod, first.ret, tyEnv) : freshVar(cx.level);
  return { params, ret, declared, tyEnv, rigids };
}

export interface ClauseLike {
  readonly params: readonly S.Param[];
  readonly guard: S.Expr | null;
  readonly body: S.Block;
  readonly span: S.Span;
}

function lastSpan(b: S.Block): S.Span {
  const l = b.stmts[b.stmts.length - 1];
  return l ? l.span : b.span;
}

// Check the clauses of a function or closure against parameter/result types.
export function checkFnClauses(cx: Ctx, clauses: readonly ClauseLike[], params: readonly Type[], ret: Type, fnCtx: FnCtx, label: string, declaredRet: boolean, tyEnv: TyEnv, exhaustive = true): void {
  const savedFn = cx.fn;
  const savedEnv = cx.tyEnv;
  cx.fn = fnCtx;
  cx.tyEnv = tyEnv;
  clauses.forEach((c, ci) => {
    const mark = cx.env.mark();
    const binds: PatBinds = new Map();
    if (c.params.length !== params.length) {
      cx.error("E0003", `this clause of ${label} has ${c.params.length} parameters, but the first clause has ${params.length}`, c.span);
      cx.env.reset(mark);
      return;
    }
    c.params.forEach((p, i) => {
      if (p.type && ci > 0) {
        const at = resolveType(cx, cx.mod, p.type, tyEnv);
        cx.expect(p.span, at, params[i]!, (f, w) => `parameter ${i + 1} is declared as \`${f}\`, but earlier clauses of ${label} take \`${w}\``);
      }
      checkPattern(cx, p.pattern, params[i]!, binds);
    });
    bindAll(cx, binds);
    const laterRet = ci > 0 ? (c as Partial<S.FnDef>).ret : null;
    if (laterRet) {
      const rt = resolveType(cx, cx.mod, laterRet, tyEnv);
      cx.expect(laterRet.span, rt, ret, (f, w) => `this clause of ${label} declares the return type \`${f}\`, but the function returns \`${w}\``);
    }
    if (c.guard) checkExpr(cx, c.guard, tBool, (f) => `a guard must be \`Bool\`, but this one has type \`${f}\``, "E0025");
    const bt = inferBlock(cx, c.body, false);
    cx.expect(lastSpan(c.body), bt, ret, (f, w) =>
      declaredRet || ci === 0 ? `${label} returns \`${f}\`, but its declared return type is \`${w}\`` : `this clause of ${label} returns \`${f}\`, but earlier clauses return \`${w}\``,
    );
    cx.env.reset(mark);
  });
  cx.fn = savedFn;
  cx.tyEnv = savedEnv;
  const refutable = clauses.length > 1 || clauses.some((c) => c.guard !== null || c.params.some((p) => !isIrrefutable(p.pattern)));
  if (exhaustive && refutable && clauses.length > 0) {
    const r = exhaustClauses(
      clauses.map((c) => ({ patterns: c.params.map((p) => p.pattern), guarded: c.guard !== null })),
      params.map((x) => toRType(x)), oracle(cx), (p) => cx.ctors.get(p)?.variant ?? null,
    );
    if (r.missing.length > 0) {
      const name = label.startsWith("`") ? label.slice(1, -1) : "";
      cx.warning("W0003", `${label} does not handle every argument: missing ${r.missing.map((m) => `\`${name}${m}\``).join(", ")}`, clauses[0]!.span);
    }
    for (const i of r.unreachable) cx.warning("W0001", `this clause of ${label} can never match: earlier clauses cover every argument it accepts`, clauses[i]!.span);
  }
}

function checkLocalFn(cx: Ctx, g: FnGroup): void {
  const id = cx.newBindingId();
  for (const c of g.clauses) cx.bindings.set(c, id);
  const mark = cx.enter();
  const sig = signatureOf(cx, g.first, currentTyEnv(cx));
  const ft = tFun(sig.params, sig.ret);
  const binding = { name: g.name, id, scheme: monoScheme(ft), fn: true };
  cx.env.bind(binding);
  const fnCtx: FnCtx = { kind: "fn", ret: sig.ret, loopDepth: 0, actor: null, name: g.name, tail: null };
  checkFnClauses(cx, g.clauses, sig.params, sig.ret, fnCtx, `\`${g.name}\``, g.first.ret !== null, sig.tyEnv);
  cx.leave();
  binding.scheme = cx.generalize(ft, mark);
}

export function checkClosure(cx: Ctx, e: Extract<S.Expr, { kind: "Closure" }>, expected: Type | null): Type {
  const arity = e.clauses[0]?.params.length ?? 0;
  const params: Type[] = [];
  for (let i = 0; i < arity; i++) params.push(freshVar(cx.level));
  const ret = freshVar(cx.level);
  const exp = expected ? prune(expected) : null;
  if (exp && exp.k === "fun" && exp.params.length === arity) exp.params.forEach((p, i) => unify(params[i]!, p));
  cx.drain();
  const fnCtx: FnCtx = { kind: "closure", ret, loopDepth: 0, actor: null, name: null, tail: null };
  checkFnClauses(cx, e.clauses, params, ret, fnCtx, "this closure", false, currentTyEnv(cx));
  return tFun(params, ret);
}

// ---------------------------------------------------------------- if / case / for

export function inferIf(cx: Ctx, e: Extract<S.Expr, { kind: "If" }>, discard: boolean): Type {
  checkExpr(cx, e.cond, tBool, (f) => `the condition of \`if\` has type \`${f}\`, expected \`Bool\``);
  const tt = inferBlock(cx, e.then, discard);
  if (!e.elseBranch) return tUnit;
  const eb = e.elseBranch;
  const et = eb.kind === "Block" ? inferBlock(cx, eb, discard) : inferExpr(cx, eb, discard);
  if (discard) return tUnit;
  const res = freshVar(cx.level);
  unify(res, tt);
  cx.drain();
  cx.expect(eb.kind === "Block" ? lastSpan(eb) : eb.span, et, res, (f, w) => `the \`else\` branch has type \`${f}\` but the \`then\` branch has type \`${w}\``);
  return res;
}

export function inferCase(cx: Ctx, e: Extract<S.Expr, { kind: "Case" }>, discard: boolean): Type {
  const st = inferExpr(cx, e.scrutinee);
  const res = freshVar(cx.level);
  for (const arm of e.arms) {
    const mark = cx.env.mark();
    const binds: PatBinds = new Map();
    checkPattern(cx, arm.pattern, st, binds);
    bindAll(cx, binds);
    if (arm.guard) checkExpr(cx, arm.guard, tBool, (f) => `a guard must be \`Bool\`, but this one has type \`${f}\``, "E0025");
    const bt = inferExpr(cx, arm.body, discard);
    if (!discard) cx.expect(arm.body.span, bt, res, (f, w) => `this arm has type \`${f}\`, but earlier arms have type \`${w}\``);
    cx.env.reset(mark);
  }
  const r = checkMatch(e.arms.map((a) => ({ pattern: a.pattern, guarded: a.guard !== null })), toRType(st), oracle(cx), (p) => cx.ctors.get(p)?.variant ?? null);
  // the span covers `case <scrutinee>` (the header line)
  const head = { file: e.span.file, start: e.span.start, end: Math.max(e.span.start, e.scrutinee.span.end) };
  if (r.missing.length > 0) cx.error("E0012", `non-exhaustive \`case\`: missing ${r.missing.map((m) => `\`${m}\``).join(", ")}`, head);
  for (const i of r.unreachable) cx.warning("W0001", "unreachable arm: earlier arms match every value it matches", e.arms[i]!.pattern.span);
  return discard ? tUnit : res;
}

export function inferFor(cx: Ctx, e: Extract<S.Expr, { kind: "For" }>): Type {
  const it = prune(inferExpr(cx, e.iterable));
  let elem: Type;
  const pairPat = e.pattern.kind === "PTuple" && e.pattern.elems.length === 2;
  if (it.k === "con" && it.name === "Range") elem = tInt;
  else if (it.k === "con" && (it.name === "List" || it.name === "Set" || it.name === "Iter")) elem = it.args[0]!;
  else if (it.k === "con" && it.name === "Map") elem = pairPat ? { k: "tuple", elems: [it.args[0]!, it.args[1]!] } : it.args[0]!;
  else if (it.k === "var" && !it.rigid) {
    elem = freshVar(cx.level);
    unify(it, tList(elem));
    cx.drain();
  } else if (it.k === "err" || it.k === "never") elem = tErr;
  else elem = iterItem(cx, it, e.iterable.span);
  if (!isIrrefutable(e.pattern)) cx.error("E0047", "refutable pattern in `for`: this pattern does not match every element", e.pattern.span);
  const mark = cx.env.mark();
  const binds: PatBinds = new Map();
  checkPattern(cx, e.pattern, elem, binds);
  bindAll(cx, binds);
  if (e.filter) checkExpr(cx, e.filter, tBool, (f) => `the \`when\` filter of \`for\` has type \`${f}\`, expected \`Bool\``);
  if (cx.fn) cx.fn.loopDepth++;
  const bt = inferBlock(cx, e.body, false);
  if (cx.fn) cx.fn.loopDepth--;
  cx.env.reset(mark);
  return tList(bt);
}

// Item type of a user type implementing Iterator or Iterable (associated type `Item`).
function iterItem(cx: Ctx, t: Type, span: S.Span): Type {
  const key = typeKey(t);
  for (const iface of ["Iterator", "Iterable"]) {
    const impls = key ? userImpls(cx, iface, key) : [];
    if (impls.length > 0) {
      const s = instantiateImpl(cx, impls[0]!, t);
      const item = impls[0]!.assoc.get("Item");
      return item ? substitute(item, s) : freshVar(cx.level);
    }
  }
  cx.error("E0001", `cannot iterate over a value of type \`${cx.show(t)}\`; expected a Range, List, Map, Set or a type implementing Iterator`, span);
  return tErr;
}

// ---------------------------------------------------------------- exhaustiveness oracle

export function oracle(cx: Ctx): MatchOracle {
  return {
    ctorsOf(t: RType) {
      if (t.kind !== "con") return null;
      const d = cx.types.get(t.name);
      if (!d || d.kind !== "sum") return null;
      const sub = new Map<TVar, Type>();
      const cache = new Map<number, Type>();
      d.params.forEach((p, i) => sub.set(p, fromRType(t.args[i], cache)));
      return d.variants.map((v) => ({ name: v.name, args: v.fields.map((f) => toRType(substitute(f, sub))) }));
    },
  };
}

function fromRType(t: RType | undefined, cache: Map<number, Type>): Type {
  if (!t) return freshVar(1);
  switch (t.kind) {
    case "con":
      return con(t.name, t.args.map((a) => fromRType(a, cache)));
    case "tuple":
      return { k: "tuple", elems: t.elems.map((a) => fromRType(a, cache)) };
    case "fun":
      return tFun(t.params.map((a) => fromRType(a, cache)), fromRType(t.ret, cache));
    case "never":
      return { k: "never" };
    case "var": {
      let v = cache.get(t.id);
      if (!v) {
        v = freshVar(1);
        cache.set(t.id, v);
      }
      return v;
    }
  }
}
