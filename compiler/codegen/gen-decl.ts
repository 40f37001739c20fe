// Declaration lowering: functions (single and multi-clause, with the clause dispatcher and
// self-tail-call loops, language.md §3.1, §3.2, §7.9), closures, local functions, struct and
// sum-type classes with their runtime metadata (runtime/core/meta.ts), impls and module constants.
import type * as S from "../ast/syntax.js";
import { leftSpine } from "../check/walk.js";
import { groupFunctions, type FnGroup } from "../analyse/group.js";
import { and, arr, call, constS, exprS, fnE, id, ifS, str, type JsExpr, type JsStmt } from "./js-ast.js";
import { bindPattern, compilePattern, type PatCode } from "./gen-pattern.js";
import { genExpr } from "./gen-expr.js";
import { budgetCheck, genBlock, RETURN, withLine } from "./gen-control.js";
import { escapeName, fieldName } from "./names.js";
import { jsonDescOfTypeExpr } from "./lib-calls.js";
import type { ImplIndex, ModIndex } from "./context.js";
import { baseName, FnCtx, VarScope, type ModCtx } from "./state.js";

export interface Clause {
  readonly params: readonly S.Param[];
  readonly guard: S.Expr | null;
  readonly body: S.Block;
  readonly span: S.Span;
}

export interface FnSpec {
  readonly clauses: readonly Clause[];
  readonly meshName: string; // `fact`, `<closure>`
  readonly selfName: string | null; // self tail calls by this name become a loop
  readonly isSelf?: (callee: S.Expr) => boolean;
  readonly actor?: boolean;
  readonly prologue?: (params: readonly string[]) => JsStmt[];
}

// ---------------------------------------------------------------- AST scans

export function walkStmts(stmts: readonly S.Stmt[], f: (e: S.Expr | S.FnDef) => boolean): boolean {
  return stmts.some((s) => (s.kind === "FnDef" ? f(s) || walkStmts(s.body.stmts, f) : s.kind === "Let" ? walkExpr(s.value, f) : walkExpr(s, f)));
}

// Deep walk over an expression (including nested blocks); stops when `f` returns true.
export function walkExpr(e: S.Expr, f: (e: S.Expr | S.FnDef) => boolean): boolean {
  if (f(e)) return true;
  const sub = (x: S.Expr | null | undefined) => (x ? walkExpr(x, f) : false);
  switch (e.kind) {
    case "If":
      return sub(e.cond) || walkStmts(e.then.stmts, f) || (e.elseBranch ? (e.elseBranch.kind === "Block" ? walkStmts(e.elseBranch.stmts, f) : sub(e.elseBranch)) : false);
    case "Case":
      return sub(e.scrutinee) || e.arms.some((a) => sub(a.guard) || sub(a.body));
    case "Receive":
      return e.arms.some((a) => sub(a.guard) || sub(a.body)) || (e.after ? sub(e.after.timeout) || sub(e.after.body) : false);
    case "Closure":
      return e.clauses.some((c) => sub(c.guard) || walkStmts(c.body.stmts, f));
    case "For":
      return sub(e.iterable) || sub(e.filter) || walkStmts(e.body.stmts, f);
    case "While":
      return sub(e.cond) || walkStmts(e.body.stmts, f);
    case "BlockExpr":
      return walkStmts(e.block.stmts, f);
    case "String":
      return e.parts.some((p) => typeof p !== "string" && sub(p));
    case "Member":
      return sub(e.target);
    case "Call":
      return sub(e.callee) || e.args.some(sub) || e.kwargs.some((k) => sub(k.value));
    case "Index":
      return sub(e.target) || sub(e.index);
    case "Try":
    case "Ascribe":
      return sub(e.expr);
    case "Unary":
      return sub(e.operand);
    case "Binary":
    case "Pipe": {
      // an operator chain in one loop (f already saw `e`): its other links, then its operands
      const links = leftSpine(e);
      for (let i = links.length - 2; i >= 0; i--) if (f(links[i]!)) return true;
      return sub(links[0]!.left) || links.some((l) => sub(l.right));
    }
    case "Tuple":
    case "List":
      return e.elems.some(sub);
    case "MapLit":
      return e.entries.some((x) => sub(x.key) || sub(x.value));
    case "StructLit":
      return e.fields.some((x) => sub(x.value));
    case "StructUpdate":
      return sub(e.base) || e.fields.some((x) => sub(x.value));
    case "Return":
      return sub(e.value);
    case "Spawn":
      return e.args.some(sub);
    case "Send":
      return sub(e.pid) || sub(e.message);
    case "Link":
      return sub(e.pid);
    default:
      return false;
  }
}

function clausesContain(cs: readonly Clause[], f: (e: S.Expr | S.FnDef) => boolean): boolean {
  return cs.some((c) => (c.guard ? walkExpr(c.guard, f) : false) || walkStmts(c.body.stmts, f));
}

// ---------------------------------------------------------------- functions

function paramNames(ctx: FnCtx, clauses: readonly Clause[], arity: number): { js: string[]; mesh: (string | null)[] } {
  const js: string[] = [];
  const mesh: (string | null)[] = [];
  for (let i = 0; i < arity; i++) {
    let name: string | null = null;
    for (const c of clauses) {
      const p = c.params[i]?.pattern;
      if (p?.kind === "PVar") {
        name = p.name;
        break;
      }
      if (p?.kind === "PAs") {
        name = p.name;
        break;
      }
    }
    mesh.push(name);
    js.push(ctx.alloc.fresh(name ?? `arg${i}`));
  }
  return { js, mesh };
}

// Lowers a (possibly multi-clause) function body into a JS parameter list and statements.
export function lowerFunction(ctx: FnCtx, spec: FnSpec): { params: string[]; body: JsStmt[] } {
  const arity = spec.clauses[0]?.params.length ?? 0;
  const { js: params, mesh } = paramNames(ctx, spec.clauses, arity);
  const selfName = spec.selfName;
  // one walk: does the body call itself by name, and does it create closures?
  let hasSelfCall = false;
  let hasClosure = false;
  if (selfName !== null) {
    clausesContain(spec.clauses, (x) => {
      if (x.kind === "Call" && x.callee.kind === "Name" && x.callee.name === selfName) hasSelfCall = true;
      else if (x.kind === "Closure" || x.kind === "FnDef") hasClosure = true;
      return hasSelfCall && hasClosure;
    });
  }
  const captures = hasSelfCall && hasClosure;
  // Closures must capture per-iteration values, so a looping function that creates closures
  // reads its parameters through per-iteration copies.
  const vals = captures ? params.map((p) => ctx.alloc.fresh(p)) : params;
  // what a receive matcher may read when it is made once at function entry (gen-concurrency.ts)
  ctx.entryParams = new Set(captures ? [] : params);
  ctx.entry.length = 0;
  if (selfName !== null) {
    ctx.tail = { name: selfName, params, actor: spec.actor === true, used: false, isSelf: spec.isSelf ?? (() => false) };
  }
  const stmts: JsStmt[] = [];
  let terminated = false;
  for (const c of spec.clauses) {
    const prev = ctx.push();
    const pcs: PatCode[] = c.params.map((p, i) => {
      const pc = compilePattern(ctx, p.pattern, id(vals[i]!));
      return {
        ...pc,
        binds: pc.binds.map((b) => (b.value.k === "id" && b.value.name === vals[i] && b.name === mesh[i] ? { ...b, declared: vals[i] } : b)),
      };
    });
    const tests = pcs.flatMap((p) => p.tests);
    const decls = pcs.flatMap((p) => p.decls);
    const body: JsStmt[] = [];
    for (const pc of pcs) body.push(...bindPattern(ctx, pc));
    if (c.guard) {
      const gs: JsStmt[] = [];
      const g = genExpr(ctx, c.guard, gs);
      const inner: JsStmt[] = [];
      genBlock(ctx, c.body, RETURN, inner);
      body.push(...gs, ifS(g, inner));
    } else {
      genBlock(ctx, c.body, RETURN, body);
    }
    ctx.pop(prev);
    for (const d of decls) stmts.push({ k: "decl", kind: "let", name: d, init: null });
    if (tests.length === 0) {
      stmts.push(...body);
      if (!c.guard) {
        terminated = true;
        break;
      }
    } else {
      const s = ifS(and(tests), body);
      withLine([s], ctx.m.line(c.span));
      stmts.push(s);
    }
  }
  if (!terminated) stmts.push(exprS(call(ctx.rt("noClause"), [str(`${spec.meshName}/${arity}`)])));
  const pre: JsStmt[] = spec.prologue ? spec.prologue(params) : [];
  const copies: JsStmt[] = captures ? params.map((p, i) => constS(vals[i]!, id(p))) : [];
  const check: JsStmt[] = ctx.gen ? [budgetCheck(ctx)] : [];
  const entry = [...ctx.entry];
  // after a matcher made at entry, the next line belongs to the function again (error locations)
  const fnLine = entry.length > 0 ? ctx.m.line(spec.clauses[0]?.span) : undefined;
  if (ctx.tail?.used) {
    return { params, body: [...pre, ...entry, { k: "while", c: { k: "bool", value: true }, body: [...check, ...copies, ...stmts], line: fnLine }] };
  }
  withLine(check, fnLine);
  return { params, body: [...pre, ...entry, ...check, ...copies, ...stmts] };
}

function groupClauses(g: FnGroup): Clause[] {
  return g.clauses.map((c) => ({ params: c.params, guard: c.guard, body: c.body, span: c.span }));
}

export function genTopFn(m: ModCtx, g: FnGroup, jsName: string, meshName = g.name, gen?: boolean): JsStmt {
  const isGen = gen ?? m.susp.isGen(g.first);
  const ctx = new FnCtx(m, isGen, m.alloc.child(), new VarScope(null), meshName);
  ctx.baseName = baseName(jsName);
  ctx.retType = g.first.ret;
  if (jsName === m.mod.js.get(`fn:${g.name}`)) ctx.topKey = `${m.mod.name}:${g.name}`;
  const { params, body } = lowerFunction(ctx, {
    clauses: groupClauses(g),
    meshName,
    selfName: g.name,
    isSelf: (callee) => callee.kind === "Name" && callee.name === g.name && !ctx.scope.lookup(g.name) && jsName === m.mod.js.get(`fn:${g.name}`),
  });
  return { k: "fn", name: jsName, params, body, gen: isGen, exported: true, line: m.line(g.first.span) };
}

export function genClosure(ctx: FnCtx, e: S.ExprOf<"Closure">): JsExpr {
  const gen = ctx.m.susp.closureGen(e, ctx.m.mod, ctx.scope);
  const inner = ctx.nested(gen, "<closure>");
  const { params, body } = lowerFunction(inner, {
    clauses: e.clauses.map((c) => ({ params: c.params, guard: c.guard, body: c.body, span: c.span })),
    meshName: "<closure>",
    selfName: null,
  });
  withLine(body, ctx.m.line(e.span));
  return fnE(null, params, body, gen, true);
}

export function genLocalFn(ctx: FnCtx, g: FnGroup, out: JsStmt[]): void {
  const gen = ctx.m.susp.localFnGen(g, ctx.m.mod, ctx.scope);
  const js = ctx.bind(g.name, { fn: { gen, group: g }, local: { k: "fn", group: g } });
  const inner = ctx.nested(gen, g.name);
  inner.retType = g.first.ret;
  const { params, body } = lowerFunction(inner, {
    clauses: groupClauses(g),
    meshName: g.name,
    selfName: g.name,
    isSelf: (callee) => callee.kind === "Name" && callee.name === g.name && inner.scope.lookup(g.name)?.js === js,
  });
  out.push({ k: "fn", name: js, params, body, gen, line: ctx.m.line(g.first.span) });
}

// ---------------------------------------------------------------- types

const DEFAULT_DERIVES = { struct: ["Eq", "Ord", "Hash", "Debug"], sum: ["Eq", "Ord", "Debug"] };

function derivesOf(m: ModCtx, qname: string, kind: "struct" | "sum", d: S.Deriving | null): string[] {
  const info = m.check.info.types.get(qname);
  if (info) return [...info.derives];
  if (d) return d.names.map((n) => n.name);
  // a hand-written impl replaces an impl that would only be derived by default (§3.9)
  const own = new Set(m.px.impls.filter((i) => i.typeKey === qname).map((i) => i.iface));
  return DEFAULT_DERIVES[kind].filter((x) => !own.has(x));
}

export function genStruct(m: ModCtx, s: S.StructDef): JsStmt[] {
  const mod = m.mod;
  const cls = mod.js.get(`type:${s.name}`)!;
  const meta = mod.js.get(`meta:${s.name}`)!;
  const qname = `${mod.name}.${s.name}`;
  const derives = derivesOf(m, qname, "struct", s.deriving);
  const fields = s.fields.map((f) => [fieldName(f.name), escapeName(f.name)] as const);
  const out: JsStmt[] = [
    { k: "class", name: cls, fields, exported: true },
    { k: "decl", kind: "const", name: meta, exported: true, init: call(m.rt("typeMeta"), [str("struct"), str(s.name), str(qname), arr(s.fields.map((f) => str(f.name))), arr(derives.map(str))]) },
    exprS(call(m.rt("defineStruct"), [id(cls), id(meta)])),
    ctorsS(meta, [id(cls)]),
  ];
  return out;
}

// JSON/Row field descriptors (runtime/core/json.ts), emitted after every type of the module is
// defined since fields may name types declared later.
export function genFieldTypes(m: ModCtx, it: S.StructDef | S.SumTypeDef): JsStmt[] {
  const qname = `${m.mod.name}.${it.name}`;
  const derives = derivesOf(m, qname, it.kind === "StructDef" ? "struct" : "sum", it.deriving);
  if (!derives.includes("Json") && !(it.kind === "StructDef" && derives.includes("Row"))) return [];
  const ctx = new FnCtx(m, false, m.constAlloc, new VarScope(null), it.name, true);
  const gens = it.generics.map((g) => g.name);
  const value =
    it.kind === "StructDef"
      ? arr(it.fields.map((f) => jsonDescOfTypeExpr(ctx, f.type, gens)))
      : arr(it.variants.map((v) => arr(v.fields.map((f) => jsonDescOfTypeExpr(ctx, f.type, gens)))));
  return [exprS({ k: "assign", target: { k: "mem", obj: id(m.mod.js.get(`meta:${it.name}`)!), prop: "fieldTypes" }, value })];
}

export function genSum(m: ModCtx, s: S.SumTypeDef): JsStmt[] {
  const mod = m.mod;
  const meta = mod.js.get(`meta:${s.name}`)!;
  const qname = `${mod.name}.${s.name}`;
  const derives = derivesOf(m, qname, "sum", s.deriving);
  const out: JsStmt[] = [
    { k: "decl", kind: "const", name: meta, exported: true, init: call(m.rt("typeMeta"), [str("sum"), str(s.name), str(qname), arr([]), arr(derives.map(str))]) },
  ];
  for (const v of s.variants) {
    const js = mod.js.get(`variant:${v.name}`)!;
    if (v.fields.length === 0) {
      out.push({ k: "decl", kind: "const", name: js, exported: true, init: call(m.rt("nullaryVariant"), [id(meta), str(v.name)]) });
    } else {
      const fields = v.fields.map((_, i) => [`_${i}`, `_${i}`] as const);
      out.push({ k: "class", name: js, fields, exported: true });
      out.push(exprS(call(m.rt("defineVariant"), [id(js), id(meta), str(v.name), { k: "num", value: v.fields.length }])));
    }
  }
  out.push(ctorsS(meta, s.variants.map((v) => id(mod.js.get(`variant:${v.name}`)!))));
  return out;
}

// `Meta.ctors = [...]`: how the distribution codec rebuilds received values (runtime/core/type-registry.ts).
function ctorsS(meta: string, ctors: JsExpr[]): JsStmt {
  return exprS({ k: "assign", target: { k: "mem", obj: id(meta), prop: "ctors" }, value: arr(ctors) });
}

// ---------------------------------------------------------------- impls

function methodClauses(fs: readonly S.FnDef[]): FnGroup[] {
  return groupFunctions(fs, []);
}

export function genImpl(m: ModCtx, ii: ImplIndex): JsStmt[] {
  const out: JsStmt[] = [];
  const typeLast = ii.typeKey.split(".").pop()!;
  for (const g of methodClauses(ii.decl.methods)) {
    const js = ii.methods.get(g.name)!;
    out.push(genTopFn(m, g, js, `${typeLast}.${g.name}`));
  }
  for (const d of ii.defaults) {
    const js = ii.methods.get(d.name)!;
    const isGen = d.body ? m.susp.isGen(d.body) : false;
    const ctx = new FnCtx(m, isGen, m.alloc.child(), new VarScope(null), `${typeLast}.${d.name}`);
    ctx.selfImpl = ii;
    const { params, body } = lowerFunction(ctx, {
      clauses: [{ params: d.params, guard: null, body: d.body!, span: d.span }],
      meshName: d.name,
      selfName: null,
    });
    out.push({ k: "fn", name: js, params, body, gen: isGen, exported: true });
  }
  const table: JsExpr = { k: "obj", props: [...ii.methods].map(([name, js]) => [name, id(js)] as const) };
  const dot = ii.typeKey.lastIndexOf(".");
  const owner = dot >= 0 ? m.px.mods.get(ii.typeKey.slice(0, dot)) : undefined;
  if (owner) out.push(exprS(call(m.rt("registerImpl"), [m.ref(owner.name, `meta:${ii.typeKey.slice(dot + 1)}`), str(ii.iface), table])));
  else out.push(exprS(call(m.rt("registerBuiltinImpl"), [str(ii.typeKey), str(ii.iface), table])));
  return out;
}

// ---------------------------------------------------------------- constants

export function genConst(m: ModCtx, c: S.ConstDef, mod: ModIndex): JsStmt[] {
  if (c.pattern.kind !== "PVar") return [];
  // constants' temporaries live at module level: one allocator for all of them
  const ctx = new FnCtx(m, false, m.constAlloc, new VarScope(null), c.pattern.name, true);
  const out: JsStmt[] = [];
  const v = genExpr(ctx, c.value, out);
  out.push({ k: "decl", kind: "const", name: mod.js.get(`const:${c.pattern.name}`)!, init: v, exported: true });
  withLine(out, m.line(c.span));
  return out;
}
